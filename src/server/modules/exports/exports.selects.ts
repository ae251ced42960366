import type { CellKind } from "./exports.columns.ts";
import type { ExportResource } from "./exports.resources.ts";

/**
 * What the fast export read (exports.read.ts) selects for each column: one SQL expression over the
 * record's table (written `$t`) and at most one joined relation, so related names come in the same
 * statement as the rows. Instants are formatted by the database as ISO 8601 text (as
 * `Date.toISOString` writes them), money as decimal text; integers and text arrays come as the
 * driver reads them. A column missing here (a lead's contacts, a task's dependencies) is read by
 * the list use case instead (see exports.stream.ts).
 */
export type ColumnSelect = {
  sql: string;
  join?: RelationName;
  /** Text that never needs quoting or neutralising in CSV (an id). */
  plain?: true;
};

/** The relations a column may join, each under an alias of its own (never a table's name). */
export type RelationName = "company" | "owner" | "assignee" | "contact" | "lead" | "deal" | "stage";

/** `left join`s of the relations, `$t` the record's table: tenant tables on the workspace too. */
export const relationJoins: Record<RelationName, string> = {
  company: `left join "companies" "company" on "company"."workspace_id" = $t."workspace_id" and "company"."id" = $t."company_id"`,
  owner: `left join "users" "owner" on "owner"."id" = $t."owner_id"`,
  assignee: `left join "users" "assignee" on "assignee"."id" = $t."assignee_id"`,
  contact: `left join "contacts" "contact" on "contact"."workspace_id" = $t."workspace_id" and "contact"."id" = $t."contact_id"`,
  lead: `left join "leads" "lead" on "lead"."workspace_id" = $t."workspace_id" and "lead"."id" = $t."lead_id"`,
  deal: `left join "deals" "deal" on "deal"."workspace_id" = $t."workspace_id" and "deal"."id" = $t."deal_id"`,
  stage: `left join "pipeline_stages" "stage" on "stage"."workspace_id" = $t."workspace_id" and "stage"."id" = $t."stage_id"`,
};

