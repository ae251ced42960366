import { useQueryClient } from "@tanstack/react-query";
import { useForm, type Resolver } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import { UpdatePipelineSchema } from "../../../shared/schemas/pipeline.ts";
import { ApiProblem } from "../../api/client.ts";
import { invalidateCollection } from "../../api/records.ts";
import { Button } from "../../components/Button.tsx";
import { Dialog } from "../../components/Dialog.tsx";
import { TextField } from "../../components/Field.tsx";
import { FormError } from "../../components/FormError.tsx";
import { applyServerErrors, bodyResolver } from "../../lib/forms.ts";
import { pipelineErrorMessage, useUpdatePipeline, type PipelineRow } from "./pipelines.api.ts";

type Values = { name: string };
const fieldNames = ["name"];
const resolver: Resolver<Values> = bodyResolver(UpdatePipelineSchema, (v: Values) => ({ name: v.name }), fieldNames);

type RenamePipelineDialogProps = { pipeline: PipelineRow | null; onOpenChange: (open: boolean) => void };

/** Renames a pipeline, with If-Match on the version the dialog opened with. */
export function RenamePipelineDialog({ pipeline, onOpenChange }: RenamePipelineDialogProps) {
  const { t } = useTranslation();
  return (
    <Dialog
      open={pipeline !== null}
      onOpenChange={onOpenChange}
      title={t("pipelines.rename.title", { name: pipeline?.name ?? "" })}
    >
      {pipeline && <RenameForm pipeline={pipeline} onDone={() => onOpenChange(false)} />}
    </Dialog>
  );
}

function RenameForm({ pipeline, onDone }: { pipeline: PipelineRow; onDone: () => void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const update = useUpdatePipeline();
  const form = useForm<Values>({ resolver, defaultValues: { name: pipeline.name } });
  const { errors, isSubmitting } = form.formState;

  const onSubmit = form.handleSubmit(async ({ name }) => {
    if (name.trim() === pipeline.name) return onDone();
    try {
      const saved = await update.mutateAsync({ id: pipeline.id, version: pipeline.version, changes: { name } });
      toast.success(t("pipelines.rename.renamed", { name: saved.name }));
      onDone();
    } catch (error) {
      if (error instanceof ApiProblem && error.isStale) {
        await invalidateCollection(client, "pipelines");
        form.setError("root", { message: pipelineErrorMessage(error) });
        return;
      }
      applyServerErrors(form, error, fieldNames);
    }
  });

  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-3">
      <TextField label={t("common.name")} autoComplete="off" error={errors.name?.message} {...form.register("name")} />
      <FormError message={errors.root?.message} />
      <div className="flex justify-end gap-2">
        <Button onClick={onDone}>{t("common.cancel")}</Button>
        <Button type="submit" variant="primary" disabled={isSubmitting}>
          {isSubmitting ? t("common.saving") : t("pipelines.rename.submit")}
        </Button>
      </div>
    </form>
  );
}
