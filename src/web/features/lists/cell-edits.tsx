import type { CellEdit } from "../../components/data-table/types.ts";
import { t } from "../../i18n/i18n.ts";
import { decimalFromInput, fromLocalInput, labelOf, toLocalInput } from "../../lib/format.ts";
import { RecordPicker } from "../records/RecordPicker.tsx";

/** How list cells of common kinds are edited in place; each list's columns pick theirs. */

/** A record's owner, chosen among the members who can own records by typing (server search). */
export function ownerEdit<T extends { ownerId: string | null }>(): CellEdit<T> {
  return {
    input: "text",
    value: (row) => row.ownerId ?? "",
    renderEditor: ({ label, value, onChange }) => (
      <RecordPicker
        isBare
        autoFocus
        collection="users"
        label={label}
        noneLabel={t("lists.cellEdits.nobody")}
        value={value}
        onChange={onChange}
      />
    ),
    toChanges: (value) => ({ ownerId: value || null }),
  };
}

/** Free text (a phone number, an industry): empty clears it. */
export function textEdit<T>(
  field: string,
  valueOf: (row: T) => string | null,
  input: "text" | "tel" = "text",
): CellEdit<T> {
  return {
    input,
    value: (row) => valueOf(row) ?? "",
    toChanges: (value) => ({ [field]: value.trim() === "" ? null : value.trim() }),
  };
}

/** One of fixed values, shown by their labels. */
export function choiceEdit<T>(field: string, valueOf: (row: T) => string, values: readonly string[]): CellEdit<T> {
  return {
    input: "select",
    value: valueOf,
    options: () => values.map((value) => ({ value, label: labelOf(value) })),
    toChanges: (value) => ({ [field]: value }),
  };
}

/** A calendar day (YYYY-MM-DD); empty clears it. */
export function dateEdit<T>(field: string, valueOf: (row: T) => string | null): CellEdit<T> {
  return {
    input: "date",
    value: (row) => valueOf(row) ?? "",
    toChanges: (value) => ({ [field]: value || null }),
  };
}

/** An instant, edited on the workspace's clock; empty clears it. */
export function dateTimeEdit<T>(field: string, valueOf: (row: T) => string | null): CellEdit<T> {
  return {
    input: "datetime-local",
    value: (row) => toLocalInput(valueOf(row)),
    toChanges: (value) => ({ [field]: fromLocalInput(value) }),
  };
}

/**
 * An amount as a decimal string ("1250.00"), typed as people write numbers in the workspace's
 * format ("12.500,50" where that is "1.234,56"): a text input, read by `decimalFromInput`.
 */
export function amountEdit<T>(field: string, valueOf: (row: T) => string | null): CellEdit<T> {
  return {
    input: "text",
    value: (row) => valueOf(row) ?? "",
    toChanges: (value) => ({ [field]: decimalFromInput(value) }),
  };
}
