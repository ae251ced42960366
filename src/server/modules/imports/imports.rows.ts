import type { z } from "zod";
import { importFields, type ImportMapping, type ImportResource } from "../../../shared/schemas/import.ts";

/** The related records a row names by natural key, looked up (or created) before it is written. */
export type NaturalKeys = Partial<
  Record<"ownerEmail" | "assigneeEmail" | "company" | "contactEmail" | "pipelineName" | "stageName", string>
>;

/** A refusal of one row, on one column when it is about one. */
export type RowError = { column: string | null; message: string };

/** A row turned into the API's input: fields as a POST would send them, the keys to resolve. */
export type ConvertedRow = {
  input: Record<string, unknown>;
  keys: NaturalKeys;
  errors: RowError[];
  /** The row as the file has it, by header (errors.csv shows it). */
  raw: Record<string, string>;
};

const lowerCased = new Set(["lifecycle", "status", "priority", "direction", "type"]);
const instants = new Set(["dueAt", "remindAt", "occurredAt"]);
const decimals = new Set(["value", "estimatedValue", "annualRevenue"]);

/** "+49 (151) 123-45" → "+4915112345"; a leading 00 is the international prefix. */
function phoneText(cell: string): string {
  const compact = cell.replace(/[\s().\-/]/g, "");
  return compact.startsWith("00") ? `+${compact.slice(2)}` : compact;
}

/**
 * A cell as written before a spreadsheet's formula guard: exports (Keel's and spreadsheets')
 * write text starting with =, +, -, @, tab or CR after a `'`, which marks it as text, not part
 * of it ("'+4930…" is the phone +4930…).
 */
const unguarded = (cell: string) => (/^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell);

/** A cell's text as the value of its field; undefined for an empty cell (the field is left out). */
function valueOf(field: string, kind: string | undefined, cell: string): unknown {
  const text = unguarded(cell).trim();
  if (text === "") return undefined;
  if (kind === "tags")
    return text
      .split(/[;,]/)
      .map((tag) => tag.trim())
      .filter(Boolean);
  if (kind === "integer")
    return /^-?\d+$/.test(text.replace(/[\s,']/g, "")) ? Number(text.replace(/[\s,']/g, "")) : text;
  if (field === "phone") return phoneText(text);
  if (lowerCased.has(field)) return text.toLowerCase();
  if (decimals.has(field)) return text.replace(/[\s']/g, "");
  if (instants.has(field) && /^\d{4}-\d{2}-\d{2}$/.test(text)) return `${text}T00:00:00Z`;
  return text;
}

/** The input field a natural key sets: an error about `ownerId` is about the Owner column. */
const idOfKey: Record<string, string> = {
  ownerEmail: "ownerId",
  assigneeEmail: "assigneeId",
  company: "companyId",
  contactEmail: "contactId",
  pipelineName: "pipelineId",
  stageName: "stageId",
};

/** headersByField's answers: a batch asks for every row, and a run's mapping never changes. */
const headersOfMapping = new WeakMap<ImportMapping, Map<string, string>>();

/** The header each field comes from, to name the column of an error about a field (shared: read only). */
export function headersByField(mapping: ImportMapping): Map<string, string> {
  const known = headersOfMapping.get(mapping);
  if (known) return known;
  const headers = new Map<string, string>();
  headersOfMapping.set(mapping, headers);
  for (const [header, field] of Object.entries(mapping)) {
    if (!field) continue;
    headers.set(field, header);
    if (idOfKey[field]) headers.set(idOfKey[field], header);
  }
  return headers;
}

/** Each resource's field kinds and required fields, read once (convertRow runs for every row). */
const fieldFacts = new Map<ImportResource, { kinds: Map<string, string | undefined>; required: Set<string> }>();

function factsOf(resource: ImportResource) {
  let facts = fieldFacts.get(resource);
  if (!facts) {
    const fields = importFields[resource];
    const kinds = new Map<string, string | undefined>(fields.map((field) => [field.key, field.kind]));
    facts = { kinds, required: new Set(fields.filter((field) => field.required).map((field) => field.key)) };
    fieldFacts.set(resource, facts);
  }
  return facts;
}

/** Turns a row's cells into the create API's input and the natural keys it names. */
export function convertRow(
  resource: ImportResource,
  columns: string[],
  mapping: ImportMapping,
  cells: string[],
): ConvertedRow {
  const { kinds, required } = factsOf(resource);
  const input: Record<string, unknown> = {};
  const keys: NaturalKeys = {};
  const errors: RowError[] = [];
  columns.forEach((header, index) => {
    const cell = cells[index] ?? "";
    const field = Object.hasOwn(mapping, header) ? mapping[header] : null;
    if (!field) return;
    // PostgreSQL text cannot hold NUL, and a file may hide one anywhere (the upload looks at its start).
    if (cell.includes("\u0000"))
      return void errors.push({ column: header, message: "Must not contain NUL characters" });
    const kind = kinds.get(field);
    const value = valueOf(field, kind, cell);
    // An empty required cell is sent as "", so the API's own "Required" names its column.
    if (value === undefined && required.has(field)) input[field] = "";
    if (value === undefined) return;
    if (kind === "naturalKey") keys[field as keyof NaturalKeys] = String(value);
    else if (kind === "address") {
      const address = (input.address ??= {}) as Record<string, unknown>;
      address[field.slice("address.".length)] = value;
    } else input[field] = value;
  });
  return { input, keys, errors, raw: rawCells(columns, cells) };
}

/**
 * The row's cells by header, as errors.csv gives a failed row back: own properties only (a header
 * may be "__proto__"), and a NUL shown as U+FFFD, since the row is kept in PostgreSQL.
 */
function rawCells(columns: string[], cells: string[]): Record<string, string> {
  return Object.fromEntries(
    columns.map((header, index) => [header, (cells[index] ?? "").replaceAll("\u0000", "\ufffd")]),
  );
}

/** Zod's issues as row errors, each on the column its field came from. */
export function issuesAsErrors(error: z.ZodError, headers: Map<string, string>): RowError[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String);
    const field = path[0] === "address" && path[1] ? `address.${path[1]}` : (path[0] ?? "");
    const column = headers.get(field) ?? null;
    return { column, message: column ? issue.message : `${field || "row"}: ${issue.message}` };
  });
}
