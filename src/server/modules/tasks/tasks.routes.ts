import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { IdParamsSchema } from "../../../shared/schemas/common.ts";
import { CreateTaskSchema, TaskSchema, UpdateTaskSchema } from "../../../shared/schemas/task.ts";
import { contextOf } from "../../http/authentication.ts";
import { registerRecordRoutes, versionedWriteProblems } from "../../http/record-routes.ts";
import { expectedVersion, withETag } from "../../http/versioning.ts";
import { completeTask, reopenTask } from "./tasks.lifecycle.ts";
import { tasksListSpec } from "./tasks.repository.ts";
import { countTaskRows, createTask, deleteTask, getTask, listTasks, restoreTask, updateTask } from "./tasks.service.ts";
import { taskType } from "./tasks.lifecycle.ts";

const actionHeaders = z.looseObject({
  "if-match": z.string().optional().describe("The version you last read; 412 when the task changed since."),
  "idempotency-key": z.string().optional().describe("Replays the first answer for 24 hours."),
});

/** /tasks: the standard record endpoints plus the complete and reopen actions. */
export const tasksRoutes: FastifyPluginAsyncZod = async (app) => {
  registerRecordRoutes(app, {
    path: "/tasks",
    tag: "Tasks",
    noun: "task",
    plural: "tasks",
    history: taskType,
    listSpec: tasksListSpec,
    schemas: { record: TaskSchema, create: CreateTaskSchema, update: UpdateTaskSchema },
    service: {
      list: listTasks,
      count: countTaskRows,
      get: getTask,
      create: createTask,
      update: updateTask,
      delete: deleteTask,
      restore: restoreTask,
    },
    bulk: { resource: "task", assignField: "assigneeId" },
  });

  const actions = [
    {
      name: "complete",
      operationId: "completeTask",
      run: completeTask,
      summary: "Complete a task (422 while tasks it depends on are not completed)",
    },
    {
      name: "reopen",
      operationId: "reopenTask",
      run: reopenTask,
      summary: "Reopen a completed task (422 while completed tasks depend on it)",
    },
  ] as const;
  for (const { name, operationId, run, summary } of actions) {
    app.post(
      `/tasks/:id/${name}`,
      {
        schema: {
          operationId,
          tags: ["Tasks"],
          summary,
          params: IdParamsSchema,
          headers: actionHeaders,
          response: { 200: TaskSchema, ...versionedWriteProblems },
        },
      },
      async (request, reply) =>
        withETag(reply, await run(contextOf(request), request.params.id, expectedVersion(request))),
    );
  }
};
