import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import type { Stage } from "../../../shared/schemas/pipeline.ts";
import type { Transaction } from "../../db/client.ts";
import { pipelineStages, pipelines } from "./pipelines.table.ts";

/**
 * Read-only lookups other modules use to place a record in a pipeline (deals, lead conversion).
 * Deleted pipelines never qualify: nothing new goes into them.
 */

/** A stage together with the pipeline it belongs to. */
export type PlacedStage = Stage & { pipelineId: string };

/** The columns of a stage as the API names them, plus its pipeline id. */
export const stageColumns = {
  id: pipelineStages.id,
  pipelineId: pipelineStages.pipelineId,
  name: pipelineStages.name,
  position: pipelineStages.position,
  probability: pipelineStages.probability,
  isWon: pipelineStages.isWon,
  isLost: pipelineStages.isLost,
  archivedAt: pipelineStages.archivedAt,
};

/** The id of the workspace's default pipeline, if it has one. */
export async function findDefaultPipelineId(tx: Transaction, workspaceId: string): Promise<string | undefined> {
  const [row] = await tx
    .select({ id: pipelines.id })
    .from(pipelines)
    .where(and(eq(pipelines.workspaceId, workspaceId), eq(pipelines.isDefault, true), isNull(pipelines.deletedAt)));
  return row?.id;
}

/** True when the pipeline exists in the workspace and is not deleted. */
export async function isLivePipeline(tx: Transaction, workspaceId: string, pipelineId: string): Promise<boolean> {
  const [row] = await tx
    .select({ id: pipelines.id })
    .from(pipelines)
    .where(and(eq(pipelines.workspaceId, workspaceId), eq(pipelines.id, pipelineId), isNull(pipelines.deletedAt)));
  return row !== undefined;
}

/** One stage with its pipeline id, if it exists in the workspace. */
export async function findStage(
  tx: Transaction,
  workspaceId: string,
  stageId: string,
): Promise<PlacedStage | undefined> {
  const [row] = await tx
    .select(stageColumns)
    .from(pipelineStages)
    .where(and(eq(pipelineStages.workspaceId, workspaceId), eq(pipelineStages.id, stageId)));
  return row;
}

/** The first stage (lowest position) of a pipeline that is not archived: where a deal goes by default. */
export async function findFirstStage(
  tx: Transaction,
  workspaceId: string,
  pipelineId: string,
): Promise<PlacedStage | undefined> {
  const [row] = await tx
    .select(stageColumns)
    .from(pipelineStages)
    .where(
      and(
        eq(pipelineStages.workspaceId, workspaceId),
        eq(pipelineStages.pipelineId, pipelineId),
        isNull(pipelineStages.archivedAt),
      ),
    )
    .orderBy(asc(pipelineStages.position))
    .limit(1);
  return row;
}

/** Several stages by id, in one query (for `include=stage`). */
export async function findStagesByIds(
  tx: Transaction,
  workspaceId: string,
  stageIds: string[],
): Promise<Map<string, Stage>> {
  if (stageIds.length === 0) return new Map();
  const rows = await tx
    .select(stageColumns)
    .from(pipelineStages)
    .where(and(eq(pipelineStages.workspaceId, workspaceId), inArray(pipelineStages.id, stageIds)));
  return new Map(rows.map(({ pipelineId: _pipelineId, ...stage }) => [stage.id, stage]));
}
