import type { StageInput } from "../../../shared/schemas/pipeline.ts";
import type { Transaction } from "../../db/client.ts";
import { findDatabaseError } from "../../db/constraints.ts";
import { AppError } from "../../lib/errors.ts";
import {
  deleteStages,
  insertStages,
  loadStages,
  resyncDealStatuses,
  stagesInUse,
  updateStages,
} from "./pipelines.repository.ts";
import { planStageReplacement } from "./pipelines.stages.ts";

const usedStageMessage = (names: string[]) =>
  `Deals are in ${names.map((name) => `"${name}"`).join(", ")}: archive a stage in use instead of removing it, or move its deals first.`;

/**
 * Replaces a pipeline's stage list (PATCH `stages`). A stage still holding a deal, live or
 * deleted, cannot be removed (409): deleted deals keep their stage so they can be restored; such a
 * stage is archived instead (`isArchived`), which keeps its deals and takes no new ones.
 * Deals in a stage whose won/lost flag changed get their status re-derived: answers them, before and after.
 */
export async function replaceStages(tx: Transaction, workspaceId: string, pipelineId: string, input: StageInput[]) {
  const current = (await loadStages(tx, workspaceId, [pipelineId])).get(pipelineId) ?? [];
  const plan = planStageReplacement(current, input);
  const removedIds = plan.remove.map((stage) => stage.id);
  const used = await stagesInUse(tx, workspaceId, removedIds);
  if (used.size > 0) {
    throw stagesConflict(plan.remove.filter((stage) => used.has(stage.id)).map((stage) => stage.name));
  }
  try {
    await deleteStages(tx, workspaceId, removedIds);
  } catch (error) {
    // A deal moved into the stage after the check above: the foreign key refuses the delete.
    if (findDatabaseError(error)?.code === "23503") throw stagesConflict(plan.remove.map((stage) => stage.name));
    throw error;
  }
  await updateStages(tx, workspaceId, plan.update);
  await insertStages(tx, workspaceId, pipelineId, plan.create);
  return resyncDealStatuses(tx, workspaceId, plan.flagsChanged, new Date().toISOString().slice(0, 10));
}

function stagesConflict(names: string[]): AppError {
  return new AppError("conflict", usedStageMessage(names), [{ path: "stages", message: usedStageMessage(names) }]);
}
