import { and, asc, eq, inArray } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createTestApp,
  createTestWorkspace,
  testDatabase,
  type Member,
  type TestWorkspace,
} from "../../test/create-test-app.ts";
import { auditLogs } from "../audit/audit.table.ts";
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

async function make(member: Member, resource: string, body: Record<string, unknown>): Promise<Json> {
  const response = await member.client.post(`/api/v1/${resource}`, body);
  if (response.statusCode !== 201) throw new Error(`${resource} not created: ${response.body}`);
  return response.json();
}

const contact = (member: Member, extra: Record<string, unknown> = {}) =>
  make(member, "contacts", { firstName: "Bulk", lastName: unique(), ...extra });

const read = async (resource: string, id: string): Promise<Json> =>
  (await ws.admin.client.get(`/api/v1/${resource}/${id}`)).json();

const bulk = (member: Member, resource: string, body: Record<string, unknown>) =>
  member.client.post(`/api/v1/${resource}/bulk`, body);

async function eventsOf(ids: string[]): Promise<{ resourceId: string; type: string }[]> {
  const { db } = await testDatabase();
  return db
    .select({ resourceId: outboxEvents.resourceId, type: outboxEvents.type })
    .from(outboxEvents)
    .where(inArray(outboxEvents.resourceId, ids))
    .orderBy(asc(outboxEvents.seq));
}

describe("actions", () => {
  it("updates fields of a selection, as PATCH would", async () => {
    const ids = [(await contact(ws.admin)).id, (await contact(ws.admin)).id];
    const response = await bulk(ws.admin, "contacts", {
      action: "update",
      ids,
      fields: { lifecycle: "customer", source: "fair" },
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ status: "completed", matched: 2, updated: 2, refusedCount: 0 });
    for (const id of ids)
      expect(await read("contacts", id)).toMatchObject({ lifecycle: "customer", source: "fair", version: 2 });
  });

  it("adds and removes tags, leaving records that already have them (or not) unchanged", async () => {
    const tagged = await contact(ws.admin, { tags: ["vip"] });
    const plain = await contact(ws.admin);
    const ids = [tagged.id, plain.id];
    const added = await bulk(ws.admin, "contacts", { action: "addTags", ids, tags: ["vip", "fair"] });
    expect(added.json()).toMatchObject({ updated: 2 });
    expect((await read("contacts", tagged.id)).tags).toEqual(["vip", "fair"]);
    expect((await read("contacts", plain.id)).tags).toEqual(["vip", "fair"]);
    const removed = await bulk(ws.admin, "contacts", { action: "removeTags", ids, tags: ["vip"] });
    expect(removed.json()).toMatchObject({ updated: 2 });
    expect((await read("contacts", plain.id)).tags).toEqual(["fair"]);
    const again = await bulk(ws.admin, "contacts", { action: "removeTags", ids, tags: ["vip"] });
    expect(again.json()).toMatchObject({ matched: 2, updated: 0, refusedCount: 0 });
  });

  it("refuses a record whose tags would pass 20, and tags the others", async () => {
    const full = await contact(ws.admin, { tags: Array.from({ length: 20 }, (_, i) => `t${i}`) });
    const plain = await contact(ws.admin);
    const response = await bulk(ws.admin, "contacts", { action: "addTags", ids: [full.id, plain.id], tags: ["new"] });
    expect(response.json()).toMatchObject({
      updated: 1,
      refused: [{ id: full.id, message: "It would have more than 20 tags." }],
    });
  });

  it("changes a deal's stage, owner and expected close date, with the stage events", async () => {
    const pipelines = (await ws.admin.client.get("/api/v1/pipelines")).json().data as {
      id: string;
      stages: { id: string }[];
    }[];
    const stage = pipelines[0]!.stages[1]!.id;
    const deal = await make(ws.admin, "deals", { name: `Deal ${unique()}`, value: "10.00" });
    const response = await bulk(ws.admin, "deals", {
      action: "update",
      ids: [deal.id],
      fields: { stageId: stage, ownerId: ws.manager.userId, expectedCloseDate: "2027-01-31" },
    });
    expect(response.json(), response.body).toMatchObject({ updated: 1, refusedCount: 0 });
    expect(await read("deals", deal.id)).toMatchObject({
      stageId: stage,
      ownerId: ws.manager.userId,
      expectedCloseDate: "2027-01-31",
    });
    expect((await eventsOf([deal.id])).map((e) => e.type)).toEqual([
      "deal.created",
      "deal.updated",
      "deal.stage_changed",
    ]);
  });

  it("completes tasks, refusing one whose dependencies are open (the rule of a single change)", async () => {
    const blocker = await make(ws.admin, "tasks", { title: `Blocker ${unique()}` });
    const blocked = await make(ws.admin, "tasks", { title: `Blocked ${unique()}`, dependsOn: [blocker.id] });
    const free = await make(ws.admin, "tasks", { title: `Free ${unique()}` });
    const response = await bulk(ws.admin, "tasks", {
      action: "update",
      ids: [blocked.id, free.id],
      fields: { status: "completed" },
    });
    expect(response.json()).toMatchObject({
      updated: 1,
      refused: [{ id: blocked.id, message: expect.stringContaining("Complete the tasks this one depends on first") }],
    });
    expect((await read("tasks", free.id)).status).toBe("completed");
    expect((await read("tasks", blocked.id)).status).not.toBe("completed");
    expect((await eventsOf([free.id])).map((e) => e.type)).toEqual(["task.created", "task.updated", "task.completed"]);
  });

  it("reports a lead rule's failure per record, with its message", async () => {
    const lead = await make(ws.admin, "leads", { title: `Lead ${unique()}` });
    const response = await bulk(ws.admin, "leads", { action: "update", ids: [lead.id], fields: { status: "lost" } });
    expect(response.json()).toMatchObject({
      updated: 0,
      refused: [{ id: lead.id, message: "A lost lead needs a lost reason. (Required when the status is lost)" }],
    });
    expect(await read("leads", lead.id)).toMatchObject({ version: 1 });
  });
});

