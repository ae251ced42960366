import { asc, inArray } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "../../lib/ids.ts";
import {
  anonymous,
  createTestApp,
  createTestWorkspace,
  testDatabase,
  type Member,
  type TestWorkspace,
} from "../../test/create-test-app.ts";
import { outboxEvents } from "../outbox/outbox.table.ts";

let app: FastifyInstance;
let ws: TestWorkspace;
let other: TestWorkspace;

beforeAll(async () => {
  app = await createTestApp();
  ws = await createTestWorkspace(app);
  other = await createTestWorkspace(app, "Other");
});
afterAll(() => app.close());

type Json = Record<string, unknown> & { id: string };

const unique = () => `${Date.now()}${Math.random().toString(36).slice(2, 8)}`;

const bodies: Record<string, () => Record<string, unknown>> = {
  contacts: () => ({ firstName: "Ada", lastName: unique(), email: `${unique()}@example.com` }),
  companies: () => ({ name: `Co ${unique()}` }),
  leads: () => ({ title: `Lead ${unique()}` }),
  deals: () => ({ name: `Deal ${unique()}`, value: "100.00" }),
  tasks: () => ({ title: `Task ${unique()}` }),
};

async function make(member: Member, resource: string, overrides: Record<string, unknown> = {}): Promise<Json> {
  const body =
    resource === "activities"
      ? { type: "note", subject: "Hi", ...overrides }
      : { ...bodies[resource]?.(), ...overrides };
  const response = await member.client.post(`/api/v1/${resource}`, body);
  if (response.statusCode !== 201) throw new Error(`${resource} not created: ${response.body}`);
  return response.json();
}

async function makeMany(member: Member, resource: string, n: number, overrides: Record<string, unknown> = {}) {
  const made: Json[] = [];
  for (let i = 0; i < n; i++) made.push(await make(member, resource, overrides));
  return made;
}

const read = async (resource: string, id: string): Promise<Json> =>
  (await ws.admin.client.get(`/api/v1/${resource}/${id}`)).json();

/** The event types of some records, oldest first, per record. */
async function eventTypes(ids: string[]): Promise<Record<string, string[]>> {
  const { db } = await testDatabase();
  const rows = await db
    .select({ resourceId: outboxEvents.resourceId, type: outboxEvents.type })
    .from(outboxEvents)
    .where(inArray(outboxEvents.resourceId, ids))
    .orderBy(asc(outboxEvents.createdAt), asc(outboxEvents.id));
  const byId: Record<string, string[]> = Object.fromEntries(ids.map((id) => [id, []]));
  for (const row of rows) byId[row.resourceId]?.push(row.type);
  return byId;
}

const bulk = (member: Member, resource: string, body: Record<string, unknown>) =>
  member.client.post(`/api/v1/${resource}/bulk`, body);

describe("POST /api/v1/{resource}/bulk delete and restore", () => {
  it.each(["contacts", "companies", "leads", "deals", "tasks"])(
    "soft-deletes and restores %s with the events of the single endpoints",
    async (resource) => {
      const records = await makeMany(ws.manager, resource, 3);
      const ids = records.map((r) => r.id);
      const deleted = await bulk(ws.manager, resource, { action: "delete", ids });
      expect(deleted.statusCode, deleted.body).toBe(200);
      expect(deleted.json()).toEqual({ updated: 3, ids });
      for (const id of ids) expect((await read(resource, id)).deletedAt).not.toBeNull();
      const listed = await ws.admin.client.get(`/api/v1/${resource}?filter[id]=${ids.join(",")}`);
      expect(listed.json().data).toEqual([]);

      const restored = await bulk(ws.admin, resource, { action: "restore", ids });
      expect(restored.statusCode, restored.body).toBe(200);
      expect(restored.json()).toEqual({ updated: 3, ids });
      for (const id of ids) expect(await read(resource, id)).toMatchObject({ deletedAt: null, version: 3 });
      const noun = resource === "companies" ? "company" : resource.slice(0, -1);
      for (const types of Object.values(await eventTypes(ids))) {
        expect(types.slice(-2)).toEqual([`${noun}.deleted`, `${noun}.restored`]);
      }
    },
  );

  it("deletes and restores activities, which have no owner to assign", async () => {
    const contact = await make(ws.admin, "contacts");
    const notes = await makeMany(ws.agent, "activities", 2, { contactId: contact.id });
    const ids = notes.map((n) => n.id);
    expect((await bulk(ws.admin, "activities", { action: "delete", ids })).json()).toEqual({ updated: 2, ids });
    expect((await bulk(ws.admin, "activities", { action: "restore", ids })).statusCode).toBe(200);
    const assign = await bulk(ws.admin, "activities", { action: "assign", ids, ownerId: ws.agent.userId });
    expect(assign.statusCode).toBe(400);
    expect(assign.json().errors.map((e: { path: string }) => e.path)).toContain("action");
  });

  it("counts a repeated id once", async () => {
    const [contact] = await makeMany(ws.admin, "contacts", 1);
    const id = contact!.id;
    const response = await bulk(ws.admin, "contacts", { action: "delete", ids: [id, id] });
    expect(response.json()).toEqual({ updated: 1, ids: [id] });
  });
});

