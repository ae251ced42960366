import { and, eq, is, SQL, sql } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import type { BulkCollection, BulkRequest, RefusedRecord } from "../../../shared/schemas/bulk.ts";
import type { Action } from "../../../shared/permissions.ts";
import { translateDatabaseError } from "../../db/constraints.ts";
import { inIds } from "../../db/id-lists.ts";
import type { Transaction } from "../../db/client.ts";
import type { ListSpec } from "../../db/listing.ts";
import { assertAllowedOn, type Ownership } from "../../lib/access.ts";
import type { RequestContext } from "../../lib/context.ts";
import { AppError } from "../../lib/errors.ts";
import { recordChanges, type Change, type ChangeAction } from "./records.bulk.facts.ts";
import { bulkOperationRecords } from "./records.bulk.table.ts";
import type { RecordType } from "./records.write.ts";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any record type
export type AnyRecordType = RecordType<any, any, any, any>;

/** A record type as bulk actions see it: its write-path hooks, its list (for filters), its owner field. */
export type BulkTarget = {
  collection: BulkCollection;
  type: AnyRecordType;
  listSpec: ListSpec;
  /** The field `assign` sets: `ownerId`, a task's `assigneeId`, or null when nobody owns the records. */
  assignField: "ownerId" | "assigneeId" | null;
};

/** A locked row of a record table. */
export type RecordRow = Record<string, unknown> & { id: string; version: number; deletedAt: Date | null };
type Presented = { id: string };

/** The permission a bulk action needs, on the collection and then on each record. */
export function permissionOf(action: BulkRequest["action"]): Action {
  return action === "delete" || action === "restore" ? action : "update";
}

/** What a chunk did: how many records changed, and which were refused and why. */
export type ChunkOutcome = { updated: number; refused: RefusedRecord[] };

/** A change that passed every rule, ready to be written. */
export type Planned = { row: RecordRow; before: Presented; values: Record<string, unknown> };

// One object for every record of a chunk, so that their deletes group into one statement.
const now = sql`now()`;

/**
 * Applies a bulk action to a chunk of locked rows, in the caller's transaction, with the steps of
 * the single-record use cases (records.write.ts) and the record type's own hooks: permission on the
 * record, its state (live, or deleted to restore), the type's rules (`changes`, `beforeDelete`), then the write, `afterWrite`, and an audit
 * entry with events per record. A record refused by a permission or a rule is reported and left as
 * it is; the others are written with one UPDATE per distinct set of values (a bulk action sets the
 * same values on every record, so usually one per chunk). The values each record had before are
 * kept in bulk_operation_records, for undo.
 */
export async function applyChunk(
  tx: Transaction,
  ctx: RequestContext,
  target: BulkTarget,
  request: BulkRequest,
  operationId: string,
  rows: readonly RecordRow[],
): Promise<ChunkOutcome> {
  const refused: RefusedRecord[] = [];
  const planned: Planned[] = [];
  for (const row of rows) {
    try {
      const plan = await planChange(tx, ctx, target, request, row);
      if (plan) planned.push(plan);
    } catch (error) {
      refused.push({ id: row.id, message: refusalMessage(error) });
    }
  }
  const written = await writePlanned(tx, ctx, target, planned, refused);
  const action: ChangeAction =
    request.action === "delete" ? "deleted" : request.action === "restore" ? "restored" : "updated";
  await recordWritten(tx, ctx, target, action, operationId, written, { keepBefore: true });
  return { updated: written.length, refused };
}

/** The record's change after its permission and rules; null when there is nothing to change. */
async function planChange(
  tx: Transaction,
  ctx: RequestContext,
  target: BulkTarget,
  request: BulkRequest,
  row: RecordRow,
): Promise<Planned | null> {
  const { type } = target;
  // The caller's right to change the record before its state: a record they may read but not
  // change is refused for their role alone, whether or not it is in the trash.
  assertAllowedOn(ctx, permissionOf(request.action), type.resource, type.ownershipOf?.(row) ?? (row as Ownership));
  const wantsDeleted = request.action === "restore";
  if ((row.deletedAt !== null) !== wantsDeleted) {
    throw new AppError("conflict", wantsDeleted ? "It is not deleted." : "It is deleted; restore it first.");
  }
  const before = (await type.present(tx, row)) as Presented;
  if (request.action === "delete") {
    await type.beforeDelete?.(tx, ctx, row);
    return { row, before, values: { deletedAt: now } };
  }
  if (request.action === "restore") return { row, before, values: { deletedAt: null } };
  const input = inputFor(target, request, row);
  if (input === null) return null;
  const values = (await type.changes(tx, ctx, row, input)) as Record<string, unknown> | null;
  return values === null ? null : { row, before, values };
}

/** The update input one record gets: the same as a PATCH of that record would send. */
function inputFor(target: BulkTarget, request: BulkRequest, row: RecordRow): Record<string, unknown> | null {
  const current = (row.tags as string[] | undefined) ?? [];
  switch (request.action) {
    case "assign":
      return target.assignField ? { [target.assignField]: request.ownerId ?? null } : null;
    case "addTags": {
      const tags = [...new Set([...current, ...(request.tags ?? [])])];
      if (tags.length === current.length) return null;
      if (tags.length > 20) throw new AppError("rule-violation", "It would have more than 20 tags.");
      return { tags };
    }
    case "removeTags": {
      const tags = current.filter((tag) => !request.tags?.includes(tag));
      return tags.length === current.length ? null : { tags };
    }
    default:
      return request.fields ?? {};
  }
}

