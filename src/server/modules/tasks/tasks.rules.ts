import type { Transaction } from "../../db/client.ts";
import { AppError } from "../../lib/errors.ts";
import {
  findBlockers,
  findCompletedDependents,
  loadReachableEdges,
  lockLiveTasks,
  replaceDependencies,
} from "./tasks.dependencies.ts";
import { findDependencyCycle } from "./tasks.graph.ts";

/**
 * The rules of task dependencies: a task depends only on live tasks of its workspace, never
 * (even indirectly) on itself, and cannot be completed before what it depends on.
 */

/**
 * Checks `ids` and makes them the task's dependencies. A new task cannot close a cycle (nothing
 * depends on it yet); for an existing one the caller must hold lockDependencyGraph.
 */
export async function setDependencies(
  tx: Transaction,
  workspaceId: string,
  taskId: string,
  ids: string[],
  options: { isNew: boolean },
): Promise<void> {
  if (ids.includes(taskId)) throw cycleError([taskId, taskId]);
  const live = new Set((await lockLiveTasks(tx, workspaceId, ids)).map((task) => task.id));
  const missing = ids.filter((id) => !live.has(id));
  if (missing.length > 0) {
    throw new AppError(
      "validation",
      `No such task: ${missing.join(", ")}.`,
      missing.map((id) => ({ path: "dependsOn", message: `No such task: ${id}` })),
    );
  }
  if (!options.isNew) {
    const cycle = findDependencyCycle(taskId, ids, await loadReachableEdges(tx, workspaceId, ids));
    if (cycle) throw cycleError(cycle);
  }
  await replaceDependencies(tx, workspaceId, taskId, ids);
}

function cycleError(cycle: string[]): AppError {
  const message =
    cycle.length === 2 ? "A task cannot depend on itself" : `This would create a cycle: ${cycle.join(" → ")}`;
  return new AppError("rule-violation", `${message}.`, [{ path: "dependsOn", message }]);
}

/** Throws 422 naming the dependencies that are not completed yet. */
export async function assertNotBlocked(tx: Transaction, workspaceId: string, taskId: string): Promise<void> {
  const blockers = await findBlockers(tx, workspaceId, taskId);
  if (blockers.length === 0) return;
  throw new AppError(
    "rule-violation",
    `Complete the tasks this one depends on first: ${blockers.join(", ")}.`,
    blockers.map((id) => ({ path: "dependsOn", message: `Task ${id} is not completed` })),
  );
}

/**
 * Throws 422 when completed tasks depend on this one: reopening it would leave them completed
 * before their dependency, so they must be reopened first.
 */
export async function assertNoCompletedDependents(tx: Transaction, workspaceId: string, taskId: string): Promise<void> {
  const dependents = await findCompletedDependents(tx, workspaceId, taskId);
  if (dependents.length === 0) return;
  throw new AppError(
    "rule-violation",
    `Completed tasks depend on this one; reopen them first: ${dependents.join(", ")}.`,
    dependents.map((id) => ({ path: "dependents", message: `Completed task ${id} depends on this one` })),
  );
}