describe("POST /api/v1/{resource}/bulk assign", () => {
  it.each(["contacts", "companies", "leads", "deals"])(
    "gives %s to another member, as PATCH ownerId would",
    async (resource) => {
      const records = await makeMany(ws.manager, resource, 2);
      const ids = records.map((r) => r.id);
      const response = await bulk(ws.manager, resource, { action: "assign", ids, ownerId: ws.agent.userId });
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json()).toEqual({ updated: 2, ids });
      for (const id of ids) expect(await read(resource, id)).toMatchObject({ ownerId: ws.agent.userId, version: 2 });
      const noun = resource === "companies" ? "company" : resource.slice(0, -1);
      for (const types of Object.values(await eventTypes(ids))) expect(types).toContain(`${noun}.updated`);
    },
  );

  it("sets a task's assignee, and null leaves records unassigned", async () => {
    const tasks = await makeMany(ws.admin, "tasks", 2);
    const ids = tasks.map((t) => t.id);
    const response = await bulk(ws.admin, "tasks", { action: "assign", ids, ownerId: ws.viewer.userId });
    expect(response.statusCode, response.body).toBe(200);
    for (const id of ids) expect((await read("tasks", id)).assigneeId).toBe(ws.viewer.userId);
    for (const types of Object.values(await eventTypes(ids))) expect(types).toEqual(["task.created", "task.updated"]);
    expect((await bulk(ws.admin, "tasks", { action: "assign", ids, ownerId: null })).statusCode).toBe(200);
    for (const id of ids) expect((await read("tasks", id)).assigneeId).toBeNull();
  });

  it("answers 400 on ownerId for someone outside the workspace, naming the record, and changes nothing", async () => {
    const contacts = await makeMany(ws.admin, "contacts", 2);
    const ids = contacts.map((c) => c.id);
    const response = await bulk(ws.admin, "contacts", { action: "assign", ids, ownerId: other.admin.userId });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual([
      { path: "ids.0", message: "No such user in this workspace." },
      { path: "ownerId", message: "No such user in this workspace" },
    ]);
    for (const id of ids) expect(await read("contacts", id)).toMatchObject({ ownerId: ws.admin.userId, version: 1 });
  });

  it("names ownerId, the field of the request, when a task's assignee is refused", async () => {
    const tasks = await makeMany(ws.admin, "tasks", 1);
    const response = await bulk(ws.admin, "tasks", {
      action: "assign",
      ids: [tasks[0]?.id],
      ownerId: other.admin.userId,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors.map((e: { path: string }) => e.path)).toEqual(["ids.0", "ownerId"]);
  });
});

describe("permissions", () => {
  it("refuses agents and viewers bulk deletes and restores, and viewers any bulk action", async () => {
    const ids = (await makeMany(ws.agent, "contacts", 2)).map((c) => c.id);
    for (const member of [ws.agent, ws.viewer]) {
      expect((await bulk(member, "contacts", { action: "delete", ids })).statusCode).toBe(403);
      expect((await bulk(member, "contacts", { action: "restore", ids })).statusCode).toBe(403);
    }
    const assign = await bulk(ws.viewer, "contacts", { action: "assign", ids, ownerId: ws.viewer.userId });
    expect(assign.statusCode).toBe(403);
    for (const id of ids) expect(await read("contacts", id)).toMatchObject({ deletedAt: null, version: 1 });
  });

  it("lets an agent assign their own records to themselves only", async () => {
    const leads = await makeMany(ws.agent, "leads", 2);
    const ids = leads.map((l) => l.id);
    expect((await bulk(ws.agent, "leads", { action: "assign", ids, ownerId: ws.agent.userId })).statusCode).toBe(200);
    const toManager = await bulk(ws.agent, "leads", { action: "assign", ids, ownerId: ws.manager.userId });
    expect(toManager.statusCode).toBe(403);
    expect(toManager.json().errors).toEqual(expect.arrayContaining([{ path: "ownerId", message: "Must be yourself" }]));
  });

  it("refuses an agent's assign when one record is someone else's, naming it, and changes none", async () => {
    const own = await makeMany(ws.agent, "deals", 2);
    const managers = await make(ws.manager, "deals");
    const ids = [own[0]!.id, managers.id, own[1]!.id];
    const response = await bulk(ws.agent, "deals", { action: "assign", ids, ownerId: ws.agent.userId });
    expect(response.statusCode).toBe(403);
    expect(response.json().errors[0]).toEqual({ path: "ids.1", message: expect.stringContaining("you own") });
    expect(response.json().detail).toContain(managers.id);
    for (const deal of [...own, managers]) expect((await read("deals", deal.id)).version).toBe(1);
    expect(Object.values(await eventTypes(ids)).flat()).toEqual(["deal.created", "deal.created", "deal.created"]);
  });

  it("lets an agent delegate tasks assigned to them, as PATCH does", async () => {
    const tasks = await makeMany(ws.agent, "tasks", 2);
    const ids = tasks.map((t) => t.id);
    const response = await bulk(ws.agent, "tasks", { action: "assign", ids, ownerId: ws.manager.userId });
    expect(response.statusCode, response.body).toBe(200);
    for (const id of ids) expect((await read("tasks", id)).assigneeId).toBe(ws.manager.userId);
  });
});

