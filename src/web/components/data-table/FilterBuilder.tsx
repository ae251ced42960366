import { Popover } from "radix-ui";
import { useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { ListFilter } from "../../api/records.ts";
import { Button } from "../Button.tsx";
import { isEscapeForList } from "../Combobox.tsx";
import { inputClass } from "../Field.tsx";
import { operatorLabel, operatorsByKind, type FilterField } from "./types.ts";

type Draft = ListFilter & { key: number };

export type FilterBuilderProps = {
  fields: readonly FilterField[];
  value: readonly ListFilter[];
  onChange: (filters: ListFilter[]) => void;
  /** The value input of "user" fields (owner, assignee), e.g. a member search; without it, "Me" only. */
  renderUserValue?: UserValueInput;
  /** The value input of "record" fields (a company, a contact): a picker searching `records` as the user types. */
  renderRecordValue?: RecordValueInput;
};

type UserValueInput = (input: { label: string; value: string; onChange: (value: string) => void }) => ReactNode;
type RecordValueInput = (input: {
  label: string;
  records: string;
  value: string;
  onChange: (value: string) => void;
}) => ReactNode;

/** The operators a field offers: its own list, else its kind's. */
const operatorsOf = (field: FilterField) => field.operators ?? operatorsByKind[field.kind];

let nextKey = 1;
const withKey = (filter: ListFilter): Draft => ({ ...filter, key: nextKey++ });

/** Turns the builder's rows into API filters: incomplete rows are left out. */
export function completeFilters(drafts: readonly ListFilter[]): ListFilter[] {
  return drafts
    .filter((d) => d.field && d.op && (d.op === "empty" || d.value.trim() !== ""))
    .map(({ field, op, value }) => ({ field, op, value: op === "empty" ? value || "true" : value.trim() }));
}

/** Field, operator and value rows, mapped one to one onto `filter[field][op]=value`. */
export function FilterBuilder({ fields, value, onChange, renderUserValue, renderRecordValue }: FilterBuilderProps) {
  const { t } = useTranslation();
  const [isOpen, setOpen] = useState(false);
  const [drafts, setDrafts] = useState<Draft[]>([]);

  // Filters on fields the builder does not offer (the list's "Deleted" preset) are kept as they are.
  const isOffered = (filter: ListFilter) => fields.some((f) => f.field === filter.field);
  const open = (next: boolean) => {
    if (next) setDrafts(value.filter(isOffered).map(withKey));
    setOpen(next);
  };
  const update = (key: number, change: Partial<ListFilter>) =>
    setDrafts((all) => all.map((d) => (d.key === key ? { ...d, ...change } : d)));
  const addRow = () => {
    const first = fields[0];
    if (first)
      setDrafts((all) => [...all, withKey({ field: first.field, op: operatorsOf(first)[0] ?? "eq", value: "" })]);
  };
  const apply = () => {
    onChange([...value.filter((filter) => !isOffered(filter)), ...completeFilters(drafts)]);
    setOpen(false);
  };

  return (
    <Popover.Root open={isOpen} onOpenChange={open}>
      <Popover.Trigger asChild>
        <Button>
          {t("components.filter.button")}
          {value.filter(isOffered).length > 0 && (
            <span className="rounded-full bg-accent-600 px-1.5 text-xs text-white">
              {value.filter(isOffered).length}
              <span className="sr-only"> {t("components.filter.active")}</span>
            </span>
          )}
        </Button>
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content
          aria-label={t("components.filter.popover")}
          align="start"
          sideOffset={4}
          onEscapeKeyDown={(event) => {
            if (isEscapeForList(event)) event.preventDefault();
          }}
          className="z-30 flex w-[min(40rem,calc(100vw-1rem))] flex-col gap-3 rounded-md border border-slate-200 bg-white p-3 shadow-lg dark:border-slate-700 dark:bg-slate-900"
        >
          <p className="text-sm font-medium">{t("components.filter.showWhere")}</p>
          {drafts.length === 0 && (
            <p className="text-sm text-slate-600 dark:text-slate-300">{t("components.filter.none")}</p>
          )}
          <ul className="flex flex-col gap-2">
            {drafts.map((draft, index) => {
              const field = fields.find((f) => f.field === draft.field) ?? fields[0];
              if (!field) return null;
              const operators = operatorsOf(field);
              return (
                <li key={draft.key} className="grid grid-cols-1 gap-1.5 sm:grid-cols-[1fr_1fr_1fr_auto]">
                  <select
                    aria-label={t("components.filter.field", { number: index + 1 })}
                    className={inputClass}
                    value={draft.field}
                    onChange={(e) => {
                      const chosen = fields.find((f) => f.field === e.target.value);
                      if (chosen)
                        update(draft.key, {
                          field: chosen.field,
                          op: operatorsOf(chosen)[0] ?? "eq",
                          value: "",
                        });
                    }}
                  >
                    {fields.map((f) => (
                      <option key={f.field} value={f.field}>
                        {f.label}
                      </option>
                    ))}
                  </select>
                  <select
                    aria-label={t("components.filter.operator", { number: index + 1 })}
                    className={inputClass}
                    value={draft.op}
                    onChange={(e) =>
                      update(draft.key, {
                        op: e.target.value,
                        value: e.target.value === "empty" ? "true" : draft.value === "true" ? "" : draft.value,
                      })
                    }
                  >
                    {operators.map((op) => (
                      <option key={op} value={op}>
                        {operatorLabel(op)}
                      </option>
                    ))}
                  </select>
                  <FilterValue
                    field={field}
                    draft={draft}
                    index={index}
                    renderUserValue={renderUserValue}
                    renderRecordValue={renderRecordValue}
                    onChange={(v) => update(draft.key, { value: v })}
                  />
                  <Button
                    variant="ghost"
                    aria-label={t("components.filter.remove", { number: index + 1 })}
                    onClick={() => setDrafts((all) => all.filter((d) => d.key !== draft.key))}
                  >
                    ×
                  </Button>
                </li>
              );
            })}
          </ul>
          <div className="flex flex-wrap justify-between gap-2">
            <Button size="sm" onClick={addRow}>
              {t("components.filter.add")}
            </Button>
            <div className="flex gap-2">
              <Button size="sm" onClick={() => setDrafts([])}>
                {t("components.filter.clearAll")}
              </Button>
              <Button size="sm" variant="primary" onClick={apply}>
                {t("common.apply")}
              </Button>
            </div>
          </div>
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  );
}

type FilterValueProps = {
  field: FilterField;
  draft: ListFilter;
  index: number;
  renderUserValue: UserValueInput | undefined;
  renderRecordValue: RecordValueInput | undefined;
  onChange: (value: string) => void;
};

function FilterValue({ field, draft, index, renderUserValue, renderRecordValue, onChange }: FilterValueProps) {
  const { t } = useTranslation();
  const label = t("components.filter.value", { number: index + 1 });
  const yesNo = [
    { value: "true", label: t("components.filter.yes") },
    { value: "false", label: t("components.filter.no") },
  ];
  if (draft.op === "empty") {
    return (
      <select
        aria-label={label}
        className={inputClass}
        value={draft.value || "true"}
        onChange={(e) => onChange(e.target.value)}
      >
        {yesNo.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
    );
  }
  if (field.kind === "user" && renderUserValue) return renderUserValue({ label, value: draft.value, onChange });
  if (field.kind === "record" && renderRecordValue && field.records)
    return renderRecordValue({ label, records: field.records, value: draft.value, onChange });
  const onlyMe = [{ value: "me", label: t("common.me") }];
  const choices = field.kind === "user" ? onlyMe : field.kind === "boolean" ? yesNo : field.options;
  if (choices && draft.op !== "in") {
    return (
      <select aria-label={label} className={inputClass} value={draft.value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{t("common.choose")}</option>
        {choices.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
    );
  }
  if (choices) {
    const selected = draft.value ? draft.value.split(",") : [];
    return (
      <select
        aria-label={label}
        multiple
        className={inputClass}
        value={selected}
        onChange={(e) => onChange(Array.from(e.target.selectedOptions, (o) => o.value).join(","))}
      >
        {choices.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
    );
  }
  // A date picker for calendar days; a text box for values it cannot show ("now", an exact instant).
  const isDay = draft.value === "" || /^\d{4}-\d{2}-\d{2}$/.test(draft.value);
  const isDateKind = field.kind === "date" || field.kind === "datetime";
  const type = field.kind === "number" || field.kind === "decimal" ? "number" : isDateKind && isDay ? "date" : "text";
  return (
    <input
      aria-label={label}
      type={type}
      className={inputClass}
      value={draft.value}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}
