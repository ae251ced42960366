import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, createTestWorkspace, type TestWorkspace } from "../../test/create-test-app.ts";
import { makeLead, paths } from "./leads.factory.ts";

/** A lost lead's reason comes from the workspace's list (or "Other: …") once the workspace has one. */

let app: FastifyInstance;
let ws: TestWorkspace;
let other: TestWorkspace;

beforeAll(async () => {
  app = await createTestApp();
  ws = await createTestWorkspace(app);
  other = await createTestWorkspace(app, "Other");
});
afterAll(() => app.close());

const lose = (lead: { id: string }, lostReason: string | null) =>
  ws.agent.client.patch(`/api/v1/leads/${lead.id}`, { status: "lost", lostReason });

describe("lost reasons of leads", () => {
  it("takes any reason while the workspace has no list", async () => {
    const lead = await makeLead(ws.agent.client);
    const response = await lose(lead, "They moved abroad");
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ status: "lost", lostReason: "They moved abroad" });
  });

  it("then takes one of the list or “Other: …”, and answers 400 on lostReason for anything else", async () => {
    const before = await makeLead(ws.agent.client, { status: "lost", lostReason: "Written before the list" });
    const set = await ws.admin.client.patch("/api/v1/workspace", { leadLostReasons: ["No budget", "Chose a rival"] });
    expect(set.statusCode, set.body).toBe(200);

    const listed = await lose(await makeLead(ws.agent.client), "No budget");
    expect(listed.json()).toMatchObject({ lostReason: "No budget" });
    const other_ = await lose(await makeLead(ws.agent.client), "Other: went quiet after the fair");
    expect(other_.json()).toMatchObject({ lostReason: "Other: went quiet after the fair" });

    const lead = await makeLead(ws.agent.client);
    for (const reason of ["Budget", "no budget", "Other: ", "Other:went quiet"]) {
      const refused = await lose(lead, reason);
      expect(refused.statusCode, reason).toBe(400);
      expect(paths(refused)).toEqual(["lostReason"]);
      expect(refused.json().errors[0].message).toContain("No budget, Chose a rival");
    }
    const created = await ws.agent.client.post("/api/v1/leads", { title: "Gone", status: "lost", lostReason: "Gone" });
    expect(created.statusCode).toBe(400);
    expect(paths(created)).toEqual(["lostReason"]);
    expect((await ws.agent.client.get(`/api/v1/leads/${lead.id}`)).json()).toMatchObject({ status: "new" });

    // A reason given before the list stays until it is changed.
    const edited = await ws.agent.client.patch(`/api/v1/leads/${before.id}`, { priority: "high" });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json()).toMatchObject({ lostReason: "Written before the list", priority: "high" });
  });

  it("checks against the lead's own workspace's list only", async () => {
    const response = await other.agent.client.post("/api/v1/leads", {
      title: "Elsewhere",
      status: "lost",
      lostReason: "Anything goes here",
    });
    expect(response.statusCode, response.body).toBe(201);
  });
});
