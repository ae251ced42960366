import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "../../lib/ids.ts";
import { createTestApp, createTestWorkspace, type Member, type TestWorkspace } from "../../test/create-test-app.ts";

/**
 * A bulk action by ids, for an agent of a workspace that limits agents to their own records: an id
 * of a record they may not read is refused as an id of no record, whatever that record's state.
 */

let app: FastifyInstance;
let ws: TestWorkspace;
const ids = {} as Record<"own" | "ownDeleted" | "other" | "otherDeleted" | "missing", string>;

async function contact(member: Member, lastName: string): Promise<string> {
  const response = await member.client.post("/api/v1/contacts", {
    firstName: "Ada",
    lastName,
    email: `${lastName.toLowerCase()}@example.com`,
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ id: string }>().id;
}

async function setOwnRecordsOnly(value: boolean): Promise<void> {
  const response = await ws.admin.client.patch("/api/v1/workspace", { agentsSeeOwnRecordsOnly: value });
  expect(response.statusCode, response.body).toBe(200);
}

const asAdmin = async (id: string) => (await ws.admin.client.get(`/api/v1/contacts/${id}`)).json();

beforeAll(async () => {
  app = await createTestApp();
  ws = await createTestWorkspace(app, "Bulk by ids");
  ids.own = await contact(ws.agent, "Own");
  ids.ownDeleted = await contact(ws.agent, "OwnDeleted");
  ids.other = await contact(ws.admin, "Other");
  ids.otherDeleted = await contact(ws.admin, "OtherDeleted");
  ids.missing = newId();
  for (const id of [ids.ownDeleted, ids.otherDeleted]) {
    expect((await ws.admin.client.delete(`/api/v1/contacts/${id}`)).statusCode).toBe(204);
  }
});
afterAll(() => app.close());

const bulk = (body: Record<string, unknown>) => ws.agent.client.post("/api/v1/contacts/bulk", body);

describe("POST /api/v1/contacts/bulk by ids, for an agent", () => {
  it("refuses records they may not read as missing ones, whether live or deleted, and changes none", async () => {
    await setOwnRecordsOnly(true);
    try {
      const hidden = [ids.other, ids.otherDeleted, ids.missing];
      const requests = [
        { action: "update", fields: { source: "x" } },
        { action: "assign", ownerId: ws.agent.userId },
        { action: "addTags", tags: ["probe"] },
        { action: "removeTags", tags: ["probe"] },
      ];
      for (const request of requests) {
        const response = await bulk({ ...request, ids: hidden });
        expect(response.statusCode, response.body).toBe(200);
        const { refused, updated, matched } = response.json<{
          refused: { id: string; message: string }[];
          updated: number;
          matched: number;
        }>();
        expect({ updated, matched }, request.action).toEqual({ updated: 0, matched: 3 });
        expect(refused, request.action).toEqual(
          expect.arrayContaining(hidden.map((id) => ({ id, message: "No such contact: it may have been erased." }))),
        );
        expect(refused).toHaveLength(3);
      }
      // Their own records are judged as before: a live one changes, a deleted one says so.
      const mine = await bulk({ action: "update", fields: { source: "x" }, ids: [ids.own, ids.ownDeleted] });
      expect(mine.json()).toMatchObject({
        updated: 1,
        refused: [{ id: ids.ownDeleted, message: "It is deleted; restore it first." }],
      });
      expect(await asAdmin(ids.own)).toMatchObject({ source: "x", version: 2 });
      expect(await asAdmin(ids.other)).toMatchObject({ version: 1, ownerId: ws.admin.userId, tags: [] });
      expect(await asAdmin(ids.otherDeleted)).toMatchObject({ version: 2, ownerId: ws.admin.userId, tags: [] });
    } finally {
      await setOwnRecordsOnly(false);
    }
  });

  it("refuses another's record they may read for their role, whether live or deleted, while the setting is off", async () => {
    const response = await bulk({ action: "update", fields: { source: "y" }, ids: [ids.other, ids.otherDeleted] });
    expect(response.statusCode, response.body).toBe(200);
    const message = "You can only update contact records you own or are assigned to.";
    expect(response.json()).toMatchObject({ updated: 0, refusedCount: 2 });
    expect(response.json().refused).toEqual(
      expect.arrayContaining([
        { id: ids.other, message },
        { id: ids.otherDeleted, message },
      ]),
    );
    expect(await asAdmin(ids.other)).toMatchObject({ version: 1, source: null });
    expect(await asAdmin(ids.otherDeleted)).toMatchObject({ version: 2, source: null });
  });
});
