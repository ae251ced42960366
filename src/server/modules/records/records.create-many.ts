import { getTableColumns, is, SQL, sql, type Column } from "drizzle-orm";
import { toSnakeCase } from "drizzle-orm/casing";
import type { EventResource } from "../../../shared/events.ts";
import type { Transaction } from "../../db/client.ts";
import type { lockRecord } from "../../db/records.ts";
import type { RequestContext } from "../../lib/context.ts";
import { AppError } from "../../lib/errors.ts";
import { newId } from "../../lib/ids.ts";
import { fieldChanges } from "../audit/audit.changes.ts";
import { recordFactsOfMany, type RecordSubject } from "../audit/audit.service.ts";
import type { DomainEvent } from "../outbox/index.ts";
import { defaultCountryOf, hasPhones, phonesInE164 } from "./records.phones.ts";
import { createRecordIn, type RecordType } from "./records.write.ts";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any record type
type AnyRecordType = RecordType<any, { id: string }, any, any>;
type Input = Record<string, unknown>;
type RecordTable = Parameters<typeof lockRecord>[1];

/** What became of one input: its record, or why it was refused before anything was written. */
export type CreateOutcome<T> = { record: T } | { refusal: AppError };

/**
 * The column values a record type's insert hook writes for one input (its defaults and owner
 * rule), for the types whose insert is a plain row and which have no afterWrite work: those are
 * created set-based. Must say what the type's `insert` says (contacts.service.ts,
 * companies.service.ts); every other type is created row by row through createRecordIn.
 */
const rowValues: Partial<Record<EventResource, (ctx: RequestContext, input: Input) => Input>> = {
  contact: (ctx, input) => ({
    ...input,
    email: input.email ?? null,
    ownerId: input.ownerId === undefined ? ctx.actor.userId : input.ownerId,
  }),
  company: (ctx, input) => ({ ...input, ownerId: input.ownerId === undefined ? ctx.actor.userId : input.ownerId }),
};

/** Whether createRecordsIn writes this type's records with one statement (else one by one). */
export const isCreatedSetBased = (type: Pick<AnyRecordType, "resource" | "afterWrite">) =>
  rowValues[type.resource] !== undefined && type.afterWrite === undefined;

/**
 * createRecordIn for many inputs of one type, in the caller's transaction and after the caller's
 * permission and owner checks: the same phone normalisation, defaults and owner rule, then one
 * INSERT for all records and one statement for their audit entries and `<resource>.created`
 * events (one each per record, exactly those a single create writes). An input whose phone is not
 * a number is refused on its own (nothing written for it); a refusal of the database (a unique
 * value taken) fails the statement, so the caller writes the inputs again one by one to learn
 * which. Outcomes are in the order of the inputs.
 */
export async function createRecordsIn<TTable extends RecordTable, T extends { id: string }, C, U>(
  tx: Transaction,
  ctx: RequestContext,
  type: RecordType<TTable, T, C, U>,
  inputs: readonly C[],
): Promise<CreateOutcome<T>[]> {
  const anyType = type as AnyRecordType;
  if (inputs.length === 0) return [];
  if (!isCreatedSetBased(anyType)) {
    const outcomes: CreateOutcome<T>[] = [];
    for (const input of inputs) outcomes.push({ record: (await createRecordIn(tx, ctx, anyType, input)) as T });
    return outcomes;
  }
  const normalised = await withPhonesInE164Each(tx, ctx, anyType.phoneFields ?? [], inputs as readonly Input[]);
  const valuesOf = rowValues[anyType.resource]!;
  const values = normalised.map((input): Input | null =>
    input instanceof AppError
      ? null
      : { ...valuesOf(ctx, input), workspaceId: ctx.workspaceId, id: newId(), createdBy: ctx.actor.userId },
  );
  const rows = await insertRows(
    tx,
    anyType.table,
    values.filter((v): v is Input => v !== null),
  );
  const byId = new Map(rows.map((row) => [(row as { id: string }).id, row]));
  const records = new Map<string, T>();
  for (const row of rows) {
    const record = (await anyType.present(tx, row)) as T;
    records.set(record.id, record);
  }
  await recordCreations(tx, ctx, anyType, [...records.values()]);
  return values.map((value, index) => {
    if (value === null) return { refusal: normalised[index] as AppError };
    if (!byId.has(value.id as string)) throw new Error("a created record was not returned");
    return { record: records.get(value.id as string)! };
  });
}

