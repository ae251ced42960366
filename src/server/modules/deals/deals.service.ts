import type { CreateDeal, Deal, UpdateDeal } from "../../../shared/schemas/deal.ts";
import type { Transaction } from "../../db/client.ts";
import type { ListRequest } from "../../db/listing.ts";
import { getRecord, updateRecord } from "../../db/records.ts";
import { withWorkspaceTransaction } from "../../db/transaction.ts";
import { assertAllowed, assertAllowedOn, assertOwnerAssignable } from "../../lib/access.ts";
import type { RequestContext } from "../../lib/context.ts";
import { enqueueEvent } from "../outbox/index.ts";
import { deleteRecord, restoreDeletedRecord, type RecordLifecycle } from "../records/index.ts";
import { resolveMove, resolveNewDealStage } from "./deals.placement.ts";
import { attachIncludes, countDeals, insertDeal, listDealRows, toDeal, workspaceCurrency } from "./deals.repository.ts";
import { placeInStage, stageEvents, utcToday, type StagePlacement } from "./deals.stage.ts";
import { deals } from "./deals.table.ts";

const resource = "deal";
const lifecycle: RecordLifecycle<typeof deals, Deal> = { table: deals, resource, present: (_tx, row) => toDeal(row) };

/** Lists deals; every role reads them all. */
export async function listDeals(ctx: RequestContext, request: ListRequest) {
  assertAllowed(ctx, "read", resource);
  return withWorkspaceTransaction(ctx.db, ctx.workspaceId, (tx) => listDealRows(tx, ctx.workspaceId, request));
}

/** Counts the deals matching the list filters. */
export async function countDealRows(ctx: RequestContext, request: ListRequest): Promise<number> {
  assertAllowed(ctx, "read", resource);
  return withWorkspaceTransaction(ctx.db, ctx.workspaceId, (tx) => countDeals(tx, ctx.workspaceId, request));
}

/** One deal (also a deleted one, so its page can offer Restore). */
export async function getDeal(ctx: RequestContext, id: string, include: string[] = []): Promise<Deal> {
  assertAllowed(ctx, "read", resource);
  return withWorkspaceTransaction(ctx.db, ctx.workspaceId, async (tx) => {
    const deal = toDeal(await getRecord(tx, deals, resource, ctx.workspaceId, id, { includeDeleted: true }));
    await attachIncludes(tx, ctx.workspaceId, [deal], include);
    return deal;
  });
}

/** Creates a deal owned by the caller unless another owner is given (agents: only themselves). */
export async function createDeal(ctx: RequestContext, input: CreateDeal): Promise<Deal> {
  const scope = assertAllowed(ctx, "create", resource);
  assertOwnerAssignable(ctx, scope, input.ownerId);
  return withWorkspaceTransaction(ctx.db, ctx.workspaceId, (tx) => createDealInTransaction(tx, ctx, input));
}

/**
 * Inserts a deal inside the caller's transaction, filling the defaults (base currency, default
 * pipeline, first stage, the stage's probability) and emitting its events. Permission checks are
 * the caller's (lead conversion uses this).
 */
export async function createDealInTransaction(tx: Transaction, ctx: RequestContext, input: CreateDeal): Promise<Deal> {
  const stage = await resolveNewDealStage(tx, ctx.workspaceId, input);
  const placement = placeInStage(null, stage, input.probability, utcToday());
  const deal = await insertDeal(tx, ctx.workspaceId, ctx.actor.userId, {
    ...input,
    ...placement,
    pipelineId: stage.pipelineId,
    currency: input.currency ?? (await workspaceCurrency(tx, ctx.workspaceId)),
    ownerId: input.ownerId === undefined ? ctx.actor.userId : input.ownerId,
  });
  await enqueueEvent(tx, ctx, { type: "deal.created", resourceId: deal.id, payload: deal });
  await emitStageEvents(tx, ctx, null, deal);
  return deal;
}

/**
 * Updates a deal; a new `stageId` (or `pipelineId`) moves it, re-deriving status, probability and
 * actual close date, and emitting `deal.stage_changed` and `deal.won`/`deal.lost` as they apply.
 */
export async function updateDeal(
  ctx: RequestContext,
  id: string,
  input: UpdateDeal,
  expectedVersion?: number,
): Promise<Deal> {
  const scope = assertAllowed(ctx, "update", resource);
  assertOwnerAssignable(ctx, scope, input.ownerId);
  return withWorkspaceTransaction(ctx.db, ctx.workspaceId, async (tx) => {
    const current = await getRecord(tx, deals, resource, ctx.workspaceId, id, { forUpdate: true });
    assertAllowedOn(ctx, "update", resource, current);
    const { pipelineId, stageId, probability, ...fields } = input;
    const stage = await resolveMove(tx, ctx.workspaceId, current, { pipelineId, stageId });
    const placement = stage
      ? { ...placeInStage(current, stage, probability, utcToday()), pipelineId: stage.pipelineId }
      : { ...(probability === undefined ? {} : { probability }) };
    const row = await updateRecord(
      tx,
      deals,
      resource,
      ctx.workspaceId,
      id,
      { ...fields, ...placement },
      expectedVersion,
    );
    const deal = toDeal(row);
    await enqueueEvent(tx, ctx, { type: "deal.updated", resourceId: id, payload: deal });
    await emitStageEvents(tx, ctx, current, deal);
    return deal;
  });
}

/** Soft-deletes a deal (admins and managers); it keeps its stage so it can be restored. */
export function deleteDeal(ctx: RequestContext, id: string, expectedVersion?: number): Promise<void> {
  return deleteRecord(ctx, lifecycle, id, expectedVersion);
}

/** Restores a soft-deleted deal (admins and managers). */
export function restoreDeal(ctx: RequestContext, id: string, expectedVersion?: number): Promise<Deal> {
  return restoreDeletedRecord(ctx, lifecycle, id, expectedVersion);
}

/** `deal.stage_changed` carries where the deal came from; `deal.won`/`deal.lost` carry the deal. */
async function emitStageEvents(
  tx: Transaction,
  ctx: RequestContext,
  previous: (StagePlacement & { pipelineId: string }) | null,
  deal: Deal,
): Promise<void> {
  for (const type of stageEvents(previous, deal)) {
    const payload =
      type === "deal.stage_changed" && previous
        ? {
            deal,
            fromPipelineId: previous.pipelineId,
            fromStageId: previous.stageId,
            toPipelineId: deal.pipelineId,
            toStageId: deal.stageId,
          }
        : deal;
    await enqueueEvent(tx, ctx, { type, resourceId: deal.id, payload });
  }
}
