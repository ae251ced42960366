import { and, asc, eq } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, createTestWorkspace, testDatabase, type TestWorkspace } from "../../test/create-test-app.ts";
import { outboxEvents } from "../outbox/outbox.table.ts";

let app: FastifyInstance;
let ws: TestWorkspace;

beforeAll(async () => {
  app = await createTestApp();
  ws = await createTestWorkspace(app);
});
afterAll(() => app.close());

type Task = { id: string; version: number; status: string; completedAt: string | null; dependsOn: string[] };

const create = async (body: Record<string, unknown> = {}): Promise<Task> => {
  const response = await ws.manager.client.post("/api/v1/tasks", { title: "Step", ...body });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
};
const action = (task: { id: string }, name: "complete" | "reopen", headers?: Record<string, string>) =>
  ws.manager.client.post(`/api/v1/tasks/${task.id}/${name}`, undefined, headers);
const patch = (task: { id: string }, body: Record<string, unknown>) =>
  ws.manager.client.patch(`/api/v1/tasks/${task.id}`, body);
const get = async (task: { id: string }): Promise<Task> =>
  (await ws.manager.client.get(`/api/v1/tasks/${task.id}`)).json();
const messages = (response: { json: () => { errors?: { path: string; message: string }[] } }) =>
  response.json().errors ?? [];

