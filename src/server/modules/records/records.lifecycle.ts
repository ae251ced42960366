import type { Resource } from "../../../shared/permissions.ts";
import type { Transaction } from "../../db/client.ts";
import { restoreRecord, softDeleteRecord } from "../../db/records.ts";
import { withWorkspaceTransaction } from "../../db/transaction.ts";
import { assertAllowed } from "../../lib/access.ts";
import type { RequestContext } from "../../lib/context.ts";
import { enqueueEvent } from "../outbox/index.ts";

type RecordTable = Parameters<typeof softDeleteRecord>[1];

/** How a record type is deleted and restored: its table, its noun, and how a row is presented. */
export type RecordLifecycle<TTable extends RecordTable, TRecord> = {
  table: TTable;
  resource: Resource;
  present: (tx: Transaction, row: TTable["$inferSelect"]) => TRecord | Promise<TRecord>;
};

/**
 * Soft-deletes a record (admins and managers), checking If-Match, and emits `<resource>.deleted`
 * in the same transaction. The same for every record type.
 */
export async function deleteRecord<TTable extends RecordTable, TRecord>(
  ctx: RequestContext,
  lifecycle: RecordLifecycle<TTable, TRecord>,
  id: string,
  expectedVersion?: number,
): Promise<void> {
  const { table, resource, present } = lifecycle;
  assertAllowed(ctx, "delete", resource);
  await withWorkspaceTransaction(ctx.db, ctx.workspaceId, async (tx) => {
    const record = await present(tx, await softDeleteRecord(tx, table, resource, ctx.workspaceId, id, expectedVersion));
    await enqueueEvent(tx, ctx, { type: `${resource}.deleted`, resourceId: id, payload: record });
  });
}

/** Restores a soft-deleted record and emits `<resource>.restored`; a unique value taken meanwhile answers 409. */
export async function restoreDeletedRecord<TTable extends RecordTable, TRecord>(
  ctx: RequestContext,
  lifecycle: RecordLifecycle<TTable, TRecord>,
  id: string,
  expectedVersion?: number,
): Promise<TRecord> {
  const { table, resource, present } = lifecycle;
  assertAllowed(ctx, "restore", resource);
  return withWorkspaceTransaction(ctx.db, ctx.workspaceId, async (tx) => {
    const record = await present(tx, await restoreRecord(tx, table, resource, ctx.workspaceId, id, expectedVersion));
    await enqueueEvent(tx, ctx, { type: `${resource}.restored`, resourceId: id, payload: record });
    return record;
  });
}
