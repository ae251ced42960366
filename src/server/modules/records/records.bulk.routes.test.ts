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

/** The answer of a finished bulk operation, as far as these tests look at it. */
const finished = (updated: number, refused: { id: string; message: unknown }[] = []) =>
  expect.objectContaining({
    operationId: expect.any(String),
    status: "completed",
    updated,
    refusedCount: refused.length,
    refused,
  });

describe("POST /api/v1/{resource}/bulk delete and restore", () => {
  it.each(["contacts", "companies", "leads", "deals", "tasks"])(
    "soft-deletes and restores %s with the events of the single endpoints",
    async (resource) => {
      const records = await makeMany(ws.manager, resource, 3);
      const ids = records.map((r) => r.id);
      const deleted = await bulk(ws.manager, resource, { action: "delete", ids });
      expect(deleted.statusCode, deleted.body).toBe(200);
      expect(deleted.json()).toEqual(finished(3));
      expect(deleted.json()).toMatchObject({ matched: 3, done: 3, resource, action: "delete" });
      for (const id of ids) expect((await read(resource, id)).deletedAt).not.toBeNull();
      const listed = await ws.admin.client.get(`/api/v1/${resource}?filter[id]=${ids.join(",")}`);
      expect(listed.json().data).toEqual([]);

      const restored = await bulk(ws.admin, resource, { action: "restore", ids });
      expect(restored.statusCode, restored.body).toBe(200);
      expect(restored.json()).toEqual(finished(3));
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
    expect((await bulk(ws.admin, "activities", { action: "delete", ids })).json()).toEqual(finished(2));
    expect((await bulk(ws.admin, "activities", { action: "restore", ids })).statusCode).toBe(200);
    const assign = await bulk(ws.admin, "activities", { action: "assign", ids, ownerId: ws.agent.userId });
    expect(assign.statusCode).toBe(400);
    expect(assign.json().errors.map((e: { path: string }) => e.path)).toContain("action");
  });

  it("counts a repeated id once", async () => {
    const [contact] = await makeMany(ws.admin, "contacts", 1);
    const id = contact!.id;
    const response = await bulk(ws.admin, "contacts", { action: "delete", ids: [id, id] });
    expect(response.json()).toEqual(finished(1));
    expect(response.json().matched).toBe(1);
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
      expect(response.json()).toEqual(finished(2));
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

  it("answers 400 on ownerId for someone outside the workspace, and changes nothing", async () => {
    const contacts = await makeMany(ws.admin, "contacts", 2);
    const ids = contacts.map((c) => c.id);
    const response = await bulk(ws.admin, "contacts", { action: "assign", ids, ownerId: other.admin.userId });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual([{ path: "ownerId", message: "No such user in this workspace" }]);
    for (const id of ids) expect(await read("contacts", id)).toMatchObject({ ownerId: ws.admin.userId, version: 1 });
  });

  it("names ownerId, the field of the request, when a task's assignee is outside the workspace", async () => {
    const tasks = await makeMany(ws.admin, "tasks", 1);
    const response = await bulk(ws.admin, "tasks", {
      action: "assign",
      ids: [tasks[0]?.id],
      ownerId: other.admin.userId,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors.map((e: { path: string }) => e.path)).toEqual(["ownerId"]);
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

  // Changed contract: partial success instead of all or nothing (issue 10).
  it("reports an agent's records of someone else as refused and changes the others", async () => {
    const own = await makeMany(ws.agent, "deals", 2);
    const managers = await make(ws.manager, "deals");
    const ids = [own[0]!.id, managers.id, own[1]!.id];
    const response = await bulk(ws.agent, "deals", { action: "assign", ids, ownerId: ws.agent.userId });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual(
      finished(2, [{ id: managers.id, message: "You can only update deal records you own or are assigned to." }]),
    );
    // Their own deals are written as a PATCH would write them; the manager's is left as it is.
    for (const deal of own) expect((await read("deals", deal.id)).version).toBe(2);
    expect(await read("deals", managers.id)).toMatchObject({ version: 1, ownerId: ws.manager.userId });
    expect((await eventTypes([managers.id]))[managers.id]).toEqual(["deal.created"]);
  });

  it("lets an agent delegate tasks assigned to them, as PATCH does", async () => {
    const tasks = await makeMany(ws.agent, "tasks", 2);
    const ids = tasks.map((t) => t.id);
    const response = await bulk(ws.agent, "tasks", { action: "assign", ids, ownerId: ws.manager.userId });
    expect(response.statusCode, response.body).toBe(200);
    for (const id of ids) expect((await read("tasks", id)).assigneeId).toBe(ws.manager.userId);
  });
});

// Changed contract: records missing, in the wrong state or breaking a rule are refused one by one.
describe("partial success", () => {
  it("refuses ids that are missing or in the wrong state, and changes the others", async () => {
    const live = await makeMany(ws.admin, "companies", 2);
    const gone = await make(ws.admin, "companies");
    await ws.admin.client.delete(`/api/v1/companies/${gone.id}`);
    const unknown = newId();
    const ids = [live[0]!.id, unknown, live[1]!.id, gone.id];
    const response = await bulk(ws.admin, "companies", { action: "delete", ids });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ matched: 4, done: 4, updated: 2, refusedCount: 2 });
    expect(response.json().refused).toEqual(
      expect.arrayContaining([
        { id: unknown, message: "No such company: it may have been erased." },
        { id: gone.id, message: "It is deleted; restore it first." },
      ]),
    );
    for (const company of live) expect((await read("companies", company.id)).deletedAt).not.toBeNull();

    const restore = await bulk(ws.admin, "companies", { action: "restore", ids: [gone.id, live[0]!.id] });
    expect(restore.json()).toMatchObject({ updated: 2, refusedCount: 0 });
  });

  it("refuses only the record that breaks a rule when restoring, and restores the rest", async () => {
    const email = `taken.${unique()}@example.com`;
    const first = await make(ws.admin, "contacts");
    const clashing = await make(ws.admin, "contacts", { email });
    const ids = [first.id, clashing.id];
    expect((await bulk(ws.admin, "contacts", { action: "delete", ids })).statusCode).toBe(200);
    await make(ws.admin, "contacts", { email });
    const response = await bulk(ws.admin, "contacts", { action: "restore", ids });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual(
      finished(1, [{ id: clashing.id, message: "A contact with this e-mail already exists." }]),
    );
    expect(await read("contacts", first.id)).toMatchObject({ version: 3, deletedAt: null });
    expect(await read("contacts", clashing.id)).toMatchObject({ version: 2, deletedAt: expect.any(String) });
    expect((await eventTypes([clashing.id]))[clashing.id]).toEqual(["contact.created", "contact.deleted"]);
  });

  it("never touches another workspace's records: their ids are missing here", async () => {
    const theirs = await makeMany(other.admin, "tasks", 1);
    const mine = await makeMany(ws.admin, "tasks", 1);
    const ids = [mine[0]!.id, theirs[0]!.id];
    const response = await bulk(ws.admin, "tasks", { action: "delete", ids });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual(
      finished(1, [{ id: theirs[0]!.id, message: "No such task: it may have been erased." }]),
    );
    expect((await other.admin.client.get(`/api/v1/tasks/${theirs[0]!.id}`)).json()).toMatchObject({
      deletedAt: null,
      version: 1,
    });
    expect((await read("tasks", mine[0]!.id)).deletedAt).not.toBeNull();
  });
});

describe("validation", () => {
  it("answers 400 naming each bad field", async () => {
    const cases: [Record<string, unknown>, string[]][] = [
      [{ action: "delete", ids: [] }, ["ids"]],
      [{ action: "delete", ids: Array.from({ length: 10_001 }, () => newId()) }, ["ids"]],
      [{ action: "archive", ids: ["nope"] }, ["action"]],
      [{ action: "delete", ids: ["nope"] }, ["ids.0"]],
      [{ action: "assign", ids: [newId()] }, ["ownerId"]],
      [{ action: "delete", ids: [newId()], ownerId: ws.admin.userId }, ["ownerId"]],
      [{ action: "delete", ids: [newId()], extra: true }, ["extra"]],
      [{ action: "delete" }, ["ids"]],
      [{ action: "delete", ids: [newId()], filter: {} }, ["ids"]],
      [{ action: "update", ids: [newId()], fields: {} }, ["fields"]],
      [{ action: "update", ids: [newId()], fields: { firstName: "Bo" } }, ["fields", "fields.firstName"]],
      [{ action: "addTags", ids: [newId()], tags: [] }, ["tags"]],
      [{ action: "delete", filter: { "filter[nope]": "x" } }, ["filter.filter[nope]"]],
    ];
    for (const [body, paths] of cases) {
      const response = await bulk(ws.admin, "contacts", body);
      expect(response.statusCode, JSON.stringify(body).slice(0, 200)).toBe(400);
      expect(
        response
          .json()
          .errors.map((e: { path: string }) => e.path)
          .sort(),
        JSON.stringify(body).slice(0, 200),
      ).toEqual(paths.sort());
    }
  });

  it("accepts 1,000 ids at once and answers synchronously", async () => {
    const ids = Array.from({ length: 1_000 }, () => newId());
    const response = await bulk(ws.admin, "contacts", { action: "delete", ids });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ matched: 1_000, updated: 0, refusedCount: 1_000 });
    expect(response.json().refused).toHaveLength(100);
  });

  it("answers 401 without a session", async () => {
    const response = await anonymous(app).post("/api/v1/contacts/bulk", { action: "delete", ids: [newId()] });
    expect(response.statusCode).toBe(401);
  });
});
