import type { ReactNode } from "react";

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
};

export type FieldKind = "text" | "enum" | "number" | "decimal" | "date" | "datetime" | "user" | "boolean" | "tags";

/** A field the filter builder offers; `options` are the choices of an enum. */
export type FilterField = {
  field: string;
  label: string;
  kind: FieldKind;
  options?: readonly { value: string; label: string }[];
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
  boolean: ["eq"],
  tags: ["contains", "in", "empty"],
};

export const operatorLabels: Record<string, string> = {
  eq: "is",
  ne: "is not",
  in: "is any of",
  contains: "contains",
  gt: "is after / more than",
  gte: "is on or after / at least",
  lt: "is before / less than",
  lte: "is on or before / at most",
  empty: "is empty",
};
