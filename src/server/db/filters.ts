import { sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { DateSchema, minYear } from "../../shared/schemas/common.ts";
import { isUuid } from "../lib/ids.ts";
import type { FieldType, ListField } from "./listing.ts";

/** Turns `filter[field][op]=value` into SQL, validating the operator and the value per field type. */

const operatorsByType: Record<FieldType, readonly string[]> = {
  text: ["eq", "ne", "in", "contains", "empty", "gt", "gte", "lt", "lte"],
  uuid: ["eq", "ne", "in", "empty"],
  integer: ["eq", "ne", "in", "gt", "gte", "lt", "lte", "empty"],
  decimal: ["eq", "ne", "in", "gt", "gte", "lt", "lte", "empty"],
  timestamp: ["eq", "ne", "in", "gt", "gte", "lt", "lte", "empty"],
  date: ["eq", "ne", "in", "gt", "gte", "lt", "lte", "empty"],
  boolean: ["eq", "ne", "empty"],
  enum: ["eq", "ne", "in", "empty"],
  tags: ["eq", "ne", "in", "contains", "empty"],
};

const sqlTypeOf: Record<FieldType, string> = {
  text: "text",
  uuid: "uuid",
  integer: "integer",
  decimal: "numeric",
  timestamp: "timestamptz",
  date: "date",
  boolean: "boolean",
  enum: "text",
  tags: "text",
};

const maxInValues = 100;

/** The operators `filter[field][op]` accepts for a field (saved views check theirs with it). */
export function operatorsOf(definition: ListField): readonly string[] {
  return operatorsByType[definition.type];
}

const instantSchema = z.iso.datetime({ offset: true, local: true });
const isInstant = (value: string) => instantSchema.safeParse(value).success && Number(value.slice(0, 4)) >= minYear;

/** Validates and converts one filter value; returns null (and records an error) when invalid. */
function parseValue(definition: ListField, value: string, actorId: string): string | null {
  switch (definition.type) {
    case "uuid":
      if (value === "me" && definition.acceptsMe) return actorId;
      return isUuid(value) ? value : null;
    case "integer":
      // The columns are 32-bit: a value past their range could match nothing and would fail the cast.
      return /^-?\d{1,10}$/.test(value) && Math.abs(Number(value)) <= 2_147_483_647 ? value : null;
    case "decimal":
      return /^-?\d{1,14}(\.\d{1,2})?$/.test(value) ? value : null;
    case "timestamp":
      // `now` lets saved filters such as "overdue" (dueAt < now) stay true over time.
      if (value === "now") return new Date().toISOString();
      // A day, or an instant with or without an offset (then in the server's zone), each a real
      // calendar date from 1900 on, as bodies are checked (no 2024-02-30, no year 0).
      return DateSchema.safeParse(value).success || isInstant(value) ? value : null;
    case "date":
      return DateSchema.safeParse(value).success ? value : null;
    case "boolean":
      return value === "true" || value === "false" ? value : null;
    case "enum":
      return definition.values?.includes(value) ? value : null;
    case "text":
    case "tags":
      return value.length <= 200 ? value : null;
  }
}

export function buildFilter(
  definition: ListField,
  operatorGiven: string | undefined,
  value: string,
  actorId: string,
  path: string,
  errors: { path: string; message: string }[],
): SQL | null {
  const values = value.split(",");
  const operator = operatorGiven ?? (values.length > 1 ? "in" : "eq");
  const operators = definition.matches ? ["eq", "in"] : operatorsByType[definition.type];
  if (!operators.includes(operator)) {
    errors.push({ path, message: `Operator "${operator}" does not apply to this field` });
    return null;
  }
  const column = definition.column;
  if (operator === "empty") {
    if (value !== "true" && value !== "false") {
      errors.push({ path, message: "Must be true or false" });
      return null;
    }
    const isEmpty =
      definition.type === "tags"
        ? sql`cardinality(${column}) = 0`
        : definition.type === "text"
          ? sql`coalesce(${column}, '') = ''`
          : sql`${column} is null`;
    return value === "true" ? isEmpty : sql`not (${isEmpty})`;
  }
  const list = operator === "in" ? values : [value];
  if (list.length > maxInValues) {
    errors.push({ path, message: `At most ${maxInValues} values` });
    return null;
  }
  const parsed: string[] = [];
  for (const item of list) {
    const converted = parseValue(definition, item, actorId);
    if (converted === null) {
      errors.push({ path, message: describeExpected(definition) });
      return null;
    }
    parsed.push(converted);
  }
  return definition.matches ? definition.matches(parsed) : filterCondition(definition, operator, parsed);
}

function describeExpected(definition: ListField): string {
  switch (definition.type) {
    case "uuid":
      return definition.acceptsMe ? "Must be a UUID or me" : "Must be a UUID";
    case "integer":
      return "Must be an integer between -2147483648 and 2147483647";
    case "decimal":
      return "Must be a decimal number";
    case "timestamp":
      return "Must be an ISO 8601 date-time (or a date, YYYY-MM-DD) from the year 1900, or now";
    case "date":
      return "Must be a date, YYYY-MM-DD, from the year 1900";
    case "boolean":
      return "Must be true or false";
    case "enum":
      return `Must be one of: ${definition.values?.join(", ")}`;
    default:
      return "At most 200 characters";
  }
}

function filterCondition(definition: ListField, operator: string, values: string[]): SQL {
  const column = definition.column;
  const cast = sql.raw(sqlTypeOf[definition.type]);
  const bind = (v: string) => sql`cast(${v} as ${cast})`;
  if (definition.type === "tags") {
    const array = sql`array[${sql.join(
      values.map((v) => sql`${v}`),
      sql`, `,
    )}]::text[]`;
    if (operator === "in") return sql`${column} && ${array}`;
    if (operator === "ne") return sql`not (${column} @> ${array})`;
    return sql`${column} @> ${array}`;
  }
  const [first = ""] = values;
  const lhs = definition.caseInsensitive ? sql`lower(${column})` : sql`${column}`;
  const rhs = (v: string) => (definition.caseInsensitive ? bind(v.toLowerCase()) : bind(v));
  switch (operator) {
    case "eq":
      return sql`${lhs} = ${rhs(first)}`;
    case "ne":
      return sql`${lhs} is distinct from ${rhs(first)}`;
    case "in":
      return sql`${lhs} in (${sql.join(values.map(rhs), sql`, `)})`;
    case "gt":
      return sql`${column} > ${bind(first)}`;
    case "gte":
      return sql`${column} >= ${bind(first)}`;
    case "lt":
      return sql`${column} < ${bind(first)}`;
    case "lte":
      return sql`${column} <= ${bind(first)}`;
    default: {
      const escaped = first.replace(/[\\%_]/g, (c) => `\\${c}`);
      return sql`${column} ilike ${`%${escaped}%`}`;
    }
  }
}