/** Each input's phones in E.164 (the workspace's default country read once), or the refusal of it. */
async function withPhonesInE164Each(
  tx: Transaction,
  ctx: RequestContext,
  fields: readonly string[],
  inputs: readonly Input[],
): Promise<(Input | AppError)[]> {
  if (!inputs.some((input) => hasPhones(fields, input))) return [...inputs];
  const country = await defaultCountryOf(tx, ctx.workspaceId);
  return inputs.map((input) => phonesInE164(fields, input, country));
}

type InsertableColumn = { key: string; name: string; column: Column };

function insertableColumns(table: AnyRecordType["table"]): InsertableColumn[] {
  return (
    Object.entries(getTableColumns(table) as Record<string, Column>)
      // Generated columns are computed by the database, as drizzle's own insert leaves them out.
      .filter(([, column]) => !column.generated)
      .map(([key, column]) => ({ key, name: column.keyAsName ? toSnakeCase(column.name) : column.name, column }))
  );
}

/**
 * Inserts rows (values by property, as drizzle's insert takes them) with one statement whatever
 * their number: the rows travel as one JSON parameter (thousands of bound parameters cost more
 * to bind than the insert itself), each read into the table's row type. A value a row leaves
 * out gets the column's default, as in a plain INSERT. Answers the rows without their generated
 * columns.
 */
async function insertRows(tx: Transaction, table: AnyRecordType["table"], rows: Input[]): Promise<object[]> {
  if (rows.length === 0) return [];
  const columns = insertableColumns(table);
  // What each column's default is, worked out once for all rows rather than for each.
  const defaults = columns.map(({ column }) => ({
    defaultFn: column.defaultFn,
    constant: column.default !== undefined && !is(column.default, SQL) ? column.default : undefined,
  }));
  const documents = rows.map((row) => {
    const document: Input = {};
    columns.forEach(({ key, name }, index) => {
      const { defaultFn, constant } = defaults[index]!;
      let value = row[key];
      if (value === undefined && defaultFn) value = defaultFn();
      if (value === undefined) value = constant;
      if (value !== undefined && !(typeof value === "object" && value !== null && is(value, SQL)))
        document[name] = value;
    });
    return document;
  });
  const selected = columns.map(({ name, column }) => {
    const field = sql`${sql.identifier("p")}.${sql.identifier(name)}`;
    return is(column.default, SQL) ? sql`case when e.j ? ${name} then ${field} else ${column.default} end` : field;
  });
  const select = sql`select ${sql.join(selected, sql`, `)}
    from jsonb_array_elements(${JSON.stringify(documents)}::jsonb) as e(j),
      lateral jsonb_populate_record(null::${table}, e.j) as p`;
  // The inserted columns only: a generated one (a search vector) costs much to send and read, and
  // no record's `present` shows it.
  const returned = Object.fromEntries(columns.map(({ key, column }) => [key, column]));
  return (await tx
    .insert(table)
    .select(select)
    .returning(returned as never)) as object[];
}

/**
 * recordChange (records.write.ts) of `created` for many records: one audit entry each, with its
 * field changes, and its `<resource>.created` event (and the type's own events), in one statement.
 */
async function recordCreations(
  tx: Transaction,
  ctx: RequestContext,
  type: Pick<AnyRecordType, "resource" | "events">,
  records: readonly { id: string }[],
): Promise<void> {
  if (records.length === 0) return;
  const { resource } = type;
  const subjects: RecordSubject[] = [];
  const events: DomainEvent[] = [];
  const action = `${resource}.created`;
  for (const record of records) {
    subjects.push({ resourceId: record.id, changes: fieldChanges(null, record) });
    events.push({ type: action, resourceId: record.id, payload: { record } } as DomainEvent);
    events.push(...(type.events?.(null, record) ?? []));
  }
  await recordFactsOfMany(tx, ctx, { action, resourceType: resource }, subjects, events);
}
