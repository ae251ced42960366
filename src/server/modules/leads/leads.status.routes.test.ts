import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, createTestWorkspace, type TestWorkspace } from "../../test/create-test-app.ts";
import { makeLead, paths, type Json } from "./leads.factory.ts";

let app: FastifyInstance;
let ws: TestWorkspace;
let other: TestWorkspace;

beforeAll(async () => {
  app = await createTestApp();
  ws = await createTestWorkspace(app);
  other = await createTestWorkspace(app, "Other");
});
afterAll(() => app.close());

describe("status transitions", () => {
  const allowed: Record<string, string[]> = {
    new: ["contacted", "lost"],
    contacted: ["new", "qualified", "lost"],
    qualified: ["contacted", "lost"],
    lost: ["new", "contacted"],
    converted: [],
  };
  const statuses = ["new", "contacted", "qualified", "lost", "converted"];
  const leadIn = async (status: string) => {
    if (status === "converted") {
      const lead = await makeLead(ws.admin.client, { status: "qualified" });
      expect((await ws.admin.client.post(`/api/v1/leads/${lead.id}/convert`, {})).statusCode).toBe(200);
      return lead;
    }
    return makeLead(ws.admin.client, status === "lost" ? { status, lostReason: "No budget" } : { status });
  };
  const cases = statuses.flatMap((from) =>
    statuses.filter((to) => to !== from).map((to) => ({ from, to, ok: allowed[from]?.includes(to) })),
  );

  it.each(cases)("$from → $to is allowed: $ok", async ({ from, to, ok }) => {
    const lead = await leadIn(from);
    const body = to === "lost" ? { status: to, lostReason: "No budget" } : { status: to };
    const response = await ws.admin.client.patch(`/api/v1/leads/${lead.id}`, body);
    if (ok) {
      expect(response.statusCode).toBe(200);
      expect(response.json().status).toBe(to);
      const history = (await ws.admin.client.get(`/api/v1/leads/${lead.id}/status-history`)).json().data;
      expect(history.at(-1)).toMatchObject({ fromStatus: from, toStatus: to, changedBy: ws.admin.userId });
    } else {
      expect(response.statusCode).toBe(422);
      expect(response.json()).toMatchObject({ type: "/problems/rule-violation", errors: [{ path: "status" }] });
      expect((await ws.admin.client.get(`/api/v1/leads/${lead.id}`)).json().status).toBe(from);
    }
  });

  it("needs a lost reason, records it, and clears it when the lead is reopened", async () => {
    const lead = await makeLead(ws.admin.client, { status: "contacted" });
    const without = await ws.admin.client.patch(`/api/v1/leads/${lead.id}`, { status: "lost" });
    expect(without.statusCode).toBe(422);
    expect(paths(without)).toEqual(["lostReason"]);
    const lost = await ws.admin.client.patch(`/api/v1/leads/${lead.id}`, {
      status: "lost",
      lostReason: "Chose a rival",
    });
    expect(lost.json()).toMatchObject({ status: "lost", lostReason: "Chose a rival", score: 0 });
    const reopened = (await ws.admin.client.patch(`/api/v1/leads/${lead.id}`, { status: "contacted" })).json();
    expect(reopened).toMatchObject({ status: "contacted", lostReason: null });
    const history = (await ws.admin.client.get(`/api/v1/leads/${lead.id}/status-history`)).json().data;
    expect(history.map((h: Json) => [h.fromStatus, h.toStatus, h.reason])).toEqual([
      [null, "contacted", null],
      ["contacted", "lost", "Chose a rival"],
      ["lost", "contacted", null],
    ]);
  });

  it("refuses a lost reason on an open lead and keeps the same status without a history entry", async () => {
    const lead = await makeLead(ws.admin.client);
    expect(paths(await ws.admin.client.patch(`/api/v1/leads/${lead.id}`, { lostReason: "x" }))).toEqual(["lostReason"]);
    expect((await ws.admin.client.patch(`/api/v1/leads/${lead.id}`, { status: "new" })).statusCode).toBe(200);
    expect((await ws.admin.client.get(`/api/v1/leads/${lead.id}/status-history`)).json().data).toHaveLength(1);
  });
});

describe("GET /api/v1/leads/:id/status-history", () => {
  it("answers the changes oldest first to every role, 404 for another workspace's lead and 400 for a bad id", async () => {
    const lead = await makeLead(ws.agent.client);
    await ws.agent.client.patch(`/api/v1/leads/${lead.id}`, { status: "contacted" });
    const response = await ws.viewer.client.get(`/api/v1/leads/${lead.id}/status-history`);
    expect(response.statusCode).toBe(200);
    expect(response.json().data.map((h: Json) => [h.fromStatus, h.toStatus, h.changedBy])).toEqual([
      [null, "new", ws.agent.userId],
      ["new", "contacted", ws.agent.userId],
    ]);
    expect((await other.admin.client.get(`/api/v1/leads/${lead.id}/status-history`)).statusCode).toBe(404);
    expect((await ws.admin.client.get("/api/v1/leads/nope/status-history")).statusCode).toBe(400);
  });
});