describe("filters", () => {
  it("acts on every record the list filter matches, and on nothing else", async () => {
    const source = `src-${unique()}`;
    const matching = [(await contact(ws.admin, { source })).id, (await contact(ws.admin, { source })).id];
    const outside = await contact(ws.admin, { source: "elsewhere" });
    const theirs = await make(other.admin, "contacts", { firstName: "Other", lastName: unique(), source });
    const response = await bulk(ws.manager, "contacts", {
      action: "assign",
      filter: { "filter[source]": source },
      ownerId: ws.agent.userId,
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ matched: 2, updated: 2 });
    for (const id of matching) expect((await read("contacts", id)).ownerId).toBe(ws.agent.userId);
    expect((await read("contacts", outside.id)).ownerId).toBe(ws.admin.userId);
    expect((await other.admin.client.get(`/api/v1/contacts/${theirs.id}`)).json().ownerId).toBe(other.admin.userId);
  });

  it("takes the list's search too, and restores deleted matches of a filter", async () => {
    const name = `Zq${unique()}`;
    const ids = [(await contact(ws.admin, { firstName: name })).id, (await contact(ws.admin, { firstName: name })).id];
    const deleted = await bulk(ws.admin, "contacts", { action: "delete", filter: { q: name } });
    expect(deleted.json()).toMatchObject({ matched: 2, updated: 2 });
    const restored = await bulk(ws.admin, "contacts", { action: "restore", filter: { q: name } });
    expect(restored.json()).toMatchObject({ matched: 2, updated: 2 });
    for (const id of ids) expect((await read("contacts", id)).deletedAt).toBeNull();
  });

  it("reports an agent's matches that are not theirs as refused", async () => {
    const source = `agent-${unique()}`;
    const mine = await contact(ws.agent, { source });
    const managers = await contact(ws.manager, { source });
    const response = await bulk(ws.agent, "contacts", {
      action: "update",
      filter: { "filter[source]": source },
      fields: { lifecycle: "customer" },
    });
    expect(response.json()).toMatchObject({
      matched: 2,
      updated: 1,
      refusedCount: 1,
      refused: [{ id: managers.id, message: "You can only update contact records you own or are assigned to." }],
    });
    expect((await read("contacts", mine.id)).lifecycle).toBe("customer");
    expect((await read("contacts", managers.id)).lifecycle).toBe("lead");
  });
});

describe("audit and events", () => {
  it("writes one entry for the operation and one per record, and each record's events", async () => {
    const ids = [(await contact(ws.admin)).id, (await contact(ws.admin)).id];
    const response = await bulk(ws.admin, "contacts", { action: "update", ids, fields: { lifecycle: "customer" } });
    const { operationId } = response.json();
    const { db } = await testDatabase();
    const [entry, ...more] = await db
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.workspaceId, ws.id), eq(auditLogs.resourceId, operationId)));
    expect(more).toEqual([]);
    expect(entry).toMatchObject({
      action: "bulk_operation.completed",
      resourceType: "bulk_operation",
      actorId: ws.admin.userId,
      details: { resource: "contacts", action: "update", matched: 2, updated: 2, refused: 0, selection: { ids: 2 } },
    });
    const perRecord = await db
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.workspaceId, ws.id), inArray(auditLogs.resourceId, ids)))
      .orderBy(asc(auditLogs.occurredAt));
    const updates = perRecord.filter((row) => row.action === "contact.updated");
    expect(updates).toHaveLength(2);
    for (const row of updates) {
      expect(row.changes).toEqual({ lifecycle: ["lead", "customer"] });
      expect(row.details).toEqual({ bulkOperationId: operationId });
    }
    const history = await ws.admin.client.get(`/api/v1/contacts/${ids[0]}/history`);
    expect(history.json().data[0]).toMatchObject({ action: "contact.updated" });
    const events = await eventsOf(ids);
    expect(
      events
        .filter((e) => e.type === "contact.updated")
        .map((e) => e.resourceId)
        .sort(),
    ).toEqual([...ids].sort());
  });
});

