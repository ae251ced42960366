import { and, eq, inArray } from "drizzle-orm";
import type { MergeRequest, MergeResult } from "../../../shared/schemas/merge.ts";
import type { FieldError } from "../../../shared/schemas/problem.ts";
import type { Transaction } from "../../db/client.ts";
import { lockRecords } from "../../db/records.ts";
import { withSharedTransaction } from "../../db/transaction.ts";
import { assertAllowed, assertAllowedOn } from "../../lib/access.ts";
import type { RequestContext } from "../../lib/context.ts";
import { AppError } from "../../lib/errors.ts";
import { newId } from "../../lib/ids.ts";
import { recordFact } from "../audit/audit.service.ts";
import type { DomainEvent } from "../outbox/index.ts";
import { deleteRecord, updateRecordById } from "../records/index.ts";
import type { MergeKind } from "./merge.kinds.ts";
import { moveLeadLinks, moveRelated, type MergeUndoData } from "./merge.moves.ts";
import { merges } from "./merges.table.ts";

type Row = Record<string, unknown> & {
  id: string;
  version: number;
  deletedAt: Date | null;
  tags: string[];
  ownerId: string | null;
  createdBy: string | null;
};

/**
 * Merges records into a survivor, in one transaction: the related rows move to the survivor, the
 * survivor keeps the chosen values and the union of the tags, and the merged records are deleted
 * pointing to it. The survivor's update and the deletes go through the one write path (audit
 * entries, events); the merge itself is one more entry and a `<resource>.merged` event, and is
 * stored with what it changed so that it can be undone (merge.undo.ts).
 */
export async function mergeRecords<T extends { id: string }>(
  ctx: RequestContext,
  kind: MergeKind,
  request: MergeRequest,
  expectedVersion?: number,
): Promise<MergeResult<T>> {
  assertAllowed(ctx, "update", kind.resource);
  assertAllowed(ctx, "delete", kind.resource);
  assertCoherent(request);
  const { survivorId, mergedIds } = request;
  return withSharedTransaction(ctx, async (shared, tx) => {
    const rows = await lockedRows(tx, ctx, kind, request);
    const survivorRow = rows.get(survivorId) as Row;
    assertAllowedOn(ctx, "update", kind.resource, survivorRow);
    const moved = [];
    for (const relation of kind.relations) {
      moved.push({ ...relation, rows: await moveRelated(tx, ctx.workspaceId, relation, mergedIds, survivorId) });
    }
    const leadLinks = kind.hasLeadLinks ? await moveLeadLinks(tx, ctx.workspaceId, mergedIds, survivorId) : null;
    for (const id of mergedIds) {
      // The pointer first, so the deleted event's record already shows where the record went.
      await tx
        .update(kind.table)
        .set({ mergedIntoId: survivorId } as never)
        .where(byId(kind, ctx.workspaceId, id));
      await deleteRecord(shared, kind.type, id);
    }
    const input = survivorInput(kind, request, rows);
    const before = Object.fromEntries(Object.keys(input).map((field) => [field, survivorRow[field]]));
    const survivor = (await updateRecordById(shared, kind.type, survivorId, input, expectedVersion)) as T & {
      version: number;
    };
    const undo: MergeUndoData = {
      survivor: { before, version: survivor.version },
      merged: await versionsOf(tx, ctx, kind, mergedIds),
      moved,
      leadLinks,
    };
    const mergeId = newId();
    const fields = request.fields as Record<string, string>;
    await tx.insert(merges).values({
      workspaceId: ctx.workspaceId,
      id: mergeId,
      resource: kind.resource,
      survivorId,
      mergedIds,
      fields,
      undo,
      createdBy: ctx.actor.userId,
    });
    const counts = movedCounts(undo);
    const event = {
      type: `${kind.resource}.merged`,
      resourceId: survivorId,
      payload: { record: survivor, mergeId, mergedIds, fields },
    } as unknown as DomainEvent; // the survivor is the resource's record: its event's payload
    await recordFact(
      tx,
      ctx,
      {
        action: `${kind.resource}.merged`,
        resourceType: kind.resource,
        resourceId: survivorId,
        details: { mergeId, survivorId, mergedIds, fields, moved: counts },
      },
      [event],
    );
    return { mergeId, survivor, mergedIds, moved: counts };
  });
}

