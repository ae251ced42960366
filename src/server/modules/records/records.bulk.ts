import type { Resource } from "../../../shared/permissions.ts";
import type { BulkRequest, BulkResult } from "../../../shared/schemas/bulk.ts";
import { translateDatabaseError } from "../../db/constraints.ts";
import { lockRecords } from "../../db/records.ts";
import { withSharedTransaction } from "../../db/transaction.ts";
import { assertAllowed } from "../../lib/access.ts";
import type { RequestContext } from "../../lib/context.ts";
import { AppError } from "../../lib/errors.ts";

type RecordTable = Parameters<typeof lockRecords>[1];

/** A record type as bulk actions see it: its table and the single-record use cases they repeat. */
export type BulkTarget = {
  resource: Resource;
  table: RecordTable;
  /** The field `assign` sets: `ownerId`, a task's `assigneeId`, or null when nobody owns the records. */
  assignField: "ownerId" | "assigneeId" | null;
  update: (ctx: RequestContext, id: string, input: Record<string, unknown>) => Promise<unknown>;
  delete: (ctx: RequestContext, id: string) => Promise<void>;
  restore: (ctx: RequestContext, id: string) => Promise<unknown>;
};

const permissionOf = { delete: "delete", restore: "restore", assign: "update" } as const;

/**
 * Deletes, restores or assigns several records of one type, all or nothing: one transaction in
 * which each record goes through the same use case (permission checks, rules, events) as its own
 * endpoint. Ids that name no record in the state the action needs (live for delete and assign,
 * deleted for restore) answer 404 naming every one of them; any other refusal names the record
 * that caused it, and nothing is changed.
 */
export async function runBulkAction(
  ctx: RequestContext,
  target: BulkTarget,
  request: BulkRequest,
): Promise<BulkResult> {
  assertAllowed(ctx, permissionOf[request.action], target.resource);
  const { ids } = request;
  return withSharedTransaction(ctx, async (shared, tx) => {
    const found = new Map((await lockRecords(tx, target.table, ctx.workspaceId, ids)).map((r) => [r.id, r.isDeleted]));
    const wantsDeleted = request.action === "restore";
    const missing = ids.flatMap((id, index) => (found.get(id) === wantsDeleted ? [] : [{ id, index }]));
    if (missing.length > 0) throw missingRecords(target.resource, wantsDeleted, missing);
    for (const [index, id] of ids.entries()) {
      try {
        await apply(shared, target, request, id);
      } catch (error) {
        throw aboutRecord(error, target, id, index);
      }
    }
    return { updated: ids.length, ids };
  });
}

function apply(ctx: RequestContext, target: BulkTarget, request: BulkRequest, id: string): Promise<unknown> {
  switch (request.action) {
    case "delete":
      return target.delete(ctx, id);
    case "restore":
      return target.restore(ctx, id);
    case "assign":
      if (!target.assignField) throw new AppError("validation", `${target.resource} records have no owner.`);
      return target.update(ctx, id, { [target.assignField]: request.ownerId ?? null });
  }
}

function missingRecords(resource: Resource, wantsDeleted: boolean, missing: { id: string; index: number }[]): AppError {
  const state = wantsDeleted ? "deleted" : "live";
  return new AppError(
    "not-found",
    `No ${state} ${resource} with these ids: ${missing.map((m) => m.id).join(", ")}.`,
    missing.map(({ id, index }) => ({ path: `ids.${index}`, message: `No ${state} ${resource} ${id}` })),
  );
}

/**
 * The refusal of one record's use case, naming that record (`ids.<index>`) in front of its own
 * errors. The field `assign` sets is called `ownerId` in the bulk request, whatever the record
 * type names it (a task's `assigneeId`).
 */
function aboutRecord(error: unknown, target: BulkTarget, id: string, index: number): unknown {
  const refusal = error instanceof AppError ? error : translateDatabaseError(error);
  if (!refusal) return error;
  const asRequested = (path: string) => (path === target.assignField ? "ownerId" : path);
  return new AppError(refusal.type, `${target.resource} ${id}: ${refusal.message}`, [
    { path: `ids.${index}`, message: refusal.message },
    ...(refusal.errors ?? []).map((e) => ({ ...e, path: asRequested(e.path) })),
  ]);
}
