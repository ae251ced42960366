import { useController, useForm, useWatch, type Resolver } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { CreateTaskSchema, taskPriorities, taskStatuses, type Task } from "../../../shared/schemas/task.ts";
import { useCreateRecord, useUpdateRecord } from "../../api/records.ts";
import type { Wire } from "../../api/wire.ts";
import { Button } from "../../components/Button.tsx";
import { SelectField, TextAreaField, TextField } from "../../components/Field.tsx";
import { FormError } from "../../components/FormError.tsx";
import { fromLocalInput, labelOf, toLocalInput } from "../../lib/format.ts";
import { applyServerErrors, bodyResolver, useOpenedVersion, useUnsavedChangesGuard } from "../../lib/forms.ts";
import type { RecordLink } from "../activities/Timeline.tsx";
import { useSession } from "../auth/session.ts";
import { RecordPickerField } from "../records/RecordPicker.tsx";
import { DependencyPicker } from "./DependencyPicker.tsx";
import { withTaskTitles, type TaskRow } from "./tasks.api.ts";

/** What the form holds: text as typed; `toTaskInput` turns it into the API's types. */
export type TaskValues = {
  title: string;
  description: string;
  priority: Task["priority"];
  status: Task["status"];
  assigneeId: string;
  dueAt: string;
  remindAt: string;
  dependsOn: string[];
};

const fieldNames = ["title", "description", "priority", "status", "assigneeId", "dueAt", "remindAt", "dependsOn"];

/** Form values → the body of POST /tasks: empty text is null, local date-times become instants. */
export function toTaskInput(values: TaskValues): Record<string, unknown> {
  return {
    title: values.title,
    description: values.description.trim() ? values.description : null,
    priority: values.priority,
    status: values.status,
    assigneeId: values.assigneeId || null,
    dueAt: fromLocalInput(values.dueAt),
    remindAt: fromLocalInput(values.remindAt),
    dependsOn: values.dependsOn,
  };
}

/** Validates what would be sent with the shared CreateTaskSchema, with errors on the form's fields. */
const taskResolver: Resolver<TaskValues> = bodyResolver(CreateTaskSchema, toTaskInput, fieldNames);

function valuesOf(task: TaskRow | undefined, meId: string): TaskValues {
  return {
    title: task?.title ?? "",
    description: task?.description ?? "",
    priority: task?.priority ?? "medium",
    status: task?.status ?? "open",
    assigneeId: task ? (task.assigneeId ?? "") : meId,
    dueAt: toLocalInput(task?.dueAt),
    remindAt: toLocalInput(task?.remindAt),
    dependsOn: task?.dependsOn ?? [],
  };
}

/** Only what changed, so an edit does not rewrite dependencies or re-arm a reminder it did not touch. */
function changesOf(before: Record<string, unknown>, after: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(after).filter(([key, value]) => JSON.stringify(value) !== JSON.stringify(before[key])),
  );
}

type TaskFormProps = {
  /** The task to edit; absent: create one. */
  task?: TaskRow | undefined;
  /** The record a new task is linked to. */
  link?: RecordLink | undefined;
  /** Shows the task without letting it be changed (roles that may not edit it). */
  isReadOnly?: boolean;
  onDone: (task: TaskRow) => void;
  onCancel: () => void;
};

/** Creates or edits a task: title, notes, priority, assignee, due and reminder times, dependencies. */
export function TaskForm({ task, link, isReadOnly = false, onDone, onCancel }: TaskFormProps) {
  const { t } = useTranslation();
  const me = useSession();
  const create = useCreateRecord<Wire<Task>>("tasks");
  const update = useUpdateRecord<Wire<Task>>("tasks");
  const initial = valuesOf(task, me.user.id);
  const openedVersion = useOpenedVersion(task);
  const form = useForm<TaskValues>({ resolver: taskResolver, defaultValues: initial });
  const { errors, isDirty, isSubmitting } = form.formState;
  useUnsavedChangesGuard(isDirty && !isSubmitting);
  const dependsOn = useController({ control: form.control, name: "dependsOn" });
  const [dueAt, remindAt] = useWatch({ control: form.control, name: ["dueAt", "remindAt"] });
  const isReminderLate = Boolean(dueAt && remindAt && remindAt > dueAt);

  const onSubmit = form.handleSubmit(async (values) => {
    const body = toTaskInput(values);
    try {
      const saved = task
        ? await update.mutateAsync({
            id: task.id,
            version: openedVersion ?? task.version,
            changes: changesOf(toTaskInput(initial), body),
          })
        : await create.mutateAsync(link ? { ...body, [link.field]: link.id } : body);
      form.reset(values);
      onDone(saved);
    } catch (error) {
      applyServerErrors(form, error, fieldNames);
      // The server names blocking or missing tasks by id; show their titles where we know them.
      const dependencyError = form.getFieldState("dependsOn").error?.message;
      if (dependencyError)
        form.setError("dependsOn", { message: withTaskTitles(dependencyError, task?.dependencies ?? []) });
    }
  });

  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-3">
      <fieldset disabled={isReadOnly} className="contents">
        <TextField
          label={t("tasks.form.title")}
          autoComplete="off"
          error={errors.title?.message}
          {...form.register("title")}
        />
        <TextAreaField
          label={t("tasks.form.description")}
          rows={3}
          error={errors.description?.message}
          {...form.register("description")}
        />
        <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
          <SelectField
            label={t("tasks.form.priority")}
            options={taskPriorities.map((p) => ({ value: p, label: labelOf(p) }))}
            error={errors.priority?.message}
            {...form.register("priority")}
          />
          <RecordPickerField
            control={form.control}
            name="assigneeId"
            collection="users"
            label={t("tasks.form.assignee")}
            noneLabel={t("tasks.form.nobody")}
            extraOptions={[{ value: me.user.id, label: me.user.name, detail: t("tasks.form.me") }]}
            selected={task?.assignee ? { id: task.assignee.id, label: task.assignee.name } : null}
          />
          <TextField
            label={t("tasks.form.due")}
            type="datetime-local"
            error={errors.dueAt?.message}
            {...form.register("dueAt")}
          />
          <TextField
            label={t("tasks.form.reminder")}
            type="datetime-local"
            hint={isReminderLate ? t("tasks.form.reminderLate") : t("tasks.form.reminderHint")}
            error={errors.remindAt?.message}
            {...form.register("remindAt")}
          />
          {task && (
            <SelectField
              label={t("tasks.form.status")}
              options={taskStatuses.map((s) => ({ value: s, label: labelOf(s) }))}
              error={errors.status?.message}
              {...form.register("status")}
            />
          )}
        </div>
        <DependencyPicker
          value={dependsOn.field.value}
          onChange={dependsOn.field.onChange}
          taskId={task?.id}
          known={task?.dependencies}
          error={errors.dependsOn?.message ?? errors.dependsOn?.root?.message}
        />
      </fieldset>
      <FormError message={errors.root?.message} />
      <div className="flex justify-end gap-2">
        <Button onClick={onCancel}>{isReadOnly ? t("common.close") : t("common.cancel")}</Button>
        {!isReadOnly && (
          <Button type="submit" variant="primary" disabled={isSubmitting}>
            {task ? t("tasks.form.save") : t("tasks.form.create")}
          </Button>
        )}
      </div>
    </form>
  );
}
