import { useForm, type Resolver } from "react-hook-form";
import { toast } from "sonner";
import {
  pipelineTemplateNames,
  pipelineTemplates,
  templateStages,
  type PipelineTemplate,
} from "../../../shared/pipeline-templates.ts";
import { CreatePipelineSchema } from "../../../shared/schemas/pipeline.ts";
import { Button } from "../../components/Button.tsx";
import { Dialog } from "../../components/Dialog.tsx";
import { TextField } from "../../components/Field.tsx";
import { FormError } from "../../components/FormError.tsx";
import { applyServerErrors, bodyResolver } from "../../lib/forms.ts";
import { useCreatePipeline, type NewPipeline, type PipelineRow } from "./pipelines.api.ts";

type Values = { name: string; template: PipelineTemplate; isDefault: boolean };
const fieldNames = ["name", "isDefault"];

/** Form values → the body of POST /pipelines: the template's stages are sent as the stage list. */
export function toPipelineInput(values: Values): NewPipeline {
  return { name: values.name, isDefault: values.isDefault, stages: templateStages(values.template) };
}

const resolver: Resolver<Values> = bodyResolver(CreatePipelineSchema, toPipelineInput, fieldNames);

type CreatePipelineDialogProps = {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onCreated: (pipeline: PipelineRow) => void;
};

/** A new pipeline: its name, the template its stages start from, and whether it becomes the default. */
export function CreatePipelineDialog({ open, onOpenChange, onCreated }: CreatePipelineDialogProps) {
  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title="New pipeline"
      description="Start from a template; you can rename, reorder, add and archive its stages afterwards."
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
  const create = useCreatePipeline();
  const form = useForm<Values>({ resolver, defaultValues: { name: "", template: "sales", isDefault: false } });
  const { errors, isSubmitting } = form.formState;

  const onSubmit = form.handleSubmit(async (values) => {
    try {
      const created = await create.mutateAsync(toPipelineInput(values));
      toast.success(`Created the pipeline “${created.name}”.`);
      onCreated(created);
    } catch (error) {
      applyServerErrors(form, error, fieldNames);
    }
  });

  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-3">
      <TextField label="Name" autoComplete="off" error={errors.name?.message} {...form.register("name")} />
      <fieldset className="flex min-w-0 flex-col gap-2">
        <legend className="mb-1 text-sm font-medium text-slate-700 dark:text-slate-200">Template</legend>
        {pipelineTemplateNames.map((name) => {
          const template = pipelineTemplates[name];
          return (
            <label
              key={name}
              className="flex items-start gap-2 rounded-md border border-slate-200 p-2 text-sm has-[:checked]:border-accent-600 dark:border-slate-700 dark:has-[:checked]:border-sky-400"
            >
              <input type="radio" value={name} className="mt-1 accent-accent-600" {...form.register("template")} />
              <span className="flex min-w-0 flex-col">
                <span className="font-medium">{template.label}</span>
                <span className="text-slate-600 dark:text-slate-300">{template.description}</span>
                <span className="text-xs break-words text-slate-600 dark:text-slate-400">
                  {template.stages.map((s) => s.name).join(" → ")}
                </span>
              </span>
            </label>
          );
        })}
      </fieldset>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" className="h-4 w-4 accent-accent-600" {...form.register("isDefault")} />
        Make it the workspace’s default pipeline (new deals go there unless another is chosen)
      </label>
      {errors.isDefault && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          {errors.isDefault.message}
        </p>
      )}
      <FormError message={errors.root?.message} />
      <div className="flex justify-end gap-2">
        <Button onClick={onCancel}>Cancel</Button>
        <Button type="submit" variant="primary" disabled={isSubmitting}>
          {isSubmitting ? "Creating…" : "Create pipeline"}
        </Button>
      </div>
    </form>
  );
}
