import { sql } from "drizzle-orm";
import type { Task, UpdateTask } from "../../../shared/schemas/task.ts";
import type { Transaction } from "../../db/client.ts";
import { getRecord, updateRecord } from "../../db/records.ts";
import { withWorkspaceTransaction } from "../../db/transaction.ts";
import { assertAllowed, assertAllowedOn } from "../../lib/access.ts";
import type { RequestContext } from "../../lib/context.ts";
import { AppError } from "../../lib/errors.ts";
import { enqueueEvent } from "../outbox/index.ts";
import { lockDependencyGraph } from "./tasks.dependencies.ts";
import { toTaskColumns, withDependsOnOne, type TaskRow } from "./tasks.repository.ts";
import { assertNoCompletedDependents, assertNotBlocked, setDependencies } from "./tasks.rules.ts";
import { tasks } from "./tasks.table.ts";

const resource = "task";
type Status = TaskRow["status"];
type StatusChange = { values: Record<string, unknown>; event: "task.completed" | "task.reopened" | null };

/**
 * Updates a task. Setting `status` to completed follows the rules of completeTask, and leaving
 * completed those of reopenTask (each also emits its own event); `dependsOn` replaces the set.
 */
export async function updateTask(
  ctx: RequestContext,
  id: string,
  input: UpdateTask,
  expectedVersion?: number,
): Promise<Task> {
  const dependenciesChanged = input.dependsOn !== undefined;
  return inLockedTask(ctx, id, { expectedVersion, locksGraph: dependenciesChanged }, async (tx, current) => {
    if (input.dependsOn) await setDependencies(tx, ctx.workspaceId, id, input.dependsOn, { isNew: false });
    const to = input.status ?? current.status;
    const change = await statusChange(tx, ctx.workspaceId, current, to, dependenciesChanged);
    const values = { ...toTaskColumns(input), ...change.values, ...reminderReset(current, input) };
    const row = await updateRecord(tx, tasks, resource, ctx.workspaceId, id, values);
    const task = await withDependsOnOne(tx, ctx.workspaceId, row);
    await enqueueEvent(tx, ctx, { type: "task.updated", resourceId: id, payload: task });
    if (change.event) await enqueueEvent(tx, ctx, { type: change.event, resourceId: id, payload: task });
    return task;
  });
}

/** Completes a task (sets completedAt); 422 naming the dependencies that are not completed yet. */
export function completeTask(ctx: RequestContext, id: string, expectedVersion?: number): Promise<Task> {
  return moveTo(ctx, id, "completed", expectedVersion);
}

/** Reopens a completed task (clears completedAt); 422 while completed tasks depend on it. */
export function reopenTask(ctx: RequestContext, id: string, expectedVersion?: number): Promise<Task> {
  return moveTo(ctx, id, "open", expectedVersion);
}

/** Completing a completed task, or reopening one that is not completed, changes nothing and answers it as is. */
function moveTo(
  ctx: RequestContext,
  id: string,
  status: "completed" | "open",
  expectedVersion?: number,
): Promise<Task> {
  return inLockedTask(ctx, id, { expectedVersion, locksGraph: false }, async (tx, current) => {
    const isCompleted = current.status === "completed";
    if (isCompleted === (status === "completed")) return withDependsOnOne(tx, ctx.workspaceId, current);
    const change = await statusChange(tx, ctx.workspaceId, current, status, false);
    const row = await updateRecord(tx, tasks, resource, ctx.workspaceId, id, change.values);
    const task = await withDependsOnOne(tx, ctx.workspaceId, row);
    if (change.event) await enqueueEvent(tx, ctx, { type: change.event, resourceId: id, payload: task });
    return task;
  });
}

/**
 * Runs `work` on a live task locked for update, after checking that the actor may update it
 * (agents: tasks assigned to them or created by them) and that If-Match still matches.
 */
function inLockedTask<T>(
  ctx: RequestContext,
  id: string,
  { expectedVersion, locksGraph }: { expectedVersion: number | undefined; locksGraph: boolean },
  work: (tx: Transaction, current: TaskRow) => Promise<T>,
): Promise<T> {
  assertAllowed(ctx, "update", resource);
  return withWorkspaceTransaction(ctx.db, ctx.workspaceId, async (tx) => {
    // The graph lock comes before any row lock: two edits linking tasks to each other wait in
    // turn (the second then sees the cycle) instead of deadlocking on each other's rows.
    if (locksGraph) await lockDependencyGraph(tx, ctx.workspaceId);
    const current = await getRecord(tx, tasks, resource, ctx.workspaceId, id, { forUpdate: true });
    assertAllowedOn(ctx, "update", resource, current);
    // Checked before the rules, so a stale client learns that first rather than a rule it may no longer break.
    if (expectedVersion !== undefined && current.version !== expectedVersion) {
      throw new AppError("stale-version", `The task changed since version you sent (now ${current.version}).`);
    }
    return work(tx, current);
  });
}

/** The column values (and event) of moving a task to `to`, once the dependency rules allow it. */
async function statusChange(
  tx: Transaction,
  workspaceId: string,
  current: TaskRow,
  to: Status,
  dependenciesChanged: boolean,
): Promise<StatusChange> {
  const from = current.status;
  if (to === "completed") {
    if (from !== "completed" || dependenciesChanged) await assertNotBlocked(tx, workspaceId, current.id);
    return from === "completed"
      ? { values: {}, event: null }
      : { values: { status: to, completedAt: sql`now()` }, event: "task.completed" };
  }
  if (from === "completed") {
    await assertNoCompletedDependents(tx, workspaceId, current.id);
    return { values: { status: to, completedAt: null }, event: "task.reopened" };
  }
  return { values: { status: to }, event: null };
}

/** A new reminder time re-arms the reminder job, which skips tasks already reminded. */
function reminderReset(current: TaskRow, input: UpdateTask): { remindedAt?: null } {
  if (input.remindAt === undefined) return {};
  const next = input.remindAt === null ? null : new Date(input.remindAt).getTime();
  return next === (current.remindAt?.getTime() ?? null) ? {} : { remindedAt: null };
}
