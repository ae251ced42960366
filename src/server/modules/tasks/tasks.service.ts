import { sql } from "drizzle-orm";
import type { CreateTask, Task } from "../../../shared/schemas/task.ts";
import type { ListRequest } from "../../db/listing.ts";
import { getRecord } from "../../db/records.ts";
import { withWorkspaceTransaction } from "../../db/transaction.ts";
import { assertAllowed } from "../../lib/access.ts";
import type { RequestContext } from "../../lib/context.ts";
import { enqueueEvent } from "../outbox/index.ts";
import { deleteRecord, restoreDeletedRecord, type RecordLifecycle } from "../records/index.ts";
import {
  attachTaskIncludes,
  countTasks,
  insertTask,
  listTasks as listTaskRows,
  toTask,
  withDependsOnOne,
} from "./tasks.repository.ts";
import { assertNotBlocked, setDependencies } from "./tasks.rules.ts";
import { tasks } from "./tasks.table.ts";

const resource = "task";
const lifecycle: RecordLifecycle<typeof tasks, Task> = {
  table: tasks,
  resource,
  present: (tx, row) => withDependsOnOne(tx, row.workspaceId, row),
};

/**
 * Creates a task, assigned to the caller unless another member (or null) is named; agents may
 * delegate, since a task they created stays theirs to edit. A task created as completed must
 * have its dependencies completed, like POST /tasks/:id/complete.
 */
export async function createTask(ctx: RequestContext, input: CreateTask): Promise<Task> {
  assertAllowed(ctx, "create", resource);
  return withWorkspaceTransaction(ctx.db, ctx.workspaceId, async (tx) => {
    const isCompleted = input.status === "completed";
    const row = await insertTask(tx, ctx.workspaceId, ctx.actor.userId, {
      ...input,
      assigneeId: input.assigneeId === undefined ? ctx.actor.userId : input.assigneeId,
      completedAt: isCompleted ? sql`now()` : null,
    });
    await setDependencies(tx, ctx.workspaceId, row.id, input.dependsOn, { isNew: true });
    if (isCompleted) await assertNotBlocked(tx, ctx.workspaceId, row.id);
    const task = toTask(row, [...input.dependsOn].sort());
    await enqueueEvent(tx, ctx, { type: "task.created", resourceId: task.id, payload: task });
    return task;
  });
}

/** A page of tasks, each with its dependency ids. */
export async function listTasks(ctx: RequestContext, request: ListRequest) {
  assertAllowed(ctx, "read", resource);
  return withWorkspaceTransaction(ctx.db, ctx.workspaceId, (tx) => listTaskRows(tx, ctx.workspaceId, request));
}

/** Counts the tasks matching the list filters. */
export async function countTaskRows(ctx: RequestContext, request: ListRequest): Promise<number> {
  assertAllowed(ctx, "read", resource);
  return withWorkspaceTransaction(ctx.db, ctx.workspaceId, (tx) => countTasks(tx, ctx.workspaceId, request));
}

/** One task (also a deleted one, so its page can offer Restore). */
export async function getTask(ctx: RequestContext, id: string, include: string[] = []): Promise<Task> {
  assertAllowed(ctx, "read", resource);
  return withWorkspaceTransaction(ctx.db, ctx.workspaceId, async (tx) => {
    const row = await getRecord(tx, tasks, resource, ctx.workspaceId, id, { includeDeleted: true });
    const task = await withDependsOnOne(tx, ctx.workspaceId, row);
    await attachTaskIncludes(tx, ctx.workspaceId, [task], include);
    return task;
  });
}

/** Soft-deletes a task; tasks depending on it are no longer blocked by it. */
export function deleteTask(ctx: RequestContext, id: string, expectedVersion?: number): Promise<void> {
  return deleteRecord(ctx, lifecycle, id, expectedVersion);
}

/** Restores a deleted task with its dependencies. */
export function restoreTask(ctx: RequestContext, id: string, expectedVersion?: number): Promise<Task> {
  return restoreDeletedRecord(ctx, lifecycle, id, expectedVersion);
}
