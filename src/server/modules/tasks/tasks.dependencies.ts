import { and, asc, eq, inArray, isNull, sql, type SQL } from "drizzle-orm";
import type { Transaction } from "../../db/client.ts";
import { inIds } from "../../db/id-lists.ts";
import { toEdges, type DependencyEdges } from "./tasks.graph.ts";
import { taskDependencies, tasks } from "./tasks.table.ts";

/**
 * Queries of the task_dependencies table: an edge (task, dependsOn) means the task cannot be
 * completed before dependsOn is.
 */

/** The dependency ids of many tasks, in one query. */
export async function loadDependsOn(
  tx: Transaction,
  workspaceId: string,
  taskIds: string[],
): Promise<Map<string, string[]>> {
  const byTask = new Map<string, string[]>(taskIds.map((id) => [id, []]));
  if (taskIds.length === 0) return byTask;
  const rows = await tx
    .select({ taskId: taskDependencies.taskId, dependsOnId: taskDependencies.dependsOnId })
    .from(taskDependencies)
    .where(and(eq(taskDependencies.workspaceId, workspaceId), inIds(taskDependencies.taskId, taskIds)))
    .orderBy(asc(taskDependencies.taskId), asc(taskDependencies.dependsOnId));
  for (const row of rows) byTask.get(row.taskId)?.push(row.dependsOnId);
  return byTask;
}

/** Makes `ids` the whole dependency set of a task. */
export async function replaceDependencies(
  tx: Transaction,
  workspaceId: string,
  taskId: string,
  ids: string[],
): Promise<void> {
  await tx
    .delete(taskDependencies)
    .where(and(eq(taskDependencies.workspaceId, workspaceId), eq(taskDependencies.taskId, taskId)));
  if (ids.length === 0) return;
  await tx.insert(taskDependencies).values(ids.map((dependsOnId) => ({ workspaceId, taskId, dependsOnId })));
}

/**
 * The live tasks among `ids` with their status, share-locked: a dependency cannot be reopened
 * or deleted while this transaction relies on its state.
 */
export function lockLiveTasks(tx: Transaction, workspaceId: string, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return tx
    .select({ id: tasks.id, status: tasks.status })
    .from(tasks)
    .where(and(eq(tasks.workspaceId, workspaceId), inArray(tasks.id, ids), isNull(tasks.deletedAt)))
    .for("share");
}

/** The live dependencies of a task that are not completed yet, share-locked like lockLiveTasks. */
export async function findBlockers(tx: Transaction, workspaceId: string, taskId: string): Promise<string[]> {
  const dependsOn = (await loadDependsOn(tx, workspaceId, [taskId])).get(taskId) ?? [];
  const live = await lockLiveTasks(tx, workspaceId, dependsOn);
  return live
    .filter((task) => task.status !== "completed")
    .map((task) => task.id)
    .sort();
}

/** The live, completed tasks that depend on this one. */
export async function findCompletedDependents(tx: Transaction, workspaceId: string, taskId: string): Promise<string[]> {
  const rows = await tx
    .select({ id: tasks.id })
    .from(taskDependencies)
    .innerJoin(tasks, and(eq(tasks.workspaceId, taskDependencies.workspaceId), eq(tasks.id, taskDependencies.taskId)))
    .where(
      and(
        eq(taskDependencies.workspaceId, workspaceId),
        eq(taskDependencies.dependsOnId, taskId),
        eq(tasks.status, "completed"),
        isNull(tasks.deletedAt),
      ),
    )
    .orderBy(asc(tasks.id));
  return rows.map((row) => row.id);
}

/** Every edge reachable from `fromIds` by following dependencies, in one recursive query. */
export async function loadReachableEdges(
  tx: Transaction,
  workspaceId: string,
  fromIds: string[],
): Promise<DependencyEdges> {
  if (fromIds.length === 0) return new Map();
  const starts = sql.join(
    fromIds.map((id) => sql`${id}::uuid`),
    sql`, `,
  );
  // `union` (not `union all`) stops at edges already seen, so existing cycles cannot loop forever.
  const result = await tx.execute<{ task_id: string; depends_on_id: string }>(sql`
    with recursive reachable(task_id, depends_on_id) as (
      select task_id, depends_on_id from task_dependencies
       where workspace_id = ${workspaceId} and task_id in (${starts})
      union
      select d.task_id, d.depends_on_id from task_dependencies d
        join reachable r on d.task_id = r.depends_on_id
       where d.workspace_id = ${workspaceId}
    )
    select task_id, depends_on_id from reachable`);
  const rows = (result as unknown as { rows: { task_id: string; depends_on_id: string }[] }).rows;
  return toEdges(rows.map((row) => ({ taskId: row.task_id, dependsOnId: row.depends_on_id })));
}

/** Serialises dependency changes within a workspace, so two concurrent edits cannot close a cycle together. */
export async function lockDependencyGraph(tx: Transaction, workspaceId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`keel.task_dependencies:${workspaceId}`}, 0))`);
}

/** Summaries of tasks by id (dependencies of a page), in one query. */
export function loadTaskSummaries(tx: Transaction, workspaceId: string, ids: string[], visible: SQL[] = []) {
  if (ids.length === 0) return Promise.resolve([]);
  return tx
    .select({ id: tasks.id, title: tasks.title, status: tasks.status })
    .from(tasks)
    .where(and(eq(tasks.workspaceId, workspaceId), inIds(tasks.id, ids), ...visible));
}
