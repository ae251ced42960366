import type { CreateDeal, Deal, UpdateDeal } from "../../../shared/schemas/deal.ts";
import type { ListRequest, RowCount } from "../../db/listing.ts";
import { getRecord } from "../../db/records.ts";
import { withWorkspaceTransaction } from "../../db/transaction.ts";
import { assertAllowed, readerOf, visibleRequest, visibleRows } from "../../lib/access.ts";
import type { RequestContext } from "../../lib/context.ts";
import { createRecord, deleteRecord, restoreRecord, updateRecordById, type RecordType } from "../records/index.ts";
import { makeContactCustomerOfWonDeal } from "./deals.customers.ts";
import { decideLostReason } from "./deals.lost-reason.ts";
import { resolveMove, resolveNewDealStage } from "./deals.placement.ts";
import { attachIncludes, countDeals, insertDeal, listDealRows, toDeal, workspaceCurrency } from "./deals.repository.ts";
import { placeInStage, stageEvents, utcToday } from "./deals.stage.ts";
import { deals } from "./deals.table.ts";

const resource = "deal";

/**
 * Deals on the one write path. A new deal gets the workspace's base currency, the default
 * pipeline's first stage and that stage's probability unless given; a new `stageId` (or
 * `pipelineId`) moves it, re-deriving status, probability and actual close date, and emits
 * `deal.stage_changed` and `deal.won`/`deal.lost` as they apply. A lost deal may have a lost reason
 * (required when the workspace says so); leaving a lost stage clears it. A deal that becomes won
 * makes its contact a customer (deals.customers.ts).
 */
export const dealType: RecordType<typeof deals, Deal, CreateDeal, UpdateDeal> = {
  resource,
  table: deals,
  ownerField: "ownerId",
  present: (_tx, row) => toDeal(row),
  insert: async (tx, ctx, input) => {
    const stage = await resolveNewDealStage(tx, ctx.workspaceId, input);
    const placement = placeInStage(null, stage, input.probability, utcToday());
    return insertDeal(tx, ctx.workspaceId, ctx.actor.userId, {
      ...input,
      ...placement,
      lostReason: await decideLostReason(tx, ctx.workspaceId, null, placement.status, input.lostReason),
      pipelineId: stage.pipelineId,
      currency: input.currency ?? (await workspaceCurrency(tx, ctx.workspaceId)),
      ownerId: input.ownerId === undefined ? ctx.actor.userId : input.ownerId,
    });
  },
  changes: async (tx, ctx, current, input) => {
    const { pipelineId, stageId, probability, lostReason: givenReason, ...fields } = input;
    const stage = await resolveMove(tx, ctx.workspaceId, current, { pipelineId, stageId });
    const placement = stage
      ? { ...placeInStage(current, stage, probability, utcToday()), pipelineId: stage.pipelineId }
      : { ...(probability === undefined ? {} : { probability }) };
    const status = "status" in placement ? placement.status : current.status;
    const lostReason = await decideLostReason(tx, ctx.workspaceId, current, status, givenReason);
    return { ...fields, ...placement, ...(lostReason === current.lostReason ? {} : { lostReason }) };
  },
  afterWrite: makeContactCustomerOfWonDeal,
  events: (before, deal) =>
    stageEvents(before, deal).map((type) =>
      type === "deal.stage_changed" && before
        ? {
            type,
            resourceId: deal.id,
            payload: {
              record: deal,
              fromPipelineId: before.pipelineId,
              fromStageId: before.stageId,
              toPipelineId: deal.pipelineId,
              toStageId: deal.stageId,
            },
          }
        : { type: type as "deal.won" | "deal.lost", resourceId: deal.id, payload: { record: deal } },
    ),
};

/** Lists the deals the caller may read (every role all of them, unless agents see only their own). */
export async function listDeals(ctx: RequestContext, request: ListRequest) {
  assertAllowed(ctx, "read", resource);
  return withWorkspaceTransaction(ctx.db, ctx.workspaceId, async (tx) => {
    const reader = await readerOf(tx, ctx);
    return listDealRows(tx, ctx.workspaceId, visibleRequest(request, resource, reader), reader);
  });
}

/** Counts the deals matching the list filters. */
export async function countDealRows(ctx: RequestContext, request: ListRequest): Promise<RowCount> {
  assertAllowed(ctx, "read", resource);
  return withWorkspaceTransaction(ctx.db, ctx.workspaceId, async (tx) =>
    countDeals(tx, ctx.workspaceId, visibleRequest(request, resource, await readerOf(tx, ctx))),
  );
}

/** One deal (also a deleted one, so its page can offer Restore). */
export async function getDeal(ctx: RequestContext, id: string, include: string[] = []): Promise<Deal> {
  assertAllowed(ctx, "read", resource);
  return withWorkspaceTransaction(ctx.db, ctx.workspaceId, async (tx) => {
    const reader = await readerOf(tx, ctx);
    const visible = visibleRows(resource, reader);
    const deal = toDeal(await getRecord(tx, deals, resource, ctx.workspaceId, id, { includeDeleted: true, visible }));
    await attachIncludes(tx, ctx.workspaceId, [deal], include, reader);
    return deal;
  });
}

/** Creates a deal owned by the caller unless another owner is given (agents: only themselves). */
export function createDeal(ctx: RequestContext, input: CreateDeal): Promise<Deal> {
  return createRecord(ctx, dealType, input);
}

/** Updates a deal; moving it between stages follows the rules of dealType. */
export function updateDeal(
  ctx: RequestContext,
  id: string,
  input: UpdateDeal,
  expectedVersion?: number,
): Promise<Deal> {
  return updateRecordById(ctx, dealType, id, input, expectedVersion);
}

/** Soft-deletes a deal (admins and managers); it keeps its stage so it can be restored. */
export function deleteDeal(ctx: RequestContext, id: string, expectedVersion?: number): Promise<void> {
  return deleteRecord(ctx, dealType, id, expectedVersion);
}

/** Restores a soft-deleted deal (admins and managers). */
export function restoreDeal(ctx: RequestContext, id: string, expectedVersion?: number): Promise<Deal> {
  return restoreRecord(ctx, dealType, id, expectedVersion);
}