/** An instant as `YYYY-MM-DDTHH:MM:SS.sssZ`, exactly as the API writes it. */
const iso = (expression: string) => `to_char(${expression} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const own = (column: string): ColumnSelect => ({ sql: `$t."${column}"` });
const uuid = (column: string): ColumnSelect => ({ sql: `$t."${column}"::text`, plain: true });
const instant = (column: string): ColumnSelect => ({ sql: iso(`$t."${column}"`) });
const money = (column: string): ColumnSelect => ({ sql: `$t."${column}"::text` });
const date = (column: string): ColumnSelect => ({ sql: `$t."${column}"::text` });
/** A person's name as the list's summaries write it: first and last, trimmed; null without one. */
const personName = (alias: string): ColumnSelect => ({
  sql: `case when "${alias}"."id" is null then null else btrim("${alias}"."first_name" || ' ' || "${alias}"."last_name") end`,
  join: alias as RelationName,
});
const relationField = (join: RelationName, column: string): ColumnSelect => ({ sql: `"${join}"."${column}"`, join });
const addressPart = (key: string): ColumnSelect => ({ sql: `$t."address"->>'${key}'` });

const recordColumns: Record<string, ColumnSelect> = {
  id: uuid("id"),
  createdAt: instant("created_at"),
  updatedAt: instant("updated_at"),
  createdBy: uuid("created_by"),
  deletedAt: instant("deleted_at"),
};

const ownerColumns = (key = "owner_id", relation: "owner" | "assignee" = "owner"): Record<string, ColumnSelect> => ({
  [relation === "owner" ? "ownerId" : "assigneeId"]: uuid(key),
  [`${relation}Name`]: relationField(relation, "name"),
  [`${relation}Email`]: relationField(relation, "email"),
});

const linkColumns: Record<string, ColumnSelect> = {
  contactId: uuid("contact_id"),
  contactName: personName("contact"),
  leadId: uuid("lead_id"),
  leadTitle: relationField("lead", "title"),
  dealId: uuid("deal_id"),
  dealName: relationField("deal", "name"),
  companyId: uuid("company_id"),
  companyName: relationField("company", "name"),
};

export const columnSelects: Record<ExportResource, Record<string, ColumnSelect>> = {
  contacts: {
    ...recordColumns,
    lastActivityAt: instant("last_activity_at"),
    firstName: own("first_name"),
    lastName: own("last_name"),
    email: own("email"),
    phone: own("phone"),
    jobTitle: own("job_title"),
    companyId: uuid("company_id"),
    companyName: relationField("company", "name"),
    ...ownerColumns(),
    lifecycle: own("lifecycle"),
    source: own("source"),
    tags: own("tags"),
  },
  companies: {
    ...recordColumns,
    lastActivityAt: instant("last_activity_at"),
    name: own("name"),
    domain: own("domain"),
    industry: own("industry"),
    phone: own("phone"),
    addressLine1: addressPart("line1"),
    addressLine2: addressPart("line2"),
    city: addressPart("city"),
    region: addressPart("region"),
    postalCode: addressPart("postalCode"),
    country: addressPart("country"),
    employeeCount: own("employee_count"),
    annualRevenue: money("annual_revenue"),
    ...ownerColumns(),
    tags: own("tags"),
  },
  leads: {
    ...recordColumns,
    lastActivityAt: instant("last_activity_at"),
    title: own("title"),
    status: own("status"),
    priority: own("priority"),
    estimatedValue: money("estimated_value"),
    currency: own("currency"),
    source: own("source"),
    score: own("score"),
    ...ownerColumns(),
    lostReason: own("lost_reason"),
    companyId: uuid("company_id"),
    companyName: relationField("company", "name"),
    dealId: uuid("deal_id"),
    convertedAt: instant("converted_at"),
    tags: own("tags"),
  },
  deals: {
    ...recordColumns,
    lastActivityAt: instant("last_activity_at"),
    name: own("name"),
    value: money("value"),
    currency: own("currency"),
    pipelineId: uuid("pipeline_id"),
    stageId: uuid("stage_id"),
    stageName: relationField("stage", "name"),
    status: own("status"),
    probability: own("probability"),
    expectedCloseDate: date("expected_close_date"),
    actualCloseDate: date("actual_close_date"),
    contactId: uuid("contact_id"),
    contactName: personName("contact"),
    contactEmail: relationField("contact", "email"),
    companyId: uuid("company_id"),
    companyName: relationField("company", "name"),
    leadId: uuid("lead_id"),
    ...ownerColumns(),
    lostReason: own("lost_reason"),
    tags: own("tags"),
  },
  activities: {
    ...recordColumns,
    type: own("type"),
    subject: own("subject"),
    body: own("body"),
    direction: own("direction"),
    occurredAt: instant("occurred_at"),
    durationMinutes: own("duration_minutes"),
    outcome: own("outcome"),
    ...linkColumns,
  },
  tasks: {
    ...recordColumns,
    title: own("title"),
    description: own("description"),
    dueAt: instant("due_at"),
    priority: own("priority"),
    status: own("status"),
    completedAt: instant("completed_at"),
    ...ownerColumns("assignee_id", "assignee"),
    remindAt: instant("remind_at"),
    ...linkColumns,
  },
};

/**
 * A column's CSV field written by the database, exactly as exports.csv.ts writes it: empty for
 * null; text and lists (`;` between items) neutralised against formula injection (a leading `'`
 * before `=`, `+`, `-`, `@`, tab or CR) and quoted when they hold a comma, a quote or a line
 * break; numbers, money, dates, instants and ids as they are (never text, never quoted). For a
 * query's own output (the embedded database, which has no COPY).
 */
export function csvFieldSql(select: ColumnSelect, kind: CellKind): string {
  if (!needsGuarding(select, kind)) return `coalesce((${select.sql})::text, '')`;
  const value = textOf(select, kind);
  const neutralised = neutralisedSql(value);
  // strpos and ascii rather than a regular expression and left(): a third less of the query's time.
  const needsQuotes = `strpos(${value}, '"') > 0 or strpos(${value}, ',') > 0 or strpos(${value}, E'\\n') > 0 or strpos(${value}, E'\\r') > 0`;
  return `coalesce(case when ${needsQuotes} then '"' || replace(${neutralised}, '"', '""') || '"' else ${neutralised} end, '')`;
}

/**
 * The same field for `COPY … (format csv)` (db/copy-csv.ts), whose CSV writer quotes it: only
 * neutralised here, and an empty text made null, so that it is written empty as exports.csv.ts
 * writes it rather than as `""`.
 */
export function csvCopyFieldSql(select: ColumnSelect, kind: CellKind): string {
  if (!needsGuarding(select, kind)) return `(${select.sql})::text`;
  return `nullif(${neutralisedSql(textOf(select, kind))}, '')`;
}

const needsGuarding = (select: ColumnSelect, kind: CellKind) => !select.plain && (kind === "text" || kind === "list");

const textOf = (select: ColumnSelect, kind: CellKind) =>
  kind === "list" ? `array_to_string(${select.sql}, ';')` : `(${select.sql})::text`;

/** A leading `'` before `=`, `+`, `-`, `@`, tab or CR (by their code points). */
const neutralisedSql = (value: string) =>
  `case when ascii(${value}) in (61, 43, 45, 64, 9, 13) then '''' || ${value} else ${value} end`;