/** The survivor may not be merged into itself, and each field must come from a record of the merge. */
function assertCoherent(request: MergeRequest): void {
  const errors: FieldError[] = [];
  request.mergedIds.forEach((id, index) => {
    if (id === request.survivorId)
      errors.push({ path: `mergedIds.${index}`, message: "The survivor cannot be merged" });
  });
  const sources = new Set([request.survivorId, ...request.mergedIds]);
  for (const [field, sourceId] of Object.entries(request.fields)) {
    if (sourceId && !sources.has(sourceId)) {
      errors.push({ path: `fields.${field}`, message: "Must be the survivor or one of the merged records" });
    }
  }
  if (errors.length > 0)
    throw new AppError("validation", errors.map((e) => `${e.path}: ${e.message}`).join("; "), errors);
}

/** Locks every record of the merge (in id order) and reads them; 404 naming each missing or deleted one. */
async function lockedRows(
  tx: Transaction,
  ctx: RequestContext,
  kind: MergeKind,
  request: MergeRequest,
): Promise<Map<string, Row>> {
  const ids = [request.survivorId, ...request.mergedIds];
  const locked = new Map((await lockRecords(tx, kind.table, ctx.workspaceId, ids)).map((r) => [r.id, r.isDeleted]));
  const pathOf = (index: number) => (index === 0 ? "survivorId" : `mergedIds.${index - 1}`);
  const missing = ids.flatMap((id, index) =>
    locked.get(id) === false ? [] : [{ path: pathOf(index), message: `No live ${kind.resource} ${id}` }],
  );
  if (missing.length > 0) {
    throw new AppError(
      "not-found",
      `No live ${kind.resource} with these ids: ${missing.map((m) => m.path).join(", ")}.`,
      missing,
    );
  }
  const rows = (await tx
    .select()
    .from(kind.table)
    .where(and(eq(kind.table.workspaceId, ctx.workspaceId), inArray(kind.table.id, ids)))) as Row[];
  return new Map(rows.map((row) => [row.id, row]));
}

/** What the survivor's update writes: each chosen field's value from its source, and every record's tags. */
function survivorInput(kind: MergeKind, request: MergeRequest, rows: Map<string, Row>): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const field of kind.fields) {
    const sourceId = request.fields[field];
    if (sourceId && sourceId !== request.survivorId) input[field] = rows.get(sourceId)?.[field] ?? null;
  }
  const survivorTags = rows.get(request.survivorId)?.tags ?? [];
  const tags = [...new Set([...rows.values()].flatMap((row) => row.tags))];
  if (tags.length !== survivorTags.length)
    input.tags = [...survivorTags, ...tags.filter((t) => !survivorTags.includes(t))];
  return input;
}

const byId = (kind: MergeKind, workspaceId: string, id: string) =>
  and(eq(kind.table.workspaceId, workspaceId), eq(kind.table.id, id));

export async function versionsOf(
  tx: Transaction,
  ctx: RequestContext,
  kind: MergeKind,
  ids: readonly string[],
): Promise<{ id: string; version: number }[]> {
  const rows = await tx
    .select({ id: kind.table.id, version: kind.table.version })
    .from(kind.table)
    .where(and(eq(kind.table.workspaceId, ctx.workspaceId), inArray(kind.table.id, [...ids])));
  return rows as { id: string; version: number }[];
}

function movedCounts(undo: MergeUndoData): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const moved of undo.moved) counts[moved.table] = (counts[moved.table] ?? 0) + moved.rows.length;
  if (undo.leadLinks) {
    counts.lead_contacts = undo.leadLinks.before.filter((link) =>
      undo.merged.some((m) => m.id === link.contactId),
    ).length;
  }
  return counts;
}
