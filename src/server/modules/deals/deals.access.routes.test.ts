import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Deal } from "../../../shared/schemas/deal.ts";
import { createTestApp, createTestWorkspace, type Member, type TestWorkspace } from "../../test/create-test-app.ts";
import { eventsOf } from "./deals.factory.ts";

let app: FastifyInstance;
let ws: TestWorkspace;
let other: TestWorkspace;

beforeAll(async () => {
  app = await createTestApp();
  ws = await createTestWorkspace(app);
  other = await createTestWorkspace(app, "Other");
});
afterAll(() => app.close());

const createDeal = async (member: Member, body: Record<string, unknown> = {}): Promise<Deal> => {
  const response = await member.client.post("/api/v1/deals", { name: "Deal", ...body });
  expect(response.statusCode).toBe(201);
  return response.json();
};

describe("roles", () => {
  it("lets agents create and edit their own deals, not others', and never delete or restore", async () => {
    const own = await createDeal(ws.agent);
    expect(own.ownerId).toBe(ws.agent.userId);
    expect((await ws.agent.client.patch(`/api/v1/deals/${own.id}`, { value: "10.00" })).statusCode).toBe(200);
    const managers = await createDeal(ws.manager);
    expect((await ws.agent.client.patch(`/api/v1/deals/${managers.id}`, { value: "10.00" })).statusCode).toBe(403);
    expect((await ws.agent.client.delete(`/api/v1/deals/${own.id}`)).statusCode).toBe(403);
    await ws.manager.client.delete(`/api/v1/deals/${own.id}`);
    expect((await ws.agent.client.post(`/api/v1/deals/${own.id}/restore`)).statusCode).toBe(403);
  });

  it("answers 403 when an agent gives a deal to someone else", async () => {
    const response = await ws.agent.client.post("/api/v1/deals", { name: "Gift", ownerId: ws.manager.userId });
    expect(response.statusCode).toBe(403);
    expect(response.json().errors).toEqual([{ path: "ownerId", message: expect.any(String) }]);
    const own = await createDeal(ws.agent);
    expect((await ws.agent.client.patch(`/api/v1/deals/${own.id}`, { ownerId: ws.manager.userId })).statusCode).toBe(
      403,
    );
  });

  it("lets viewers read but not create, edit or delete", async () => {
    const deal = await createDeal(ws.admin);
    expect((await ws.viewer.client.get(`/api/v1/deals/${deal.id}`)).statusCode).toBe(200);
    expect((await ws.viewer.client.post("/api/v1/deals", { name: "No" })).statusCode).toBe(403);
    expect((await ws.viewer.client.patch(`/api/v1/deals/${deal.id}`, { name: "No" })).statusCode).toBe(403);
    expect((await ws.viewer.client.delete(`/api/v1/deals/${deal.id}`)).statusCode).toBe(403);
  });

  it("lets managers reassign deals to any member", async () => {
    const deal = await createDeal(ws.agent);
    const response = await ws.manager.client.patch(`/api/v1/deals/${deal.id}`, { ownerId: ws.viewer.userId });
    expect(response.json().ownerId).toBe(ws.viewer.userId);
  });
});

describe("DELETE and restore", () => {
  it("soft-deletes (hidden from lists, still readable) and restores, emitting events", async () => {
    const deal = await createDeal(ws.admin);
    expect((await ws.manager.client.delete(`/api/v1/deals/${deal.id}`, { "if-match": '"1"' })).statusCode).toBe(204);
    expect((await ws.admin.client.get(`/api/v1/deals?filter[id]=${deal.id}`)).json().data).toEqual([]);
    expect(
      (await ws.admin.client.get(`/api/v1/deals?filter[id]=${deal.id}&filter[deleted]=true`)).json().data,
    ).toHaveLength(1);
    expect((await ws.admin.client.get(`/api/v1/deals/${deal.id}`)).json().deletedAt).not.toBeNull();
    expect((await ws.admin.client.patch(`/api/v1/deals/${deal.id}`, { name: "x" })).statusCode).toBe(404);
    expect((await ws.admin.client.post(`/api/v1/deals/${deal.id}/restore`, {}, { "if-match": '"1"' })).statusCode).toBe(
      412,
    );
    const restored = await ws.manager.client.post(`/api/v1/deals/${deal.id}/restore`);
    expect(restored.statusCode).toBe(200);
    expect(restored.json()).toMatchObject({ deletedAt: null, version: 3 });
    const again = await ws.admin.client.post(`/api/v1/deals/${deal.id}/restore`);
    expect(again.statusCode).toBe(409);
    expect(again.json().detail).toBe("The deal is not deleted.");
    expect((await eventsOf(deal.id)).map((e) => e.type)).toEqual(["deal.created", "deal.deleted", "deal.restored"]);
  });
});

describe("another workspace's deal", () => {
  it("answers 404 on get, patch, delete and restore, changes nothing and is never listed", async () => {
    const theirs = await createDeal(other.admin, { name: "Theirs" });
    const url = `/api/v1/deals/${theirs.id}`;
    expect((await ws.admin.client.get(url)).statusCode).toBe(404);
    expect((await ws.admin.client.patch(url, { name: "Mine" })).statusCode).toBe(404);
    expect((await ws.admin.client.delete(url)).statusCode).toBe(404);
    expect((await ws.admin.client.post(`${url}/restore`)).statusCode).toBe(404);
    expect((await ws.admin.client.get(`/api/v1/deals?filter[id]=${theirs.id}`)).json().data).toEqual([]);
    expect((await ws.admin.client.get(`/api/v1/deals/count?filter[id]=${theirs.id}`)).json().count).toBe(0);
    expect((await other.admin.client.get(url)).json()).toMatchObject({ name: "Theirs", version: 1, deletedAt: null });
  });

  it("cannot be pointed at through PATCH: another workspace's stage, contact or owner answers 400", async () => {
    const mine = await createDeal(ws.admin);
    const theirs = await createDeal(other.admin);
    const theirContact = (
      await other.admin.client.post("/api/v1/contacts", { firstName: "Eve", email: `e.${Date.now()}@example.com` })
    ).json();
    for (const [body, path] of [
      [{ stageId: theirs.stageId }, "stageId"],
      [{ pipelineId: theirs.pipelineId }, "pipelineId"],
      [{ contactId: theirContact.id }, "contactId"],
      [{ ownerId: other.agent.userId }, "ownerId"],
    ] as const) {
      const response = await ws.admin.client.patch(`/api/v1/deals/${mine.id}`, body);
      expect(response.statusCode, path).toBe(400);
      expect(response.json().errors.map((e: { path: string }) => e.path)).toEqual([path]);
    }
    expect((await ws.admin.client.get(`/api/v1/deals/${mine.id}`)).json().version).toBe(1);
  });
});
