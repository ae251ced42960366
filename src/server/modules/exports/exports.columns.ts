import { AppError } from "../../lib/errors.ts";
import type { ExportResource } from "./exports.resources.ts";

/**
 * The columns an export can hold, per record type, named as the API names the fields (plus a few
 * readable relations: `ownerEmail`, `companyName`…, loaded with the list's own `include`, one query
 * per page and relation). The kind decides how a format writes a cell: only `text` cells are
 * neutralised against formula injection in CSV; numbers and money are never text.
 */
export type CellKind = "text" | "integer" | "money" | "datetime" | "date" | "list";

/** A record as the list service answers it (API shape with its includes). */
type Item = Record<string, unknown>;

export type ExportColumn = {
  name: string;
  kind: CellKind;
  /** The list `include` this column needs. */
  include?: string;
  value: (item: Item) => unknown;
};

/** A cell value: what every format starts from. Null is an empty cell. */
export type Cell = string | number | Date | string[] | null;

const field =
  (name: string, kind: CellKind = "text") =>
  (): ExportColumn => ({ name, kind, value: (item) => item[name] });

/** A field of an embedded relation (`owner.email` as `ownerEmail`). */
function related(name: string, include: string, path: string, key: string): ExportColumn {
  return {
    name,
    kind: "text",
    include,
    value: (item) => (item[path] as Item | null | undefined)?.[key] ?? null,
  };
}

const personName = (summary: Item | null | undefined): string | null =>
  summary ? `${String(summary.firstName ?? "")} ${String(summary.lastName ?? "")}`.trim() : null;

const text = (name: string) => field(name)();
const timestamps = (): ExportColumn[] => [
  field("createdAt", "datetime")(),
  field("updatedAt", "datetime")(),
  text("createdBy"),
  field("deletedAt", "datetime")(),
];
const ownerColumns = (id = "ownerId", include = "owner"): ExportColumn[] => [
  text(id),
  related(`${include}Name`, include, include, "name"),
  related(`${include}Email`, include, include, "email"),
];

/** The link fields of activities and tasks, each with its record's name. */
const linkColumns = (): ExportColumn[] => [
  text("contactId"),
  { name: "contactName", kind: "text", include: "contact", value: (item) => personName(item.contact as Item) },
  text("leadId"),
  related("leadTitle", "lead", "lead", "title"),
  text("dealId"),
  related("dealName", "deal", "deal", "name"),
  text("companyId"),
  related("companyName", "company", "company", "name"),
];

const addressPart = (name: string): ExportColumn => ({
  name,
  kind: "text",
  value: (item) =>
    (item.address as Item | null)?.[name === "addressLine1" ? "line1" : name === "addressLine2" ? "line2" : name] ??
    null,
});

/** The primary contact of a lead (include=contacts). */
function primaryContact(item: Item): Item | null {
  const links = (item.contacts as { isPrimary: boolean; contact?: Item | null }[] | undefined) ?? [];
  return (links.find((link) => link.isPrimary) ?? links[0])?.contact ?? null;
}

