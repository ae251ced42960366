import type { CreateTask, Task, UpdateTask } from "../../../shared/schemas/task.ts";
import type { ListRequest, RowCount } from "../../db/listing.ts";
import { getRecord } from "../../db/records.ts";
import { withWorkspaceTransaction } from "../../db/transaction.ts";
import { assertAllowed, readerOf, visibleRequest, visibleRows } from "../../lib/access.ts";
import type { RequestContext } from "../../lib/context.ts";
import { createRecord, deleteRecord, restoreRecord, updateRecordById } from "../records/index.ts";
import { attachTaskIncludes, countTasks, listTasks as listTaskRows, withDependsOnOne } from "./tasks.repository.ts";
import { taskType } from "./tasks.lifecycle.ts";
import { tasks } from "./tasks.table.ts";

const resource = "task";

/** Creates a task by the rules of taskType; a task created as completed needs its dependencies completed. */
export function createTask(ctx: RequestContext, input: CreateTask): Promise<Task> {
  return createRecord(ctx, taskType, input);
}

/** Updates a task by the rules of taskType (status moves, dependencies, reminder). */
export function updateTask(
  ctx: RequestContext,
  id: string,
  input: UpdateTask,
  expectedVersion?: number,
): Promise<Task> {
  return updateRecordById(ctx, taskType, id, input, expectedVersion);
}

/** A page of the tasks the caller may read, each with its dependency ids. */
export async function listTasks(ctx: RequestContext, request: ListRequest) {
  assertAllowed(ctx, "read", resource);
  return withWorkspaceTransaction(ctx.db, ctx.workspaceId, async (tx) => {
    const reader = await readerOf(tx, ctx);
    return listTaskRows(tx, ctx.workspaceId, visibleRequest(request, resource, reader), reader);
  });
}

/** Counts the tasks matching the list filters. */
export async function countTaskRows(ctx: RequestContext, request: ListRequest): Promise<RowCount> {
  assertAllowed(ctx, "read", resource);
  return withWorkspaceTransaction(ctx.db, ctx.workspaceId, async (tx) =>
    countTasks(tx, ctx.workspaceId, visibleRequest(request, resource, await readerOf(tx, ctx))),
  );
}

/** One task (also a deleted one, so its page can offer Restore). */
export async function getTask(ctx: RequestContext, id: string, include: string[] = []): Promise<Task> {
  assertAllowed(ctx, "read", resource);
  return withWorkspaceTransaction(ctx.db, ctx.workspaceId, async (tx) => {
    const reader = await readerOf(tx, ctx);
    const visible = visibleRows(resource, reader);
    const row = await getRecord(tx, tasks, resource, ctx.workspaceId, id, { includeDeleted: true, visible });
    const task = await withDependsOnOne(tx, ctx.workspaceId, row);
    await attachTaskIncludes(tx, ctx.workspaceId, [task], include, reader);
    return task;
  });
}

/** Soft-deletes a task; tasks depending on it are no longer blocked by it. */
export function deleteTask(ctx: RequestContext, id: string, expectedVersion?: number): Promise<void> {
  return deleteRecord(ctx, taskType, id, expectedVersion);
}

/** Restores a deleted task with its dependencies. */
export function restoreTask(ctx: RequestContext, id: string, expectedVersion?: number): Promise<Task> {
  return restoreRecord(ctx, taskType, id, expectedVersion);
}
