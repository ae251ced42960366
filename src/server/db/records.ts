import { and, eq, inArray, isNotNull, isNull, sql, type SQL } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import { AppError, notFound } from "../lib/errors.ts";
import type { Transaction } from "./client.ts";

/**
 * Repository building blocks shared by every versioned, soft-deletable record. Writes bump
 * `version` and `updated_at`; an `expectedVersion` (from If-Match) that no longer matches answers
 * 412, so no update is silently lost.
 */

type RecordTable = PgTable & {
  workspaceId: PgColumn;
  id: PgColumn;
  version: PgColumn;
  deletedAt: PgColumn;
  updatedAt: PgColumn;
};

const byId = (table: RecordTable, workspaceId: string, id: string) =>
  and(eq(table.workspaceId, workspaceId), eq(table.id, id));

/** One record by id; soft-deleted ones only when asked. */
export async function findRecord<T extends RecordTable>(
  tx: Transaction,
  table: T,
  workspaceId: string,
  id: string,
  options: { includeDeleted?: boolean; forUpdate?: boolean } = {},
): Promise<T["$inferSelect"] | undefined> {
  const conditions = [byId(table, workspaceId, id)];
  if (!options.includeDeleted) conditions.push(isNull(table.deletedAt));
  const query = tx
    .select()
    .from(table as PgTable)
    .where(and(...conditions));
  const [row] = await (options.forUpdate ? query.for("update") : query);
  return row as T["$inferSelect"] | undefined;
}

/**
 * Locks the records of `ids` that exist in the workspace (live or deleted), in id order so two
 * bulk writes over overlapping selections wait for each other instead of deadlocking.
 */
export async function lockRecords<T extends RecordTable>(
  tx: Transaction,
  table: T,
  workspaceId: string,
  ids: string[],
): Promise<{ id: string; isDeleted: boolean }[]> {
  const rows = await tx
    .select({ id: table.id, isDeleted: sql<boolean>`${table.deletedAt} is not null` })
    .from(table as PgTable)
    .where(and(eq(table.workspaceId, workspaceId), inArray(table.id, ids)))
    .orderBy(table.id)
    .for("update");
  return rows as { id: string; isDeleted: boolean }[];
}

/** Like findRecord, but a missing record is a 404. */
export async function getRecord<T extends RecordTable>(
  tx: Transaction,
  table: T,
  resource: string,
  workspaceId: string,
  id: string,
  options: { includeDeleted?: boolean; forUpdate?: boolean } = {},
): Promise<T["$inferSelect"]> {
  const row = await findRecord(tx, table, workspaceId, id, options);
  if (!row) throw notFound(resource);
  return row;
}

/** Explains why a conditional write touched no row: 404 when gone, 412 when the version moved on. */
async function explainMiss(
  tx: Transaction,
  table: RecordTable,
  resource: string,
  workspaceId: string,
  id: string,
  deleted: "live" | "deleted",
): Promise<never> {
  const [row] = await tx
    .select({ version: table.version, deletedAt: table.deletedAt })
    .from(table as PgTable)
    .where(byId(table, workspaceId, id));
  const isLive = row && (row.deletedAt === null) === (deleted === "live");
  if (!row || !isLive) throw notFound(resource);
  throw new AppError("stale-version", `The ${resource} changed since version you sent (now ${String(row.version)}).`);
}

/** Updates a live record with `values`; checks `expectedVersion` when given. Returns the new row. */
export async function updateRecord<T extends RecordTable>(
  tx: Transaction,
  table: T,
  resource: string,
  workspaceId: string,
  id: string,
  values: Record<string, unknown>,
  expectedVersion?: number,
): Promise<T["$inferSelect"]> {
  const conditions: (SQL | undefined)[] = [byId(table, workspaceId, id), isNull(table.deletedAt)];
  if (expectedVersion !== undefined) conditions.push(eq(table.version, expectedVersion));
  const rows = await tx
    .update(table)
    .set({ ...values, version: sql`${table.version} + 1`, updatedAt: sql`now()` } as never)
    .where(and(...conditions))
    .returning();
  const [row] = rows as T["$inferSelect"][];
  if (!row) return explainMiss(tx, table, resource, workspaceId, id, "live");
  return row;
}

/** Soft-deletes a live record. */
export async function softDeleteRecord<T extends RecordTable>(
  tx: Transaction,
  table: T,
  resource: string,
  workspaceId: string,
  id: string,
  expectedVersion?: number,
): Promise<T["$inferSelect"]> {
  return updateRecord(tx, table, resource, workspaceId, id, { deletedAt: sql`now()` }, expectedVersion);
}

/** Restores a soft-deleted record. A unique value taken meanwhile answers 409 (by constraint). */
export async function restoreRecord<T extends RecordTable>(
  tx: Transaction,
  table: T,
  resource: string,
  workspaceId: string,
  id: string,
  expectedVersion?: number,
): Promise<T["$inferSelect"]> {
  const conditions: (SQL | undefined)[] = [byId(table, workspaceId, id), isNotNull(table.deletedAt)];
  if (expectedVersion !== undefined) conditions.push(eq(table.version, expectedVersion));
  const rows = await tx
    .update(table)
    .set({ deletedAt: null, version: sql`${table.version} + 1`, updatedAt: sql`now()` } as never)
    .where(and(...conditions))
    .returning();
  const [row] = rows as T["$inferSelect"][];
  if (!row) return explainMiss(tx, table, resource, workspaceId, id, "deleted");
  return row;
}

/** The fields every record answers with (id, version, timestamps, creator, deletion), from its row. */
export function recordFieldsOf(row: {
  id: string;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  createdBy: string | null;
  deletedAt: Date | null;
}) {
  const { id, version, createdAt, updatedAt, createdBy, deletedAt } = row;
  return { id, version, createdAt, updatedAt, createdBy, deletedAt };
}
