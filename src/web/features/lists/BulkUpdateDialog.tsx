import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { lifecycles } from "../../../shared/schemas/contact.ts";
import { leadPriorities, leadStatuses } from "../../../shared/schemas/lead.ts";
import { taskPriorities, taskStatuses } from "../../../shared/schemas/task.ts";
import { useRecordList, type Collection } from "../../api/records.ts";
import { Button } from "../../components/Button.tsx";
import { Dialog } from "../../components/Dialog.tsx";
import { SelectField, TextField, type Option } from "../../components/Field.tsx";
import { t } from "../../i18n/i18n.ts";
import { formatNumber, labelOf } from "../../lib/format.ts";

/** A field bulk update can set: a list of values, free text or a date. */
export type BulkField = {
  name: string;
  label: string;
  kind: "choice" | "text" | "date" | "datetime" | "stage";
  values?: readonly string[];
};

/**
 * The fields a list's bulk update offers (the server's bulkUpdateFields, minus owners: Assign does
 * those), labelled in the interface's language of the moment.
 */
export function bulkFieldsOf(collection: Collection): BulkField[] {
  switch (collection) {
    case "contacts":
      return [
        { name: "lifecycle", label: t("lists.bulkFields.lifecycle"), kind: "choice", values: lifecycles },
        { name: "source", label: t("lists.bulkFields.source"), kind: "text" },
      ];
    case "companies":
      return [{ name: "industry", label: t("lists.bulkFields.industry"), kind: "text" }];
    case "leads":
      return [
        {
          name: "status",
          label: t("common.status"),
          kind: "choice",
          values: leadStatuses.filter((s) => s !== "converted" && s !== "lost"),
        },
        { name: "priority", label: t("lists.bulkFields.priority"), kind: "choice", values: leadPriorities },
        { name: "source", label: t("lists.bulkFields.source"), kind: "text" },
      ];
    case "deals":
      return [
        { name: "stageId", label: t("lists.bulkFields.stage"), kind: "stage" },
        { name: "expectedCloseDate", label: t("lists.bulkFields.expectedClose"), kind: "date" },
      ];
    case "tasks":
      return [
        { name: "status", label: t("common.status"), kind: "choice", values: taskStatuses },
        { name: "priority", label: t("lists.bulkFields.priority"), kind: "choice", values: taskPriorities },
        { name: "dueAt", label: t("lists.bulkFields.due"), kind: "datetime" },
      ];
    default:
      return [];
  }
}

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
  const { t } = useTranslation();
  const fields = bulkFieldsOf(props.collection);
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
      title={t("lists.bulkUpdate.title", { count: props.count, number: formatNumber(props.count) })}
    >
      <form onSubmit={submit} className="flex flex-col gap-3">
        <SelectField
          label={t("lists.bulkUpdate.field")}
          value={name}
          onChange={(e) => {
            setName(e.target.value);
            setValue("");
          }}
          options={fields.map((f) => ({ value: f.name, label: f.label }))}
        />
        {field?.kind === "choice" && (
          <SelectField
            label={t("lists.bulkUpdate.newValue")}
            value={value}
            required
            placeholder={t("common.choose")}
            onChange={(e) => setValue(e.target.value)}
            options={(field.values ?? []).map((v) => ({ value: v, label: labelOf(v) }))}
          />
        )}
        {field?.kind === "stage" && (
          <SelectField
            label={t("lists.bulkUpdate.newStage")}
            value={value}
            required
            placeholder={t("common.choose")}
            onChange={(e) => setValue(e.target.value)}
            options={stageOptions}
          />
        )}
        {(field?.kind === "text" || field?.kind === "date" || field?.kind === "datetime") && (
          <TextField
            label={t("lists.bulkUpdate.newValue")}
            type={field.kind === "text" ? "text" : field.kind === "date" ? "date" : "datetime-local"}
            value={value}
            hint={t("lists.bulkUpdate.emptyClears")}
            onChange={(e) => setValue(e.target.value)}
          />
        )}
        <div className="flex justify-end gap-2">
          <Button onClick={() => props.onOpenChange(false)}>{t("common.cancel")}</Button>
          <Button type="submit" variant="primary" disabled={props.isPending}>
            {t("lists.bulkUpdate.submit")}
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
  const { t } = useTranslation();
  const [text, setText] = useState("");
  const tags = [
    ...new Set(
      text
        .split(",")
        .map((tag) => tag.trim())
        .filter(Boolean),
    ),
  ];
  const isRemoving = mode === "removeTags";
  const number = formatNumber(count);
  return (
    <Dialog
      open={mode !== null}
      onOpenChange={(open) => {
        if (!open) onClose();
      }}
      title={
        isRemoving
          ? t("lists.bulkTags.removeTitle", { count, number })
          : t("lists.bulkTags.addTitle", { count, number })
      }
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (tags.length > 0) onSubmit(tags);
        }}
        className="flex flex-col gap-3"
      >
        <TextField
          label={t("common.tags")}
          hint={t("lists.bulkTags.hint")}
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        <div className="flex justify-end gap-2">
          <Button onClick={onClose}>{t("common.cancel")}</Button>
          <Button type="submit" variant="primary" disabled={isPending || tags.length === 0}>
            {isRemoving ? t("lists.bulkTags.removeSubmit") : t("lists.bulkTags.addSubmit")}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
