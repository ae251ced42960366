import type { ReactNode } from "react";
import { t } from "../../i18n/i18n.ts";

/** One column of a DataTable. `sortField` makes the header sortable by that API field. */
export type DataColumn<T> = {
  key: string;
  header: string;
  cell: (row: T) => ReactNode;
  sortField?: string;
  /** Width in CSS, e.g. "12rem". */
  width?: string;
  /** Hidden until chosen in the column chooser. */
  isHiddenByDefault?: boolean;
  /** Editable in its cell (double-click, or Enter on its edit button), saved as `toChanges(value)`. */
  edit?: CellEdit<T>;
};

/** How a cell is edited in place: the value it starts from, its input, and the change it saves. */
export type CellEdit<T> = {
  /** The editor's starting value, as text. */
  value: (row: T) => string;
  input: "text" | "tel" | "number" | "date" | "datetime-local" | "select";
  /** The choices of a select (they may depend on the row, e.g. the stages of its pipeline). */
  options?: (row: T) => readonly { value: string; label: string }[];
  /** An editor of its own instead of an input (a record picker); it gets the draft and sets it. */
  renderEditor?: (editor: { label: string; value: string; onChange: (value: string) => void }) => ReactNode;
  /** The body of the update the draft amounts to, e.g. `{ phone: value || null }`. */
  toChanges: (value: string, row: T) => Record<string, unknown>;
};

export type FieldKind =
  "text" | "enum" | "number" | "decimal" | "date" | "datetime" | "user" | "record" | "boolean" | "tags";

/**
 * A field the filter builder offers; `options` are the choices of an enum, `records` names what a
 * "record" field's picker searches (e.g. "companies"), `operators` narrows the kind's operators.
 */
export type FilterField = {
  field: string;
  label: string;
  kind: FieldKind;
  options?: readonly { value: string; label: string }[];
  records?: string;
  operators?: readonly string[];
};

/** The API's operators by field kind, with the words the filter builder shows. */
export const operatorsByKind: Record<FieldKind, readonly string[]> = {
  text: ["contains", "eq", "ne", "empty"],
  enum: ["eq", "ne", "in", "empty"],
  number: ["eq", "gt", "gte", "lt", "lte", "empty"],
  decimal: ["eq", "gt", "gte", "lt", "lte", "empty"],
  date: ["eq", "gt", "gte", "lt", "lte", "empty"],
  datetime: ["gte", "lte", "gt", "lt", "empty"],
  user: ["eq", "ne", "empty"],
  record: ["eq", "empty"],
  boolean: ["eq"],
  tags: ["contains", "in", "empty"],
};

/** The words the filter builder shows for an operator; an operator it has no words for shows as it is. */
export function operatorLabel(op: string): string {
  switch (op) {
    case "eq":
      return t("components.filter.operators.eq");
    case "ne":
      return t("components.filter.operators.ne");
    case "in":
      return t("components.filter.operators.in");
    case "contains":
      return t("components.filter.operators.contains");
    case "gt":
      return t("components.filter.operators.gt");
    case "gte":
      return t("components.filter.operators.gte");
    case "lt":
      return t("components.filter.operators.lt");
    case "lte":
      return t("components.filter.operators.lte");
    case "empty":
      return t("components.filter.operators.empty");
    default:
      return op;
  }
}
