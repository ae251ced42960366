import { useState, type FormEvent } from "react";
import { lifecycles } from "../../../shared/schemas/contact.ts";
import { leadPriorities, leadStatuses } from "../../../shared/schemas/lead.ts";
import { taskPriorities, taskStatuses } from "../../../shared/schemas/task.ts";
import { useRecordList, type Collection } from "../../api/records.ts";
import { Button } from "../../components/Button.tsx";
import { Dialog } from "../../components/Dialog.tsx";
import { SelectField, TextField, type Option } from "../../components/Field.tsx";

/** A field bulk update can set: a list of values, free text or a date. */
export type BulkField = {
  name: string;
  label: string;
  kind: "choice" | "text" | "date" | "datetime" | "stage";
  values?: readonly string[];
};

const label = (value: string) => (value.charAt(0).toUpperCase() + value.slice(1)).replace("_", " ");

/** The fields each list's bulk update offers (the server's bulkUpdateFields, minus owners: Assign does those). */
export const bulkFields: Partial<Record<Collection, BulkField[]>> = {
  contacts: [
    { name: "lifecycle", label: "Lifecycle", kind: "choice", values: lifecycles },
    { name: "source", label: "Source", kind: "text" },
  ],
  companies: [{ name: "industry", label: "Industry", kind: "text" }],
  leads: [
    {
      name: "status",
      label: "Status",
      kind: "choice",
      values: leadStatuses.filter((s) => s !== "converted" && s !== "lost"),
    },
    { name: "priority", label: "Priority", kind: "choice", values: leadPriorities },
    { name: "source", label: "Source", kind: "text" },
  ],
  deals: [
    { name: "stageId", label: "Stage", kind: "stage" },
    { name: "expectedCloseDate", label: "Expected close", kind: "date" },
  ],
  tasks: [
    { name: "status", label: "Status", kind: "choice", values: taskStatuses },
    { name: "priority", label: "Priority", kind: "choice", values: taskPriorities },
    { name: "dueAt", label: "Due", kind: "datetime" },
  ],
};

type Pipeline = { id: string; name: string; stages: { id: string; name: string }[] };

type BulkUpdateDialogProps = {
  collection: Collection;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** The field chosen when it opens ("Change status" opens on status). */
  initialField?: string | undefined;
  count: number;
  isPending: boolean;
  onSubmit: (fields: Record<string, unknown>) => void;
};

/** Sets one field on every selected record. */
export function BulkUpdateDialog(props: BulkUpdateDialogProps) {
  const fields = bulkFields[props.collection] ?? [];
  const [name, setName] = useState(props.initialField ?? fields[0]?.name ?? "");
  const [value, setValue] = useState("");
  const field = fields.find((f) => f.name === name);
  const pipelines = useRecordList<Pipeline>("pipelines", {}, { enabled: props.open && field?.kind === "stage" });
  const stageOptions: Option[] = (pipelines.data?.data ?? []).flatMap((pipeline) =>
    pipeline.stages.map((stage) => ({ value: `${pipeline.id}/${stage.id}`, label: `${pipeline.name}: ${stage.name}` })),
  );

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!field) return;
    if (field.kind === "stage") {
      const [pipelineId, stageId] = value.split("/");
      props.onSubmit({ pipelineId, stageId });
    } else if (field.kind === "datetime" || field.kind === "date") {
      const when = field.kind === "datetime" && value ? new Date(value).toISOString() : value;
      props.onSubmit({ [field.name]: when || null });
    } else {
      props.onSubmit({ [field.name]: value || (field.kind === "text" ? null : value) });
    }
  };

  return (
    <Dialog
      open={props.open}
      onOpenChange={props.onOpenChange}
      title={`Update ${props.count.toLocaleString()} records`}
    >
      <form onSubmit={submit} className="flex flex-col gap-3">
        <SelectField
          label="Field"
          value={name}
          onChange={(e) => {
            setName(e.target.value);
            setValue("");
          }}
          options={fields.map((f) => ({ value: f.name, label: f.label }))}
        />
        {field?.kind === "choice" && (
          <SelectField
            label="New value"
            value={value}
            required
            placeholder="Choose…"
            onChange={(e) => setValue(e.target.value)}
            options={(field.values ?? []).map((v) => ({ value: v, label: label(v) }))}
          />
        )}
        {field?.kind === "stage" && (
          <SelectField
            label="New stage"
            value={value}
            required
            placeholder="Choose…"
            onChange={(e) => setValue(e.target.value)}
            options={stageOptions}
          />
        )}
        {(field?.kind === "text" || field?.kind === "date" || field?.kind === "datetime") && (
          <TextField
            label="New value"
            type={field.kind === "text" ? "text" : field.kind === "date" ? "date" : "datetime-local"}
            value={value}
            hint="Empty clears it"
            onChange={(e) => setValue(e.target.value)}
          />
        )}
        <div className="flex justify-end gap-2">
          <Button onClick={() => props.onOpenChange(false)}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={props.isPending}>
            Update
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

type BulkTagDialogProps = {
  mode: "addTags" | "removeTags" | null;
  onClose: () => void;
  count: number;
  isPending: boolean;
  onSubmit: (tags: string[]) => void;
};

/** Adds or removes tags (comma separated) on every selected record. */
export function BulkTagDialog({ mode, onClose, count, isPending, onSubmit }: BulkTagDialogProps) {
  const [text, setText] = useState("");
  const tags = [
    ...new Set(
      text
        .split(",")
        .map((tag) => tag.trim())
        .filter(Boolean),
    ),
  ];
  const verb = mode === "removeTags" ? "Remove" : "Add";
  return (
    <Dialog
      open={mode !== null}
      onOpenChange={(open) => {
        if (!open) onClose();
      }}
      title={`${verb} tags on ${count.toLocaleString()} records`}
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (tags.length > 0) onSubmit(tags);
        }}
        className="flex flex-col gap-3"
      >
        <TextField
          label="Tags"
          hint="Separate tags with commas"
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        <div className="flex justify-end gap-2">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={isPending || tags.length === 0}>
            {verb} tags
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