describe("all or nothing", () => {
  it("answers 404 naming every id that is missing or in the wrong state, and changes nothing", async () => {
    const live = await makeMany(ws.admin, "companies", 2);
    const gone = await make(ws.admin, "companies");
    await ws.admin.client.delete(`/api/v1/companies/${gone.id}`);
    const unknown = newId();
    const ids = [live[0]!.id, unknown, live[1]!.id, gone.id];
    const response = await bulk(ws.admin, "companies", { action: "delete", ids });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ type: "/problems/not-found" });
    expect(response.json().errors).toEqual([
      { path: "ids.1", message: `No live company ${unknown}` },
      { path: "ids.3", message: `No live company ${gone.id}` },
    ]);
    for (const company of live) expect((await read("companies", company.id)).deletedAt).toBeNull();

    const restore = await bulk(ws.admin, "companies", { action: "restore", ids: [gone.id, live[0]!.id] });
    expect(restore.statusCode).toBe(404);
    expect(restore.json().errors).toEqual([{ path: "ids.1", message: `No deleted company ${live[0]!.id}` }]);
    expect((await read("companies", gone.id)).deletedAt).not.toBeNull();
  });

  it("rolls back the records already restored when a later one breaks a rule", async () => {
    const email = `taken.${unique()}@example.com`;
    const first = await make(ws.admin, "contacts");
    const clashing = await make(ws.admin, "contacts", { email });
    const ids = [first.id, clashing.id];
    expect((await bulk(ws.admin, "contacts", { action: "delete", ids })).statusCode).toBe(200);
    await make(ws.admin, "contacts", { email });
    const response = await bulk(ws.admin, "contacts", { action: "restore", ids });
    expect(response.statusCode).toBe(409);
    expect(response.json().errors).toEqual([
      { path: "ids.1", message: "A contact with this e-mail already exists." },
      { path: "email", message: "A contact with this e-mail already exists" },
    ]);
    // The first contact was restored inside the transaction, then rolled back with it.
    expect(await read("contacts", first.id)).toMatchObject({ version: 2, deletedAt: expect.any(String) });
    expect((await eventTypes([first.id]))[first.id]).toEqual(["contact.created", "contact.deleted"]);
  });

  it("never touches another workspace's records: their ids are missing here", async () => {
    const theirs = await makeMany(other.admin, "tasks", 1);
    const mine = await makeMany(ws.admin, "tasks", 1);
    const ids = [mine[0]!.id, theirs[0]!.id];
    const response = await bulk(ws.admin, "tasks", { action: "delete", ids });
    expect(response.statusCode).toBe(404);
    expect(response.json().errors).toEqual([{ path: "ids.1", message: `No live task ${theirs[0]!.id}` }]);
    expect((await other.admin.client.get(`/api/v1/tasks/${theirs[0]!.id}`)).json()).toMatchObject({
      deletedAt: null,
      version: 1,
    });
    expect((await read("tasks", mine[0]!.id)).deletedAt).toBeNull();
  });
});

describe("validation", () => {
  it("answers 400 naming each bad field", async () => {
    const cases: [Record<string, unknown>, string[]][] = [
      [{ action: "delete", ids: [] }, ["ids"]],
      [{ action: "delete", ids: Array.from({ length: 501 }, () => newId()) }, ["ids"]],
      [{ action: "archive", ids: ["nope"] }, ["action", "ids.0"]],
      [{ action: "assign", ids: [newId()] }, ["ownerId"]],
      [{ action: "delete", ids: [newId()], ownerId: ws.admin.userId }, ["ownerId"]],
      [{ action: "delete", ids: [newId()], extra: true }, ["extra"]],
    ];
    for (const [body, paths] of cases) {
      const response = await bulk(ws.admin, "contacts", body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(
        response
          .json()
          .errors.map((e: { path: string }) => e.path)
          .sort(),
        JSON.stringify(body),
      ).toEqual(paths.sort());
    }
  });

  it("accepts 500 ids at once", async () => {
    const ids = Array.from({ length: 500 }, () => newId());
    const response = await bulk(ws.admin, "contacts", { action: "delete", ids });
    expect(response.statusCode).toBe(404);
    expect(response.json().errors).toHaveLength(500);
  });

  it("answers 401 without a session", async () => {
    const response = await anonymous(app).post("/api/v1/contacts/bulk", { action: "delete", ids: [newId()] });
    expect(response.statusCode).toBe(401);
  });
});
