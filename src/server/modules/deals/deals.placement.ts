import type { Transaction } from "../../db/client.ts";
import { AppError, invalidField } from "../../lib/errors.ts";
import {
  findDefaultPipelineId,
  findFirstStage,
  findStage,
  isLivePipeline,
  type PlacedStage,
} from "../pipelines/index.ts";

/**
 * Finds the stage a deal goes into: `stageId` when given (it must belong to the pipeline), else the
 * pipeline's first stage that is not archived. The pipeline must exist in the workspace and not be
 * deleted; another workspace's ids are simply not found (400 naming the field); an archived stage
 * takes no new deals (422 naming `stageId`).
 */
export async function resolveStage(
  tx: Transaction,
  workspaceId: string,
  pipelineId: string,
  stageId: string | undefined,
): Promise<PlacedStage> {
  if (!(await isLivePipeline(tx, workspaceId, pipelineId))) throw invalidField("pipelineId", "No such pipeline");
  if (stageId === undefined) {
    const first = await findFirstStage(tx, workspaceId, pipelineId);
    if (!first) throw invalidField("pipelineId", "This pipeline has no stages");
    return first;
  }
  const stage = await findStage(tx, workspaceId, stageId);
  if (!stage || stage.pipelineId !== pipelineId) throw invalidField("stageId", "No such stage in this pipeline");
  if (stage.archivedAt) {
    throw new AppError("rule-violation", `The stage "${stage.name}" is archived: choose another stage.`, [
      { path: "stageId", message: "This stage is archived" },
    ]);
  }
  return stage;
}

/** The stage of a new deal: in the given pipeline, or the workspace's default one. */
export async function resolveNewDealStage(
  tx: Transaction,
  workspaceId: string,
  input: { pipelineId?: string | undefined; stageId?: string | undefined },
): Promise<PlacedStage> {
  const pipelineId = input.pipelineId ?? (await findDefaultPipelineId(tx, workspaceId));
  if (!pipelineId) throw invalidField("pipelineId", "The workspace has no default pipeline: name one");
  return resolveStage(tx, workspaceId, pipelineId, input.stageId);
}

/**
 * The stage a PATCH moves a deal to, or null when it stays: a new `pipelineId` without `stageId`
 * means that pipeline's first stage; `stageId` alone must be in the deal's current pipeline.
 */
export async function resolveMove(
  tx: Transaction,
  workspaceId: string,
  current: { pipelineId: string; stageId: string },
  input: { pipelineId?: string | undefined; stageId?: string | undefined },
): Promise<PlacedStage | null> {
  const pipelineId = input.pipelineId ?? current.pipelineId;
  const isPipelineChange = pipelineId !== current.pipelineId;
  const isStageChange = input.stageId !== undefined && input.stageId !== current.stageId;
  if (!isPipelineChange && !isStageChange) return null;
  return resolveStage(tx, workspaceId, pipelineId, input.stageId);
}
