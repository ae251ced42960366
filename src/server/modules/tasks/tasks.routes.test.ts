import { eq } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, createTestWorkspace, testDatabase, type TestWorkspace } from "../../test/create-test-app.ts";
import { makeLinkTargets, type LinkTargets } from "../activities/activities.factory.ts";
import { tasks } from "./tasks.table.ts";

let app: FastifyInstance;
let ws: TestWorkspace;
let other: TestWorkspace;
let links: LinkTargets;
let otherLinks: LinkTargets;

beforeAll(async () => {
  app = await createTestApp();
  ws = await createTestWorkspace(app);
  other = await createTestWorkspace(app, "Other");
  links = await makeLinkTargets(ws);
  otherLinks = await makeLinkTargets(other);
});
afterAll(() => app.close());

const paths = (response: { json: () => { errors?: { path: string }[] } }) =>
  (response.json().errors ?? []).map((e) => e.path).sort();
const count = async (client = ws.admin.client) => (await client.get("/api/v1/tasks/count")).json().count as number;
const create = async (body: Record<string, unknown> = {}, client = ws.admin.client) => {
  const response = await client.post("/api/v1/tasks", { title: "Send the proposal", ...body });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
};

describe("POST /api/v1/tasks", () => {
  it("creates an open task assigned to the caller and answers 201 with Location and ETag", async () => {
    const response = await ws.agent.client.post("/api/v1/tasks", {
      title: "Call back",
      dueAt: "2030-01-02T09:00:00+01:00",
      ...links,
    });
    expect(response.statusCode).toBe(201);
    const task = response.json();
    expect(response.headers.location).toBe(`/api/v1/tasks/${task.id}`);
    expect(response.headers.etag).toBe('"1"');
    expect(task).toMatchObject({
      title: "Call back",
      status: "open",
      priority: "medium",
      completedAt: null,
      assigneeId: ws.agent.userId,
      createdBy: ws.agent.userId,
      dependsOn: [],
      dueAt: "2030-01-02T08:00:00.000Z",
      ...links,
    });
  });

  it("leaves a task unassigned with null and lets anyone delegate to a member", async () => {
    expect((await create({ assigneeId: null })).assigneeId).toBeNull();
    const delegated = await create({ assigneeId: ws.manager.userId }, ws.agent.client);
    expect(delegated).toMatchObject({ assigneeId: ws.manager.userId, createdBy: ws.agent.userId });
  });

  it("answers 400 naming every bad field and stores nothing", async () => {
    const before = await count();
    const response = await ws.admin.client.post("/api/v1/tasks", {
      title: "",
      description: "d".repeat(10_001),
      dueAt: "tomorrow",
      priority: "urgent",
      status: "done",
      assigneeId: "me",
      dependsOn: ["nope"],
      remindAt: 5,
      completedAt: "2024-01-01T00:00:00Z",
      companyId: "acme",
    });
    expect(response.statusCode).toBe(400);
    expect(paths(response)).toEqual(
      [
        "assigneeId",
        "companyId",
        "completedAt",
        "dependsOn.0",
        "description",
        "dueAt",
        "priority",
        "remindAt",
        "status",
        "title",
      ].sort(),
    );
    const tooMany = await ws.admin.client.post("/api/v1/tasks", {
      title: "x",
      dependsOn: Array.from({ length: 51 }, () => crypto.randomUUID()),
    });
    expect(paths(tooMany)).toEqual(["dependsOn"]);
    expect(await count()).toBe(before);
  });

  it("refuses another workspace's links, assignee and dependencies and stores nothing", async () => {
    const before = await count();
    const theirTask = (await other.admin.client.post("/api/v1/tasks", { title: "Theirs" })).json();
    const attempts: [string, unknown][] = [
      ...(["contactId", "leadId", "dealId", "companyId"] as const).map((field): [string, unknown] => [
        field,
        otherLinks[field],
      ]),
      ["assigneeId", other.admin.userId],
      ["dependsOn", [theirTask.id]],
    ];
    for (const [field, value] of attempts) {
      const response = await ws.admin.client.post("/api/v1/tasks", { title: "Sneaky", [field]: value });
      expect(response.statusCode, field).toBe(400);
      expect(paths(response)).toEqual([field]);
    }
    expect(await count()).toBe(before);
  });
});

