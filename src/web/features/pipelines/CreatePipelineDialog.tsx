import { useForm, type Resolver } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import { pipelineTemplateNames, type PipelineTemplate } from "../../../shared/pipeline-templates.ts";
import { CreatePipelineSchema } from "../../../shared/schemas/pipeline.ts";
import { Button } from "../../components/Button.tsx";
import { Dialog } from "../../components/Dialog.tsx";
import { TextField } from "../../components/Field.tsx";
import { FormError } from "../../components/FormError.tsx";
import { applyServerErrors, bodyResolver } from "../../lib/forms.ts";
import { templateWords, translatedTemplateStages } from "./pipeline-template-words.ts";
import { useCreatePipeline, type NewPipeline, type PipelineRow } from "./pipelines.api.ts";

type Values = { name: string; template: PipelineTemplate; isDefault: boolean };
const fieldNames = ["name", "isDefault"];

/**
 * Form values → the body of POST /pipelines: the template's stages are sent as the stage list,
 * named in the interface's language.
 */
export function toPipelineInput(values: Values): NewPipeline {
  return { name: values.name, isDefault: values.isDefault, stages: translatedTemplateStages(values.template) };
}

const resolver: Resolver<Values> = bodyResolver(CreatePipelineSchema, toPipelineInput, fieldNames);

type CreatePipelineDialogProps = {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onCreated: (pipeline: PipelineRow) => void;
};

/** A new pipeline: its name, the template its stages start from, and whether it becomes the default. */
export function CreatePipelineDialog({ open, onOpenChange, onCreated }: CreatePipelineDialogProps) {
  const { t } = useTranslation();
  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title={t("pipelines.create.title")}
      description={t("pipelines.create.description")}
      wide
    >
      {open && <CreatePipelineForm onCancel={() => onOpenChange(false)} onCreated={onCreated} />}
    </Dialog>
  );
}

function CreatePipelineForm({
  onCancel,
  onCreated,
}: {
  onCancel: () => void;
  onCreated: (pipeline: PipelineRow) => void;
}) {
  const { t } = useTranslation();
  const create = useCreatePipeline();
  const form = useForm<Values>({ resolver, defaultValues: { name: "", template: "sales", isDefault: false } });
  const { errors, isSubmitting } = form.formState;

  const onSubmit = form.handleSubmit(async (values) => {
    try {
      const created = await create.mutateAsync(toPipelineInput(values));
      toast.success(t("pipelines.create.created", { name: created.name }));
      onCreated(created);
    } catch (error) {
      applyServerErrors(form, error, fieldNames);
    }
  });

  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-3">
      <TextField label={t("common.name")} autoComplete="off" error={errors.name?.message} {...form.register("name")} />
      <fieldset className="flex min-w-0 flex-col gap-2">
        <legend className="mb-1 text-sm font-medium text-slate-700 dark:text-slate-200">
          {t("pipelines.create.template")}
        </legend>
        {pipelineTemplateNames.map((name) => {
          const words = templateWords(name);
          return (
            <label
              key={name}
              className="flex items-start gap-2 rounded-md border border-slate-200 p-2 text-sm has-[:checked]:border-accent-600 dark:border-slate-700 dark:has-[:checked]:border-sky-400"
            >
              <input type="radio" value={name} className="mt-1 accent-accent-600" {...form.register("template")} />
              <span className="flex min-w-0 flex-col">
                <span className="font-medium">{words.label}</span>
                <span className="text-slate-600 dark:text-slate-300">{words.description}</span>
                <span className="text-xs break-words text-slate-600 dark:text-slate-400">
                  {translatedTemplateStages(name)
                    .map((s) => s.name)
                    .join(" → ")}
                </span>
              </span>
            </label>
          );
        })}
      </fieldset>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" className="h-4 w-4 accent-accent-600" {...form.register("isDefault")} />
        {t("pipelines.create.makeDefault")}
      </label>
      {errors.isDefault && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          {errors.isDefault.message}
        </p>
      )}
      <FormError message={errors.root?.message} />
      <div className="flex justify-end gap-2">
        <Button onClick={onCancel}>{t("common.cancel")}</Button>
        <Button type="submit" variant="primary" disabled={isSubmitting}>
          {isSubmitting ? t("pipelines.create.creating") : t("pipelines.create.submit")}
        </Button>
      </div>
    </form>
  );
}
