import { and, eq, isNull, sql, type SQL } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import { AppError, notFound } from "../lib/errors.ts";
import type { Transaction } from "./client.ts";
import { inIds } from "./id-lists.ts";

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

/**
 * One record by id; soft-deleted ones only when asked. `visible`: conditions the record must meet
 * besides (what the reader may see, lib/access.ts visibleRows); a record that does not is not found.
 */
export async function findRecord<T extends RecordTable>(
  tx: Transaction,
  table: T,
  workspaceId: string,
  id: string,
  options: { includeDeleted?: boolean; forUpdate?: boolean; visible?: SQL[] } = {},
): Promise<T["$inferSelect"] | undefined> {
  const conditions = [byId(table, workspaceId, id), ...(options.visible ?? [])];
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
    .where(and(eq(table.workspaceId, workspaceId), inIds(table.id, ids)))
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
  options: { includeDeleted?: boolean; forUpdate?: boolean; visible?: SQL[] } = {},
): Promise<T["$inferSelect"]> {
  const row = await findRecord(tx, table, workspaceId, id, options);
  if (!row) throw notFound(resource);
  return row;
}

/**
 * The one If-Match check: a record locked for update whose version is not the one the client
 * based its change on answers 412, so no change is silently lost.
 */
export function assertVersion(
  resource: string,
  current: { version: number },
  expectedVersion: number | undefined,
): void {
  if (expectedVersion !== undefined && current.version !== expectedVersion) {
    throw new AppError("stale-version", `The ${resource} changed since the version you sent (now ${current.version}).`);
  }
}

/** Writes `values` to a record the caller has locked, bumping its version. Returns the new row. */
export async function updateRecord<T extends RecordTable>(
  tx: Transaction,
  table: T,
  workspaceId: string,
  id: string,
  values: Record<string, unknown>,
): Promise<T["$inferSelect"]> {
  const rows = await tx
    .update(table)
    .set({ ...values, version: sql`${table.version} + 1`, updatedAt: sql`now()` } as never)
    .where(byId(table, workspaceId, id))
    .returning();
  const [row] = rows as T["$inferSelect"][];
  if (!row) throw new Error("a locked record vanished while updating it");
  return row;
}

/**
 * Locks a record for a change: a live one, or a deleted one to restore (a live one then answers
 * 409); 404 when there is none, 412 on a stale version.
 */
export async function lockRecord<T extends RecordTable>(
  tx: Transaction,
  table: T,
  resource: string,
  workspaceId: string,
  id: string,
  options: { expectedVersion?: number; deleted?: boolean } = {},
): Promise<T["$inferSelect"]> {
  const row = await findRecord(tx, table, workspaceId, id, { includeDeleted: options.deleted, forUpdate: true });
  if (!row) throw notFound(resource);
  if (options.deleted && (row as { deletedAt: Date | null }).deletedAt === null) {
    throw new AppError("conflict", `The ${resource} is not deleted.`);
  }
  assertVersion(resource, row as { version: number }, options.expectedVersion);
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
