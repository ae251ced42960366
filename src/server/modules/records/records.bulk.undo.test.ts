import { and, asc, eq, inArray, sql } from "drizzle-orm";
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
import { contacts } from "../contacts/contacts.table.ts";
import { deals } from "../deals/deals.table.ts";
import { outboxEvents } from "../outbox/outbox.table.ts";
import { bulkOperations } from "./records.bulk.table.ts";

let app: FastifyInstance;
let ws: TestWorkspace;

beforeAll(async () => {
  app = await createTestApp();
  ws = await createTestWorkspace(app);
});
afterAll(() => app.close());

type Json = Record<string, unknown> & { id: string };
const unique = () => `${Date.now()}${Math.random().toString(36).slice(2, 8)}`;

async function make(member: Member, resource: string, body: Record<string, unknown>): Promise<Json> {
  const response = await member.client.post(`/api/v1/${resource}`, body);
  if (response.statusCode !== 201) throw new Error(`${resource} not created: ${response.body}`);
  return response.json();
}
const contact = (extra: Record<string, unknown> = {}) =>
  make(ws.admin, "contacts", { firstName: "Undo", lastName: unique(), tags: ["keep"], ...extra });
const bulk = (member: Member, resource: string, body: Record<string, unknown>) =>
  member.client.post(`/api/v1/${resource}/bulk`, body);
const undo = (member: Member, operationId: string) => member.client.post(`/api/v1/bulk-operations/${operationId}/undo`);

/** The rows as stored, minus what every write moves on (version, updated_at). */
async function rowsOf(table: typeof contacts | typeof deals, ids: string[]) {
  const { db } = await testDatabase();
  const rows = (await db.select().from(table).where(inArray(table.id, ids)).orderBy(asc(table.id))) as Record<
    string,
    unknown
  >[];
  return rows.map(({ version: _version, updatedAt: _updatedAt, ...rest }) => rest);
}