describe("GET /api/v1/tasks/:id", () => {
  it("embeds the assignee, dependencies and linked records with include", async () => {
    const first = await create({ title: "First" });
    const task = await create({ dependsOn: [first.id], ...links });
    const response = await ws.viewer.client.get(
      `/api/v1/tasks/${task.id}?include=assignee,dependencies,contact,lead,deal,company`,
    );
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.dependsOn).toEqual([first.id]);
    expect(body.assignee).toMatchObject({ id: ws.admin.userId, name: "Admin" });
    expect(body.dependencies).toEqual([{ id: first.id, title: "First", status: "open" }]);
    expect(body.contact).toMatchObject({ id: links.contactId });
    expect(body.lead).toMatchObject({ id: links.leadId });
    expect(body.deal).toMatchObject({ id: links.dealId });
    expect(body.company).toMatchObject({ id: links.companyId });
  });

  it("answers 400 for a malformed id or unknown include and 404 for an unknown id", async () => {
    const task = await create();
    expect((await ws.admin.client.get("/api/v1/tasks/42")).statusCode).toBe(400);
    expect((await ws.admin.client.get(`/api/v1/tasks/${task.id}?include=owner`)).statusCode).toBe(400);
    expect((await ws.admin.client.get("/api/v1/tasks/01900000-0000-7000-8000-000000000000")).statusCode).toBe(404);
  });
});

describe("PATCH /api/v1/tasks/:id", () => {
  it("updates the given fields only, bumps the version and answers 412 for a stale If-Match", async () => {
    const task = await create({ description: "Keep me" });
    const response = await ws.admin.client.patch(
      `/api/v1/tasks/${task.id}`,
      { priority: "high", status: "in_progress" },
      { "if-match": '"1"' },
    );
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      priority: "high",
      status: "in_progress",
      description: "Keep me",
      version: 2,
    });
    expect(response.headers.etag).toBe('"2"');
    const stale = await ws.admin.client.patch(`/api/v1/tasks/${task.id}`, { priority: "low" }, { "if-match": '"1"' });
    expect(stale.statusCode).toBe(412);
    expect((await ws.admin.client.get(`/api/v1/tasks/${task.id}`)).json().priority).toBe("high");
  });

  it("answers 400 for read-only fields and another workspace's links", async () => {
    const task = await create();
    expect(
      paths(await ws.admin.client.patch(`/api/v1/tasks/${task.id}`, { completedAt: null, createdBy: ws.agent.userId })),
    ).toEqual(["completedAt", "createdBy"]);
    const foreign = await ws.admin.client.patch(`/api/v1/tasks/${task.id}`, { leadId: otherLinks.leadId });
    expect(paths(foreign)).toEqual(["leadId"]);
    expect((await ws.admin.client.get(`/api/v1/tasks/${task.id}`)).json()).toMatchObject({ leadId: null, version: 1 });
  });

  it("re-arms the reminder when remindAt changes, and only then", async () => {
    const { db } = await testDatabase();
    const task = await create({ remindAt: "2030-05-01T08:00:00Z" });
    const markReminded = () => db.update(tasks).set({ remindedAt: new Date() }).where(eq(tasks.id, task.id));
    const remindedAt = async () =>
      (await db.select({ at: tasks.remindedAt }).from(tasks).where(eq(tasks.id, task.id)))[0]?.at;
    await markReminded();
    await ws.admin.client.patch(`/api/v1/tasks/${task.id}`, {
      remindAt: "2030-05-01T10:00:00+02:00",
      title: "Same time",
    });
    expect(await remindedAt()).not.toBeNull();
    const moved = await ws.admin.client.patch(`/api/v1/tasks/${task.id}`, { remindAt: "2030-05-02T08:00:00Z" });
    expect(moved.json().remindAt).toBe("2030-05-02T08:00:00.000Z");
    expect(await remindedAt()).toBeNull();
  });
});

