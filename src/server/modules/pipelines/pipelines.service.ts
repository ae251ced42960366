import type { CreatePipeline, Pipeline, UpdatePipeline } from "../../../shared/schemas/pipeline.ts";
import type { Transaction } from "../../db/client.ts";
import type { ListRequest } from "../../db/listing.ts";
import { getRecord, restoreRecord, softDeleteRecord, updateRecord } from "../../db/records.ts";
import { withWorkspaceTransaction } from "../../db/transaction.ts";
import { assertAllowed } from "../../lib/access.ts";
import type { RequestContext } from "../../lib/context.ts";
import { AppError } from "../../lib/errors.ts";
import { enqueueEvent } from "../outbox/index.ts";
import {
  clearDefaultPipeline,
  countPipelines,
  hasOpenDeals,
  insertPipeline,
  insertStages,
  listPipelineRows,
  withStages,
} from "./pipelines.repository.ts";
import { defaultProbability } from "./pipelines.stages.ts";
import { replaceStages } from "./pipelines.replace.ts";
import { pipelines } from "./pipelines.table.ts";

const resource = "pipeline";

/** Everyone reads pipelines: deal forms and boards need their stages. */
export async function listPipelines(ctx: RequestContext, request: ListRequest) {
  assertAllowed(ctx, "read", resource);
  return withWorkspaceTransaction(ctx.db, ctx.workspaceId, (tx) => listPipelineRows(tx, ctx.workspaceId, request));
}

/** Counts the pipelines matching the list filters. */
export async function countPipelineRows(ctx: RequestContext, request: ListRequest): Promise<number> {
  assertAllowed(ctx, "read", resource);
  return withWorkspaceTransaction(ctx.db, ctx.workspaceId, (tx) => countPipelines(tx, ctx.workspaceId, request));
}

/** One pipeline with its stages (also a deleted one, so settings can offer Restore). */
export async function getPipeline(ctx: RequestContext, id: string): Promise<Pipeline> {
  assertAllowed(ctx, "read", resource);
  return withWorkspaceTransaction(ctx.db, ctx.workspaceId, async (tx) => {
    const row = await getRecord(tx, pipelines, resource, ctx.workspaceId, id, { includeDeleted: true });
    return loadPipeline(tx, ctx.workspaceId, row);
  });
}

/** Creates a pipeline with its stages in list order (admins only); `isDefault` moves the default flag to it. */
export async function createPipeline(ctx: RequestContext, input: CreatePipeline): Promise<Pipeline> {
  assertAllowed(ctx, "create", resource);
  return withWorkspaceTransaction(ctx.db, ctx.workspaceId, async (tx) => {
    if (input.isDefault) await clearDefaultPipeline(tx, ctx.workspaceId, null);
    const row = await insertPipeline(tx, ctx.workspaceId, ctx.actor.userId, {
      name: input.name,
      isDefault: input.isDefault,
    });
    await insertStages(
      tx,
      ctx.workspaceId,
      row.id,
      input.stages.map((stage, position) => ({
        name: stage.name,
        position,
        isWon: stage.isWon ?? false,
        isLost: stage.isLost ?? false,
        probability: stage.probability ?? defaultProbability(stage),
      })),
    );
    const pipeline = await loadPipeline(tx, ctx.workspaceId, row);
    await enqueueEvent(tx, ctx, { type: "pipeline.created", resourceId: pipeline.id, payload: pipeline });
    return pipeline;
  });
}

/**
 * Renames a pipeline, makes it the default, or replaces its stage list (see replaceStages), in one
 * transaction. The default flag can only move to another pipeline, never disappear.
 */
export async function updatePipeline(
  ctx: RequestContext,
  id: string,
  input: UpdatePipeline,
  expectedVersion?: number,
): Promise<Pipeline> {
  assertAllowed(ctx, "update", resource);
  return withWorkspaceTransaction(ctx.db, ctx.workspaceId, async (tx) => {
    const current = await getRecord(tx, pipelines, resource, ctx.workspaceId, id, { forUpdate: true });
    if (input.isDefault === false && current.isDefault) {
      throw new AppError("rule-violation", "Make another pipeline the default instead.", [
        { path: "isDefault", message: "The workspace needs a default pipeline" },
      ]);
    }
    const becomesDefault = input.isDefault === true && !current.isDefault;
    if (becomesDefault) await clearDefaultPipeline(tx, ctx.workspaceId, id);
    const values = {
      ...(input.name === undefined ? {} : { name: input.name }),
      ...(becomesDefault ? { isDefault: true } : {}),
    };
    const row = await updateRecord(tx, pipelines, resource, ctx.workspaceId, id, values, expectedVersion);
    if (input.stages) await replaceStages(tx, ctx.workspaceId, id, input.stages);
    const pipeline = await loadPipeline(tx, ctx.workspaceId, row);
    await enqueueEvent(tx, ctx, { type: "pipeline.updated", resourceId: id, payload: pipeline });
    return pipeline;
  });
}

/** Soft-deletes a pipeline, unless it is the default or still has open deals (409). */
export async function deletePipeline(ctx: RequestContext, id: string, expectedVersion?: number): Promise<void> {
  assertAllowed(ctx, "delete", resource);
  await withWorkspaceTransaction(ctx.db, ctx.workspaceId, async (tx) => {
    const current = await getRecord(tx, pipelines, resource, ctx.workspaceId, id, { forUpdate: true });
    if (current.isDefault) {
      throw new AppError("conflict", "The default pipeline cannot be deleted; make another one the default first.");
    }
    if (await hasOpenDeals(tx, ctx.workspaceId, id)) {
      throw new AppError("conflict", "This pipeline still has open deals; move or close them first.");
    }
    const row = await softDeleteRecord(tx, pipelines, resource, ctx.workspaceId, id, expectedVersion);
    const pipeline = await loadPipeline(tx, ctx.workspaceId, row);
    await enqueueEvent(tx, ctx, { type: "pipeline.deleted", resourceId: id, payload: pipeline });
  });
}

/** Restores a deleted pipeline (not as default). A name taken meanwhile answers 409. */
export async function restorePipeline(ctx: RequestContext, id: string, expectedVersion?: number): Promise<Pipeline> {
  assertAllowed(ctx, "restore", resource);
  return withWorkspaceTransaction(ctx.db, ctx.workspaceId, async (tx) => {
    const row = await restoreRecord(tx, pipelines, resource, ctx.workspaceId, id, expectedVersion);
    const pipeline = await loadPipeline(tx, ctx.workspaceId, row);
    await enqueueEvent(tx, ctx, { type: "pipeline.restored", resourceId: id, payload: pipeline });
    return pipeline;
  });
}

async function loadPipeline(
  tx: Transaction,
  workspaceId: string,
  row: typeof pipelines.$inferSelect,
): Promise<Pipeline> {
  const [pipeline] = await withStages(tx, workspaceId, [row]);
  if (!pipeline) throw new Error("pipeline vanished");
  return pipeline;
}
