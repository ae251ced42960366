import type { CreatePipeline, Pipeline, UpdatePipeline } from "../../../shared/schemas/pipeline.ts";
import type { Transaction } from "../../db/client.ts";
import type { ListRequest, RowCount } from "../../db/listing.ts";
import { getRecord } from "../../db/records.ts";
import { withWorkspaceTransaction } from "../../db/transaction.ts";
import { assertAllowed } from "../../lib/access.ts";
import type { RequestContext } from "../../lib/context.ts";
import { AppError } from "../../lib/errors.ts";
import { dealType } from "../deals/index.ts";
import {
  createRecord,
  deleteRecord,
  recordUpdate,
  restoreRecord,
  updateLockedRecord,
  updateRecordById,
  type RecordType,
} from "../records/index.ts";
import {
  currentDefaultPipelines,
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
export async function countPipelineRows(ctx: RequestContext, request: ListRequest): Promise<RowCount> {
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

/**
 * Pipelines on the one write path (admins only). Stages are created in list order; `isDefault`
 * moves the default flag to the pipeline (never away from it: another one must take it); a new
 * stage list replaces the old (see replaceStages: a stage in use is archived, not removed), and deals in a stage whose won/lost flag
 * changed are re-derived, each with its own audit entry and events. The default pipeline and a
 * pipeline with open deals cannot be deleted (409).
 */
export const pipelineType: RecordType<typeof pipelines, Pipeline, CreatePipeline, UpdatePipeline> = {
  resource,
  table: pipelines,
  ownerField: null,
  present: (tx, row) => loadPipeline(tx, row.workspaceId, row),
  insert: async (tx, ctx, input) => {
    if (input.isDefault) await giveUpDefault(tx, ctx, null);
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
        archivedAt: null,
      })),
    );
    return row;
  },
  changes: async (tx, ctx, current, input) => {
    if (input.isDefault === false && current.isDefault) {
      throw new AppError("rule-violation", "Make another pipeline the default instead.", [
        { path: "isDefault", message: "The workspace needs a default pipeline" },
      ]);
    }
    const becomesDefault = input.isDefault === true && !current.isDefault;
    if (becomesDefault) await giveUpDefault(tx, ctx, current.id);
    if (input.stages) {
      const moved = await replaceStages(tx, ctx.workspaceId, current.id, input.stages);
      for (const deal of moved) await recordUpdate(tx, ctx, dealType, deal.before, deal.after);
    }
    return {
      ...(input.name === undefined ? {} : { name: input.name }),
      ...(becomesDefault ? { isDefault: true } : {}),
    };
  },
  beforeDelete: async (tx, ctx, current) => {
    if (current.isDefault) {
      throw new AppError("conflict", "The default pipeline cannot be deleted; make another one the default first.");
    }
    if (await hasOpenDeals(tx, ctx.workspaceId, current.id)) {
      throw new AppError("conflict", "This pipeline still has open deals; move or close them first.");
    }
  },
};

/** The pipeline that was the default gives the flag up (an update of its own, audited). */
async function giveUpDefault(tx: Transaction, ctx: RequestContext, exceptId: string | null): Promise<void> {
  const clearFlag: typeof pipelineType = { ...pipelineType, changes: () => Promise.resolve({ isDefault: false }) };
  for (const row of await currentDefaultPipelines(tx, ctx.workspaceId, exceptId)) {
    await updateLockedRecord(tx, ctx, clearFlag, row, {});
  }
}

export function createPipeline(ctx: RequestContext, input: CreatePipeline): Promise<Pipeline> {
  return createRecord(ctx, pipelineType, input);
}

/** Renames a pipeline, makes it the default, or replaces its stage list, in one transaction. */
export function updatePipeline(
  ctx: RequestContext,
  id: string,
  input: UpdatePipeline,
  expectedVersion?: number,
): Promise<Pipeline> {
  return updateRecordById(ctx, pipelineType, id, input, expectedVersion);
}

/** Soft-deletes a pipeline, unless it is the default or still has open deals (409). */
export function deletePipeline(ctx: RequestContext, id: string, expectedVersion?: number): Promise<void> {
  return deleteRecord(ctx, pipelineType, id, expectedVersion);
}

/** Restores a deleted pipeline (not as default). A name taken meanwhile answers 409. */
export function restorePipeline(ctx: RequestContext, id: string, expectedVersion?: number): Promise<Pipeline> {
  return restoreRecord(ctx, pipelineType, id, expectedVersion);
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