describe("POST /api/v1/tasks/:id/complete and /reopen", () => {
  it("set and clear completedAt, bump the version and send the ETag", async () => {
    const task = await create();
    const completed = await action(task, "complete", { "if-match": '"1"' });
    expect(completed.statusCode).toBe(200);
    expect(completed.json()).toMatchObject({ status: "completed", version: 2 });
    expect(Date.parse(completed.json().completedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(completed.headers.etag).toBe('"2"');
    const reopened = await action(task, "reopen");
    expect(reopened.json()).toMatchObject({ status: "open", completedAt: null, version: 3 });
  });

  it("answer a task already in the asked state as it is, without a new version", async () => {
    const task = await create();
    expect((await action(task, "reopen")).json()).toMatchObject({ status: "open", version: 1 });
    await action(task, "complete");
    expect((await action(task, "complete")).json()).toMatchObject({ status: "completed", version: 2 });
  });

  it("answer 412 for a stale If-Match and 400 for a malformed one", async () => {
    const task = await create();
    await patch(task, { title: "Renamed" });
    expect((await action(task, "complete", { "if-match": '"1"' })).statusCode).toBe(412);
    expect((await get(task)).status).toBe("open");
    expect((await action(task, "complete", { "if-match": "soon" })).statusCode).toBe(400);
  });

  it("refuse to complete a task before its dependencies, naming them, and allow it once they are done", async () => {
    const [a, b, done] = [await create(), await create(), await create({ status: "completed" })];
    const task = await create({ dependsOn: [a.id, b.id, done.id] });
    const blocked = await action(task, "complete");
    expect(blocked.statusCode).toBe(422);
    expect(blocked.json().type).toBe("/problems/rule-violation");
    expect(messages(blocked)).toEqual(
      [a.id, b.id].sort().map((id) => ({ path: "dependsOn", message: `Task ${id} is not completed` })),
    );
    await action(a, "complete");
    expect(messages(await action(task, "complete"))).toEqual([
      { path: "dependsOn", message: `Task ${b.id} is not completed` },
    ]);
    await action(b, "complete");
    expect((await action(task, "complete")).json()).toMatchObject({
      status: "completed",
      dependsOn: [a.id, b.id, done.id].sort(),
    });
  });

  it("refuse to reopen a task that completed tasks depend on, until they are reopened", async () => {
    const first = await create({ status: "completed" });
    const second = await create({ dependsOn: [first.id], status: "completed" });
    const refused = await action(first, "reopen");
    expect(refused.statusCode).toBe(422);
    expect(messages(refused)).toEqual([
      { path: "dependents", message: `Completed task ${second.id} depends on this one` },
    ]);
    expect((await get(first)).status).toBe("completed");
    expect((await action(second, "reopen")).statusCode).toBe(200);
    expect((await action(first, "reopen")).statusCode).toBe(200);
  });

  it("do not count deleted tasks: a deleted dependency no longer blocks", async () => {
    const gone = await create();
    const task = await create({ dependsOn: [gone.id] });
    expect((await ws.manager.client.delete(`/api/v1/tasks/${gone.id}`)).statusCode).toBe(204);
    expect((await action(task, "complete")).statusCode).toBe(200);
  });
});

describe("status through PATCH and POST", () => {
  it("follows the completion rules: blocked, then completed, then reopened", async () => {
    const first = await create();
    const task = await create({ dependsOn: [first.id] });
    const blocked = await patch(task, { status: "completed", title: "Also renamed" });
    expect(blocked.statusCode).toBe(422);
    expect((await get(task)).version).toBe(1);
    await patch(first, { status: "completed" });
    const completed = await patch(task, { status: "completed" });
    expect(completed.json()).toMatchObject({ status: "completed", version: 2 });
    expect(completed.json().completedAt).not.toBeNull();
    expect(messages(await patch(first, { status: "in_progress" }))[0]?.path).toBe("dependents");
    const reopened = await patch(task, { status: "in_progress" });
    expect(reopened.json()).toMatchObject({ status: "in_progress", completedAt: null });
  });

  it("refuses a task created completed before its dependencies", async () => {
    const first = await create();
    const response = await ws.manager.client.post("/api/v1/tasks", {
      title: "Too soon",
      status: "completed",
      dependsOn: [first.id],
    });
    expect(response.statusCode).toBe(422);
    expect(messages(response)).toEqual([{ path: "dependsOn", message: `Task ${first.id} is not completed` }]);
  });

  it("refuses unfinished dependencies on a completed task", async () => {
    const open = await create();
    const task = await create({ status: "completed" });
    const response = await patch(task, { dependsOn: [open.id] });
    expect(response.statusCode).toBe(422);
    expect((await get(task)).dependsOn).toEqual([]);
  });

  it("emits created, updated, completed, reopened, deleted and restored events in order", async () => {
    const task = await create();
    await patch(task, { priority: "high" });
    await action(task, "complete");
    await patch(task, { status: "open" });
    await ws.manager.client.delete(`/api/v1/tasks/${task.id}`);
    await ws.manager.client.post(`/api/v1/tasks/${task.id}/restore`);
    const { db } = await testDatabase();
    const events = await db
      .select({ type: outboxEvents.type })
      .from(outboxEvents)
      .where(and(eq(outboxEvents.workspaceId, ws.id), eq(outboxEvents.resourceId, task.id)))
      .orderBy(asc(outboxEvents.seq));
    // Every change of the task is a task.updated (its version moved); completing and reopening add their own.
    expect(events.map((e) => e.type)).toEqual([
      "task.created",
      "task.updated",
      "task.updated",
      "task.completed",
      "task.updated",
      "task.reopened",
      "task.deleted",
      "task.restored",
    ]);
  });
});

describe("dependsOn", () => {
  it("is replaced as a whole by PATCH, without duplicates", async () => {
    const [a, b, c] = [await create(), await create(), await create()];
    const task = await create({ dependsOn: [a.id, b.id, a.id] });
    expect(task.dependsOn).toEqual([a.id, b.id].sort());
    expect((await patch(task, { dependsOn: [c.id] })).json().dependsOn).toEqual([c.id]);
    expect((await patch(task, { dependsOn: [] })).json().dependsOn).toEqual([]);
  });

  it("refuses cycles, direct or not, and self-dependency, changing nothing", async () => {
    const a = await create();
    const b = await create({ dependsOn: [a.id] });
    const c = await create({ dependsOn: [b.id] });
    const self = await patch(a, { dependsOn: [a.id] });
    expect(self.statusCode).toBe(422);
    expect(messages(self)).toEqual([{ path: "dependsOn", message: "A task cannot depend on itself" }]);
    const direct = await patch(b, { dependsOn: [a.id, c.id] });
    expect(direct.statusCode).toBe(422);
    expect(messages(direct)[0]?.message).toContain(`${b.id} → ${c.id} → ${b.id}`);
    const indirect = await patch(a, { dependsOn: [c.id] });
    expect(indirect.statusCode).toBe(422);
    expect(messages(indirect)).toEqual([
      { path: "dependsOn", message: `This would create a cycle: ${[a.id, c.id, b.id, a.id].join(" → ")}` },
    ]);
    expect(await get(a)).toMatchObject({ dependsOn: [], version: 1 });
    expect(await get(b)).toMatchObject({ dependsOn: [a.id], version: 1 });
  });

  it("refuses unknown and deleted tasks, naming each", async () => {
    const deleted = await create();
    await ws.manager.client.delete(`/api/v1/tasks/${deleted.id}`);
    const unknown = "01900000-0000-7000-8000-000000000000";
    const response = await ws.manager.client.post("/api/v1/tasks", { title: "x", dependsOn: [deleted.id, unknown] });
    expect(response.statusCode).toBe(400);
    expect(
      messages(response)
        .map((e) => e.message)
        .sort(),
    ).toEqual([`No such task: ${deleted.id}`, `No such task: ${unknown}`].sort());
  });

  it("lets only one of two concurrent edits linking two tasks to each other succeed", async () => {
    const [a, b] = [await create(), await create()];
    const results = await Promise.all([patch(a, { dependsOn: [b.id] }), patch(b, { dependsOn: [a.id] })]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 422]);
  });
});

describe("concurrent completion and reopening", () => {
  it("never leaves a completed task behind a reopened dependency", async () => {
    for (let round = 0; round < 3; round++) {
      const first = await create({ status: "completed" });
      const second = await create({ dependsOn: [first.id] });
      const [completed, reopened] = await Promise.all([action(second, "complete"), action(first, "reopen")]);
      expect([completed.statusCode, reopened.statusCode].sort()).toEqual([200, 422]);
    }
  });
});