/** The message a refused record is reported with: the rule's own (they are written for people). */
function refusalMessage(error: unknown): string {
  const refusal = error instanceof AppError ? error : translateDatabaseError(error);
  if (!refusal) throw error;
  const details = (refusal.errors ?? []).map((e) => e.message).filter((m) => !refusal.message.includes(m));
  return details.length > 0 ? `${refusal.message} (${details.join("; ")})` : refusal.message;
}

export type Written = Planned & { written: RecordRow };

/**
 * Writes the planned changes, one statement per distinct set of values. A statement that breaks a
 * constraint (a restored e-mail address taken meanwhile) is rolled back to its savepoint and its
 * records written one by one, so only the records at fault are refused.
 */
export async function writePlanned(
  tx: Transaction,
  ctx: RequestContext,
  target: BulkTarget,
  planned: readonly Planned[],
  refused: RefusedRecord[],
): Promise<Written[]> {
  const written: Written[] = [];
  for (const group of groupByValues(planned)) {
    const values = group[0]?.values ?? {};
    try {
      const rows = await tx.transaction((savepoint) => writeRows(savepoint, ctx, target, group, values));
      written.push(...rows);
    } catch (error) {
      if (!translateDatabaseError(error)) throw error;
      for (const plan of group) {
        try {
          written.push(...(await tx.transaction((savepoint) => writeRows(savepoint, ctx, target, [plan], values))));
        } catch (single) {
          refused.push({ id: plan.row.id, message: refusalMessage(single) });
        }
      }
    }
  }
  return written;
}

async function writeRows(
  tx: Transaction,
  ctx: RequestContext,
  target: BulkTarget,
  plans: readonly Planned[],
  values: Record<string, unknown>,
): Promise<Written[]> {
  const table = target.type.table as PgTable & Record<string, never>;
  const columns = target.type.table as unknown as { workspaceId: never; id: never; version: never };
  const rows = (await tx
    .update(table)
    .set({ ...values, version: sql`${columns.version} + 1`, updatedAt: now } as never)
    .where(
      and(
        eq(columns.workspaceId, ctx.workspaceId),
        inIds(
          columns.id,
          plans.map((plan) => plan.row.id),
        ),
      ),
    )
    .returning()) as RecordRow[];
  const byId = new Map(rows.map((row) => [row.id, row]));
  return plans.map((plan) => {
    const row = byId.get(plan.row.id);
    if (!row) throw new Error("a locked record vanished while updating it");
    return { ...plan, written: row };
  });
}

/** Changes with the same values, together; values holding their own SQL (a per-record now()) stay alone. */
function groupByValues(planned: readonly Planned[]): Planned[][] {
  const groups = new Map<string, Planned[]>();
  const sqlIds = new Map<SQL, number>();
  for (const plan of planned) {
    const key = JSON.stringify(plan.values, (_key, value: unknown) => {
      if (!is(value, SQL)) return value;
      if (!sqlIds.has(value)) sqlIds.set(value, sqlIds.size);
      return `\u0000sql${sqlIds.get(value)}`;
    });
    const group = groups.get(key);
    if (group) group.push(plan);
    else groups.set(key, [plan]);
  }
  return [...groups.values()];
}

/**
 * After the write: the type's afterWrite, then (`keepBefore`) the records' before values for
 * undo, and their audit entries and events.
 */
export async function recordWritten(
  tx: Transaction,
  ctx: RequestContext,
  target: BulkTarget,
  action: ChangeAction,
  operationId: string,
  written: readonly Written[],
  options: { keepBefore: boolean },
): Promise<void> {
  if (written.length === 0) return;
  const { type } = target;
  const changes: Change[] = [];
  for (const { row, before, written: after } of written) {
    if (action === "updated") await type.afterWrite?.(tx, ctx, row, after);
    const presented = (await type.present(tx, after)) as Presented;
    changes.push({ before: action === "updated" ? before : null, after: presented });
  }
  if (options.keepBefore) await keepBefore(tx, ctx, operationId, written);
  await recordChanges(tx, ctx, type, action, changes, operationId);
}

/** The values of the columns each record's change wrote, as they were before, and its new version. */
async function keepBefore(tx: Transaction, ctx: RequestContext, operationId: string, written: readonly Written[]) {
  const rows = written.map(({ row, values, written: after }) => ({
    record_id: row.id,
    before: Object.fromEntries(Object.keys(values).map((key) => [key, row[key] ?? null])),
    version_after: after.version,
  }));
  // One JSON parameter rather than five per record (see recordChanges).
  await tx.execute(sql`insert into ${bulkOperationRecords} (workspace_id, operation_id, record_id, before, version_after)
    select ${ctx.workspaceId}::uuid, ${operationId}::uuid, r.record_id, r.before, r.version_after
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(record_id uuid, before jsonb, version_after integer)`);
}