describe("audit and events of an API key", () => {
  it("write per record who acted, for whom and from where, as a single change does; ids in capitals name the same records", async () => {
    const created = await ws.admin.client.post("/api/v1/api-keys", { name: "Bulk writer", scopes: ["*:write"] });
    expect(created.statusCode, created.body).toBe(201);
    const { id: keyId, key } = created.json<{ id: string; key: string }>();
    const ids = [(await contact(ws.admin)).id, (await contact(ws.admin)).id];
    const response = await app.inject({
      method: "POST",
      url: "/api/v1/contacts/bulk",
      headers: { authorization: `Bearer ${key}`, "user-agent": "bulk-audit-test/1.0" },
      payload: { action: "update", ids: [ids[0]!.toUpperCase(), ids[1]], fields: { lifecycle: "customer" } },
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ matched: 2, updated: 2, refusedCount: 0, refused: [] });

    const { db } = await testDatabase();
    const entries = await db
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.workspaceId, ws.id), inArray(auditLogs.resourceId, ids)));
    const updates = entries.filter((row) => row.action === "contact.updated");
    expect(updates.map((row) => row.resourceId).sort()).toEqual([...ids].sort());
    const requestId = response.headers["x-request-id"];
    expect(requestId).toEqual(expect.any(String));
    for (const row of updates) {
      expect(row).toMatchObject({
        actorType: "apiKey",
        actorId: keyId,
        onBehalfOf: ws.admin.userId,
        resourceType: "contact",
        changes: { lifecycle: ["lead", "customer"] },
        details: { bulkOperationId: response.json().operationId },
        userAgent: "bulk-audit-test/1.0",
        ipAddress: expect.any(String),
        requestId,
      });
    }
    const events = await db
      .select({
        resourceId: outboxEvents.resourceId,
        actorId: outboxEvents.actorId,
        workspaceId: outboxEvents.workspaceId,
      })
      .from(outboxEvents)
      .where(and(inArray(outboxEvents.resourceId, ids), eq(outboxEvents.type, "contact.updated")));
    expect(events).toHaveLength(2);
    for (const event of events)
      expect(event).toEqual({ resourceId: event.resourceId, actorId: ws.admin.userId, workspaceId: ws.id });
  });
});

describe("operations", () => {
  it("answers an operation by id and in the list: everyone's for managers, their own for agents", async () => {
    const mine = await contact(ws.agent);
    const agentOp = (await bulk(ws.agent, "contacts", { action: "addTags", ids: [mine.id], tags: ["a"] })).json();
    const managerOp = (await bulk(ws.manager, "contacts", { action: "addTags", ids: [mine.id], tags: ["b"] })).json();
    const one = await ws.agent.client.get(`/api/v1/bulk-operations/${agentOp.operationId}`);
    expect(one.json()).toMatchObject({ operationId: agentOp.operationId, status: "completed", updated: 1 });
    expect((await ws.agent.client.get(`/api/v1/bulk-operations/${managerOp.operationId}`)).statusCode).toBe(404);
    const agentList = (await ws.agent.client.get("/api/v1/bulk-operations")).json().data as { operationId: string }[];
    expect(agentList.map((o) => o.operationId)).toContain(agentOp.operationId);
    expect(agentList.map((o) => o.operationId)).not.toContain(managerOp.operationId);
    const managerList = await ws.manager.client.get("/api/v1/bulk-operations?limit=1");
    expect(managerList.json().data.map((o: { operationId: string }) => o.operationId)).toEqual([managerOp.operationId]);
    const next = await ws.manager.client.get(`/api/v1/bulk-operations?limit=1&cursor=${managerList.json().nextCursor}`);
    expect(next.json().data.map((o: { operationId: string }) => o.operationId)).toEqual([agentOp.operationId]);
  });

  it("keeps operations in their workspace (row-level security)", async () => {
    const op = (
      await bulk(ws.admin, "contacts", { action: "addTags", ids: [(await contact(ws.admin)).id], tags: ["x"] })
    ).json();
    expect((await other.admin.client.get(`/api/v1/bulk-operations/${op.operationId}`)).statusCode).toBe(404);
    expect((await other.admin.client.post(`/api/v1/bulk-operations/${op.operationId}/undo`)).statusCode).toBe(404);
    const list = (await other.admin.client.get("/api/v1/bulk-operations")).json().data as { operationId: string }[];
    expect(list.map((o) => o.operationId)).not.toContain(op.operationId);
  });
});