describe("DELETE and restore", () => {
  it("soft-deletes (hidden from lists, still readable) and restores with its dependencies", async () => {
    const first = await create();
    const task = await create({ dependsOn: [first.id] });
    expect((await ws.admin.client.delete(`/api/v1/tasks/${task.id}`, { "if-match": "1" })).statusCode).toBe(204);
    expect((await ws.admin.client.get(`/api/v1/tasks?filter[id]=${task.id}`)).json().data).toEqual([]);
    expect((await ws.admin.client.get(`/api/v1/tasks/${task.id}`)).json().deletedAt).not.toBeNull();
    expect((await ws.admin.client.post(`/api/v1/tasks/${task.id}/complete`)).statusCode).toBe(404);
    const restored = await ws.admin.client.post(`/api/v1/tasks/${task.id}/restore`);
    expect(restored.statusCode).toBe(200);
    expect(restored.json()).toMatchObject({ deletedAt: null, dependsOn: [first.id], version: 3 });
  });
});

describe("roles", () => {
  it("lets agents change tasks assigned to them or created by them, and no others", async () => {
    const assigned = await create({ assigneeId: ws.agent.userId });
    const created = await create({ assigneeId: ws.manager.userId }, ws.agent.client);
    const foreign = await create({ assigneeId: ws.manager.userId });
    expect((await ws.agent.client.patch(`/api/v1/tasks/${assigned.id}`, { priority: "high" })).statusCode).toBe(200);
    expect((await ws.agent.client.patch(`/api/v1/tasks/${created.id}`, { priority: "high" })).statusCode).toBe(200);
    expect((await ws.agent.client.patch(`/api/v1/tasks/${foreign.id}`, { priority: "high" })).statusCode).toBe(403);
    expect((await ws.agent.client.post(`/api/v1/tasks/${assigned.id}/complete`)).statusCode).toBe(200);
    expect((await ws.agent.client.post(`/api/v1/tasks/${foreign.id}/complete`)).statusCode).toBe(403);
    expect((await ws.agent.client.post(`/api/v1/tasks/${assigned.id}/reopen`)).statusCode).toBe(200);
    expect((await ws.agent.client.delete(`/api/v1/tasks/${created.id}`)).statusCode).toBe(403);
  });

  it("lets viewers read but not write", async () => {
    const task = await create();
    expect((await ws.viewer.client.get(`/api/v1/tasks/${task.id}`)).statusCode).toBe(200);
    expect((await ws.viewer.client.post("/api/v1/tasks", { title: "x" })).statusCode).toBe(403);
    expect((await ws.viewer.client.patch(`/api/v1/tasks/${task.id}`, { title: "x" })).statusCode).toBe(403);
    expect((await ws.viewer.client.post(`/api/v1/tasks/${task.id}/complete`)).statusCode).toBe(403);
    expect((await ws.viewer.client.delete(`/api/v1/tasks/${task.id}`)).statusCode).toBe(403);
    expect((await ws.viewer.client.post(`/api/v1/tasks/${task.id}/restore`)).statusCode).toBe(403);
  });
});

describe("another workspace", () => {
  it("answers 404 for its tasks on every endpoint and changes nothing", async () => {
    const theirs = (await other.admin.client.post("/api/v1/tasks", { title: "Theirs" })).json();
    const client = ws.admin.client;
    expect((await client.get(`/api/v1/tasks/${theirs.id}`)).statusCode).toBe(404);
    expect((await client.patch(`/api/v1/tasks/${theirs.id}`, { title: "Mine" })).statusCode).toBe(404);
    expect((await client.post(`/api/v1/tasks/${theirs.id}/complete`)).statusCode).toBe(404);
    expect((await client.post(`/api/v1/tasks/${theirs.id}/reopen`)).statusCode).toBe(404);
    expect((await client.delete(`/api/v1/tasks/${theirs.id}`)).statusCode).toBe(404);
    expect((await client.post(`/api/v1/tasks/${theirs.id}/restore`)).statusCode).toBe(404);
    const mine = await create();
    expect(paths(await client.patch(`/api/v1/tasks/${mine.id}`, { dependsOn: [theirs.id] }))).toEqual(["dependsOn"]);
    expect(paths(await client.patch(`/api/v1/tasks/${mine.id}`, { assigneeId: other.agent.userId }))).toEqual([
      "assigneeId",
    ]);
    expect((await other.admin.client.get(`/api/v1/tasks/${theirs.id}`)).json()).toMatchObject({
      title: "Theirs",
      version: 1,
      status: "open",
    });
  });
});