describe("undo", () => {
  it("puts every changed record back exactly as it was, table by table", async () => {
    const contactIds = [(await contact({ source: "a" })).id, (await contact({ lifecycle: "customer" })).id];
    const deal = await make(ws.admin, "deals", { name: `Deal ${unique()}`, value: "5.00", tags: ["x"] });
    const contactsBefore = await rowsOf(contacts, contactIds);
    const dealsBefore = await rowsOf(deals, [deal.id]);

    const requests: [string, Record<string, unknown>][] = [
      ["contacts", { action: "update", ids: contactIds, fields: { lifecycle: "lead", source: "b" } }],
      ["contacts", { action: "addTags", ids: contactIds, tags: ["new"] }],
      ["contacts", { action: "removeTags", ids: contactIds, tags: ["keep"] }],
      ["deals", { action: "assign", ids: [deal.id], ownerId: ws.agent.userId }],
      ["deals", { action: "removeTags", ids: [deal.id], tags: ["x"] }],
    ];
    const ops = [];
    for (const [resource, body] of requests) {
      const op = (await bulk(ws.manager, resource, body)).json();
      expect(op.updated, JSON.stringify(body)).toBe(resource === "deals" ? 1 : 2);
      if (resource === "contacts") expect(await rowsOf(contacts, contactIds)).not.toEqual(contactsBefore);
      const response = await undo(ws.manager, op.operationId);
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json()).toMatchObject({ status: "undone", reverted: op.updated, refusedCount: 0 });
      ops.push(op);
    }
    expect(await rowsOf(contacts, contactIds)).toEqual(contactsBefore);
    expect(await rowsOf(deals, [deal.id])).toEqual(dealsBefore);
    const status = await ws.manager.client.get(`/api/v1/bulk-operations/${ops[0].operationId}`);
    expect(status.json()).toMatchObject({ status: "undone", undoableUntil: null });
  });

  it("restores what a bulk delete deleted, and deletes what a bulk restore restored", async () => {
    const ids = [(await contact()).id, (await contact()).id];
    const before = await rowsOf(contacts, ids);
    const deleted = (await bulk(ws.admin, "contacts", { action: "delete", ids })).json();
    expect((await undo(ws.admin, deleted.operationId)).json()).toMatchObject({ reverted: 2 });
    expect(await rowsOf(contacts, ids)).toEqual(before);

    await bulk(ws.admin, "contacts", { action: "delete", ids });
    const deletedRows = await rowsOf(contacts, ids);
    const restored = (await bulk(ws.admin, "contacts", { action: "restore", ids })).json();
    expect((await undo(ws.admin, restored.operationId)).json()).toMatchObject({ reverted: 2 });
    expect(await rowsOf(contacts, ids)).toEqual(deletedRows);
  });

  it("leaves a record changed since by someone else, reports it, and undoes the rest", async () => {
    const ids = [(await contact()).id, (await contact()).id, (await contact()).id];
    const op = (await bulk(ws.admin, "contacts", { action: "update", ids, fields: { lifecycle: "customer" } })).json();
    const touched = ids[1]!;
    expect((await ws.manager.client.patch(`/api/v1/contacts/${touched}`, { jobTitle: "Changed" })).statusCode).toBe(
      200,
    );
    const response = await undo(ws.admin, op.operationId);
    expect(response.json()).toEqual({
      operationId: op.operationId,
      status: "undone",
      reverted: 2,
      refusedCount: 1,
      refused: [{ id: touched, message: "It was changed since the bulk action: left as it is." }],
    });
    const lifecycles = await rowsOf(contacts, ids);
    expect(lifecycles.map((row) => [row.id, row.lifecycle])).toEqual(
      [...ids].sort().map((id) => [id, id === touched ? "customer" : "lead"]),
    );
  });

  it("is audited as one entry plus each record's own, with the records' events", async () => {
    const ids = [(await contact()).id];
    const op = (await bulk(ws.admin, "contacts", { action: "update", ids, fields: { lifecycle: "customer" } })).json();
    await undo(ws.admin, op.operationId);
    const { db } = await testDatabase();
    const entries = await db
      .select({ action: auditLogs.action, details: auditLogs.details, changes: auditLogs.changes })
      .from(auditLogs)
      .where(and(eq(auditLogs.workspaceId, ws.id), inArray(auditLogs.resourceId, [op.operationId, ids[0]!])))
      .orderBy(asc(auditLogs.occurredAt), asc(auditLogs.id));
    expect(entries.map((e) => e.action)).toEqual([
      "contact.created",
      "contact.updated",
      "bulk_operation.completed",
      "contact.updated",
      "bulk_operation.undone",
    ]);
    expect(entries[3]!.changes).toEqual({ lifecycle: ["customer", "lead"] });
    expect(entries[4]!.details).toMatchObject({ reverted: 1, refusedOnUndo: 0, resource: "contacts" });
    const events = await db
      .select({ type: outboxEvents.type })
      .from(outboxEvents)
      .where(eq(outboxEvents.resourceId, ids[0]!))
      .orderBy(asc(outboxEvents.seq));
    expect(events.map((e) => e.type)).toEqual(["contact.created", "contact.updated", "contact.updated"]);
  });

  it("answers 409 once undone, and after 24 hours; 404 for an agent on another's operation", async () => {
    const ids = [(await contact()).id];
    const op = (await bulk(ws.admin, "contacts", { action: "addTags", ids, tags: ["t"] })).json();
    expect((await undo(ws.agent, op.operationId)).statusCode).toBe(404);
    expect((await undo(ws.admin, op.operationId)).statusCode).toBe(200);
    const again = await undo(ws.admin, op.operationId);
    expect(again.statusCode).toBe(409);
    expect(again.json().detail).toBe("This bulk operation has already been undone.");

    const old = (await bulk(ws.admin, "contacts", { action: "addTags", ids, tags: ["u"] })).json();
    const { db } = await testDatabase();
    await db
      .update(bulkOperations)
      .set({ finishedAt: sql`now() - interval '25 hours'` })
      .where(eq(bulkOperations.id, old.operationId));
    const late = await undo(ws.admin, old.operationId);
    expect(late.statusCode).toBe(409);
    expect(late.json().detail).toBe("This bulk operation can no longer be undone: undo is possible for 24 hours.");
    expect((await ws.admin.client.get(`/api/v1/contacts/${ids[0]}`)).json().tags).toEqual(["keep", "u"]);
  });
});
