import { sql } from "drizzle-orm";
import type { CreateTask, Task, UpdateTask } from "../../../shared/schemas/task.ts";
import type { Transaction } from "../../db/client.ts";
import type { RequestContext } from "../../lib/context.ts";
import { updateRecordById, type RecordType } from "../records/index.ts";
import { lockDependencyGraph } from "./tasks.dependencies.ts";
import { insertTask, toTaskColumns, withDependsOnOne, type TaskRow } from "./tasks.repository.ts";
import { assertNoCompletedDependents, assertNotBlocked, setDependencies } from "./tasks.rules.ts";
import { tasks } from "./tasks.table.ts";

type Status = TaskRow["status"];

/**
 * Tasks on the one write path. A new task is assigned to its creator unless another member (or
 * null) is named; agents may delegate, since a task they created stays theirs to edit. Moving to
 * completed needs every dependency completed, leaving completed needs no completed dependents
 * (each emits `task.completed` / `task.reopened`); `dependsOn` replaces the set, without cycles.
 */
export const taskType: RecordType<typeof tasks, Task, CreateTask, UpdateTask> = {
  resource: "task",
  table: tasks,
  ownerField: null,
  present: (tx, row) => withDependsOnOne(tx, row.workspaceId, row),
  insert: async (tx, ctx, input) => {
    const isCompleted = input.status === "completed";
    const row = await insertTask(tx, ctx.workspaceId, ctx.actor.userId, {
      ...input,
      assigneeId: input.assigneeId === undefined ? ctx.actor.userId : input.assigneeId,
      completedAt: isCompleted ? sql`now()` : null,
    });
    await setDependencies(tx, ctx.workspaceId, row.id, input.dependsOn, { isNew: true });
    if (isCompleted) await assertNotBlocked(tx, ctx.workspaceId, row.id);
    return row;
  },
  // The graph lock comes before any row lock: two edits linking tasks to each other wait in turn
  // (the second then sees the cycle) instead of deadlocking on each other's rows.
  beforeLock: async (tx, ctx, input) => {
    if (input.dependsOn !== undefined) await lockDependencyGraph(tx, ctx.workspaceId);
  },
  changes: async (tx, ctx, current, input) => {
    const dependenciesChanged = input.dependsOn !== undefined;
    if (input.dependsOn) await setDependencies(tx, ctx.workspaceId, current.id, input.dependsOn, { isNew: false });
    const values = await statusValues(
      tx,
      ctx.workspaceId,
      current,
      input.status ?? current.status,
      dependenciesChanged,
    );
    return { ...toTaskColumns(input), ...values, ...reminderReset(current, input) };
  },
  events: (before, task) => {
    const wasCompleted = before?.status === "completed";
    const isCompleted = task.status === "completed";
    if (!before || wasCompleted === isCompleted) return [];
    const type = isCompleted ? "task.completed" : "task.reopened";
    return [{ type, resourceId: task.id, payload: { record: task } }];
  },
};

/** Completes a task (sets completedAt); 422 naming the dependencies that are not completed yet. */
export function completeTask(ctx: RequestContext, id: string, expectedVersion?: number): Promise<Task> {
  return moveTo(ctx, id, "completed", expectedVersion);
}

/** Reopens a completed task (clears completedAt); 422 while completed tasks depend on it. */
export function reopenTask(ctx: RequestContext, id: string, expectedVersion?: number): Promise<Task> {
  return moveTo(ctx, id, "open", expectedVersion);
}

/** Completing a completed task, or reopening one that is not completed, changes nothing and answers it as is. */
function moveTo(ctx: RequestContext, id: string, status: "completed" | "open", expectedVersion?: number) {
  const move: typeof taskType = {
    ...taskType,
    changes: async (tx, _ctx, current) => {
      if ((current.status === "completed") === (status === "completed")) return null;
      return statusValues(tx, ctx.workspaceId, current, status, false);
    },
  };
  return updateRecordById(ctx, move, id, {}, expectedVersion);
}

/** The column values of moving a task to `to`, once the dependency rules allow it. */
async function statusValues(
  tx: Transaction,
  workspaceId: string,
  current: TaskRow,
  to: Status,
  dependenciesChanged: boolean,
): Promise<Record<string, unknown>> {
  const from = current.status;
  if (to === "completed") {
    if (from !== "completed" || dependenciesChanged) await assertNotBlocked(tx, workspaceId, current.id);
    return from === "completed" ? {} : { status: to, completedAt: sql`now()` };
  }
  if (from === "completed") {
    await assertNoCompletedDependents(tx, workspaceId, current.id);
    return { status: to, completedAt: null };
  }
  return { status: to };
}

/** A new reminder time re-arms the reminder job, which skips tasks already reminded. */
function reminderReset(current: TaskRow, input: UpdateTask): { remindedAt?: null } {
  if (input.remindAt === undefined) return {};
  const next = input.remindAt === null ? null : new Date(input.remindAt).getTime();
  return next === (current.remindAt?.getTime() ?? null) ? {} : { remindedAt: null };
}
