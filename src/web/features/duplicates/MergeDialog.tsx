import { useState } from "react";
import { Trans, useTranslation } from "react-i18next";
import type { MergeRequest } from "../../../shared/schemas/merge.ts";
import { Button } from "../../components/Button.tsx";
import { Dialog } from "../../components/Dialog.tsx";
import { FormError } from "../../components/FormError.tsx";

/** A field a merge may take from any record, as the dialog labels it. */
export type MergeField = { key: string; label: string };

/** A record of the merge: its title and each field's value as shown (null: empty). */
export type MergeCandidate = { id: string; title: string; values: Record<string, string | null> };

type MergeDialogProps = {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** What is merged, for the labels. */
  noun: "contact" | "company";
  /** Oldest first: the first is the suggested survivor. */
  records: MergeCandidate[];
  fields: MergeField[];
  isMerging: boolean;
  error?: string | null | undefined;
  onMerge: (request: MergeRequest) => void;
};

/** Each field from the survivor, unless the survivor has none and another record has one. */
function defaultSources(records: MergeCandidate[], fields: MergeField[], survivorId: string): Record<string, string> {
  const survivor = records.find((r) => r.id === survivorId);
  return Object.fromEntries(
    fields.map(({ key }) => {
      if (survivor?.values[key]) return [key, survivorId];
      return [key, records.find((r) => r.values[key])?.id ?? survivorId];
    }),
  );
}

/**
 * Merging records: which one stays (the survivor) and, field by field, whose value it keeps, the
 * records side by side with a radio per value. Tags of every record are kept; the others' related
 * records move to the survivor and the others are deleted (undoable from the toast).
 */
export function MergeDialog({
  open,
  onOpenChange,
  noun,
  records,
  fields,
  isMerging,
  error,
  onMerge,
}: MergeDialogProps) {
  const { t } = useTranslation();
  const isCompany = noun === "company";
  const [survivorId, setSurvivorId] = useState(records[0]?.id ?? "");
  const [sources, setSources] = useState(() => defaultSources(records, fields, records[0]?.id ?? ""));
  const survivor = records.find((r) => r.id === survivorId);

  const chooseSurvivor = (id: string) => {
    setSurvivorId(id);
    setSources(defaultSources(records, fields, id));
  };

  const merge = () => {
    const chosen = Object.entries(sources).filter(([, sourceId]) => sourceId !== survivorId);
    onMerge({
      survivorId,
      mergedIds: records.filter((r) => r.id !== survivorId).map((r) => r.id),
      fields: Object.fromEntries(chosen),
    });
  };

  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      wide
      title={
        isCompany
          ? t("duplicates.dialog.titleCompanies", { number: records.length })
          : t("duplicates.dialog.titleContacts", { number: records.length })
      }
      description={isCompany ? t("duplicates.dialog.descriptionCompany") : t("duplicates.dialog.descriptionContact")}
    >
      <div className="overflow-x-auto">
        <table className="w-full border-collapse text-sm">
          <caption className="sr-only">
            {isCompany ? t("duplicates.dialog.captionCompany") : t("duplicates.dialog.captionContact")}
          </caption>
          <thead>
            <tr>
              <th scope="col" className="p-2 text-left font-medium">
                {t("duplicates.dialog.field")}
              </th>
              {records.map((record) => (
                <th key={record.id} scope="col" className="p-2 text-left align-bottom font-medium">
                  <label className="flex items-center gap-2">
                    <input
                      type="radio"
                      name="survivor"
                      value={record.id}
                      checked={survivorId === record.id}
                      onChange={() => chooseSurvivor(record.id)}
                    />
                    <span>
                      <Trans
                        i18nKey="duplicates.dialog.keep"
                        values={{ title: record.title }}
                        components={{ name: <span className="font-semibold" /> }}
                      />
                    </span>
                  </label>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {fields.map((field) => (
              <tr key={field.key} className="border-t border-slate-200 dark:border-slate-700">
                <th scope="row" className="p-2 text-left font-normal text-slate-600 dark:text-slate-300">
                  {field.label}
                </th>
                {records.map((record) => {
                  const value = record.values[field.key];
                  return (
                    <td key={record.id} className="p-2">
                      <label className="flex items-center gap-2">
                        <input
                          type="radio"
                          name={`field-${field.key}`}
                          value={record.id}
                          checked={sources[field.key] === record.id}
                          onChange={() => setSources((current) => ({ ...current, [field.key]: record.id }))}
                          aria-label={t("duplicates.dialog.valueLabel", {
                            field: field.label,
                            value: value ?? t("duplicates.dialog.empty"),
                            title: record.title,
                          })}
                        />
                        <span className={value ? "" : "text-slate-500"}>{value ?? "—"}</span>
                      </label>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <FormError message={error ?? undefined} />
      <div className="mt-4 flex justify-end gap-2">
        <Button onClick={() => onOpenChange(false)}>{t("common.cancel")}</Button>
        <Button variant="primary" disabled={isMerging || !survivor} onClick={merge}>
          {isMerging
            ? t("duplicates.dialog.merging")
            : t("duplicates.dialog.mergeInto", { title: survivor?.title ?? "…" })}
        </Button>
      </div>
    </Dialog>
  );
}