export const exportColumns: Record<ExportResource, ExportColumn[]> = {
  contacts: [
    text("id"),
    text("firstName"),
    text("lastName"),
    text("email"),
    text("phone"),
    text("jobTitle"),
    text("companyId"),
    related("companyName", "company", "company", "name"),
    ...ownerColumns(),
    text("lifecycle"),
    text("source"),
    field("tags", "list")(),
    ...timestamps(),
    field("lastActivityAt", "datetime")(),
  ],
  companies: [
    text("id"),
    text("name"),
    text("domain"),
    text("industry"),
    text("phone"),
    ...["addressLine1", "addressLine2", "city", "region", "postalCode", "country"].map(addressPart),
    field("employeeCount", "integer")(),
    field("annualRevenue", "money")(),
    ...ownerColumns(),
    field("tags", "list")(),
    ...timestamps(),
    field("lastActivityAt", "datetime")(),
  ],
  leads: [
    text("id"),
    text("title"),
    text("status"),
    text("priority"),
    field("estimatedValue", "money")(),
    text("currency"),
    text("source"),
    field("score", "integer")(),
    ...ownerColumns(),
    text("lostReason"),
    text("companyId"),
    related("companyName", "company", "company", "name"),
    {
      name: "contactIds",
      kind: "list",
      value: (item) => (item.contacts as { contactId: string }[]).map((link) => link.contactId),
    },
    {
      name: "primaryContactName",
      kind: "text",
      include: "contacts",
      value: (item) => personName(primaryContact(item)),
    },
    {
      name: "primaryContactEmail",
      kind: "text",
      include: "contacts",
      value: (item) => primaryContact(item)?.email ?? null,
    },
    text("dealId"),
    field("convertedAt", "datetime")(),
    field("tags", "list")(),
    ...timestamps(),
    field("lastActivityAt", "datetime")(),
  ],
  deals: [
    text("id"),
    text("name"),
    field("value", "money")(),
    text("currency"),
    text("pipelineId"),
    text("stageId"),
    related("stageName", "stage", "stage", "name"),
    text("status"),
    field("probability", "integer")(),
    field("expectedCloseDate", "date")(),
    field("actualCloseDate", "date")(),
    text("contactId"),
    { name: "contactName", kind: "text", include: "contact", value: (item) => personName(item.contact as Item) },
    related("contactEmail", "contact", "contact", "email"),
    text("companyId"),
    related("companyName", "company", "company", "name"),
    text("leadId"),
    ...ownerColumns(),
    text("lostReason"),
    field("tags", "list")(),
    ...timestamps(),
    field("lastActivityAt", "datetime")(),
  ],
  activities: [
    text("id"),
    text("type"),
    text("subject"),
    text("body"),
    text("direction"),
    field("occurredAt", "datetime")(),
    field("durationMinutes", "integer")(),
    text("outcome"),
    ...linkColumns(),
    ...timestamps(),
  ],
  tasks: [
    text("id"),
    text("title"),
    text("description"),
    field("dueAt", "datetime")(),
    text("priority"),
    text("status"),
    field("completedAt", "datetime")(),
    ...ownerColumns("assigneeId", "assignee"),
    field("dependsOn", "list")(),
    field("remindAt", "datetime")(),
    ...linkColumns(),
    ...timestamps(),
  ],
};

/**
 * The columns of `columns=a,b,c` in that order, or every column of the type without it; 400
 * naming each unknown (or repeated) column.
 */
export function resolveColumns(resource: ExportResource, raw: string | undefined): ExportColumn[] {
  const available = exportColumns[resource];
  if (raw === undefined || raw.trim() === "") return available;
  const names = raw.split(",").map((name) => name.trim());
  const errors: { path: string; message: string }[] = [];
  const chosen: ExportColumn[] = [];
  for (const name of names) {
    const column = available.find((candidate) => candidate.name === name);
    if (!column) errors.push({ path: "columns", message: `Unknown column "${name}"` });
    else if (chosen.includes(column)) errors.push({ path: "columns", message: `Column "${name}" is named twice` });
    else chosen.push(column);
  }
  if (errors.length > 0) throw new AppError("validation", "Some columns cannot be exported.", errors);
  return chosen;
}

/** The list `include` the chosen columns need, one query per relation per page. */
export function includesOf(columns: ExportColumn[]): string[] {
  return [...new Set(columns.flatMap((column) => (column.include ? [column.include] : [])))];
}

/** A column's value in a record, normalised: ISO 8601 dates, money as decimal strings, null for empty. */
export function cellOf(column: ExportColumn, item: Item): Cell {
  const value = column.value(item);
  if (value === null || value === undefined) return null;
  if (column.kind === "list") return Array.isArray(value) ? value.map(String) : [String(value)];
  if (column.kind === "integer") return typeof value === "number" ? value : Number(value);
  if (value instanceof Date) return value;
  return String(value);
}
