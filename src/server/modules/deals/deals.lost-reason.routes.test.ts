import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Deal } from "../../../shared/schemas/deal.ts";
import type { Pipeline } from "../../../shared/schemas/pipeline.ts";
import { createTestApp, createTestWorkspace, type TestWorkspace } from "../../test/create-test-app.ts";
import { defaultPipelineOf, eventsOf, stageNamed } from "./deals.factory.ts";

/** `lostReason` on deals: only lost deals have one, from the workspace's list, required when it says so. */

let app: FastifyInstance;
let ws: TestWorkspace;
let sales: Pipeline;

beforeAll(async () => {
  app = await createTestApp();
  ws = await createTestWorkspace(app);
  sales = await defaultPipelineOf(ws.admin);
});
afterAll(() => app.close());

const createDeal = async (body: Record<string, unknown> = {}): Promise<Deal> => {
  const response = await ws.agent.client.post("/api/v1/deals", { name: "Deal", ...body });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
};
const patch = (deal: Deal, body: Record<string, unknown>) => ws.agent.client.patch(`/api/v1/deals/${deal.id}`, body);
const lost = () => stageNamed(sales, "Closed lost").id;
const paths = (response: LightMyRequestResponse) =>
  (response.json<{ errors?: { path: string }[] }>().errors ?? []).map((e) => e.path).sort();
const settings = async (body: Record<string, unknown>) => {
  const response = await ws.admin.client.patch("/api/v1/workspace", body);
  expect(response.statusCode, response.body).toBe(200);
};

describe("lost reasons of deals", () => {
  it("keeps the reason of a deal moved to a lost stage, in its events, and clears it when the deal reopens", async () => {
    const deal = await createDeal();
    expect(deal.lostReason).toBeNull();
    const moved = await patch(deal, { stageId: lost(), lostReason: "Price too high" });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json()).toMatchObject({ status: "lost", lostReason: "Price too high" });
    const events = await eventsOf(deal.id);
    expect(events.find((e) => e.type === "deal.lost")?.payload).toMatchObject({
      record: { lostReason: "Price too high" },
    });

    const renamed = await patch(moved.json(), { name: "Still lost" });
    expect(renamed.json()).toMatchObject({ lostReason: "Price too high" });
    const reopened = await patch(moved.json(), { stageId: stageNamed(sales, "Proposal").id });
    expect(reopened.json()).toMatchObject({ status: "open", lostReason: null });
  });

  it("answers 422 on lostReason for a deal that is not lost, and leaves it unchanged", async () => {
    const deal = await createDeal();
    const response = await patch(deal, { lostReason: "Too early" });
    expect(response.statusCode).toBe(422);
    expect(response.json()).toMatchObject({ type: "/problems/rule-violation" });
    expect(paths(response)).toEqual(["lostReason"]);
    const created = await ws.agent.client.post("/api/v1/deals", { name: "Open", lostReason: "Too early" });
    expect(created.statusCode).toBe(422);
    expect((await ws.agent.client.get(`/api/v1/deals/${deal.id}`)).json()).toMatchObject({ version: deal.version });
  });

  it("moves a deal to a lost stage without a reason unless the workspace requires one", async () => {
    const free = await patch(await createDeal(), { stageId: lost() });
    expect(free.json()).toMatchObject({ status: "lost", lostReason: null });

    await settings({ requireDealLostReason: true, dealLostReasons: ["Price too high", "No decision"] });
    const deal = await createDeal();
    const refused = await patch(deal, { stageId: lost() });
    expect(refused.statusCode).toBe(422);
    expect(paths(refused)).toEqual(["lostReason"]);
    const createdLost = await ws.agent.client.post("/api/v1/deals", { name: "Lost at once", stageId: lost() });
    expect(createdLost.statusCode).toBe(422);

    const notListed = await patch(deal, { stageId: lost(), lostReason: "Budget" });
    expect(notListed.statusCode).toBe(400);
    expect(paths(notListed)).toEqual(["lostReason"]);
    expect(notListed.json().errors[0].message).toContain("Price too high, No decision");

    const other = await patch(deal, { stageId: lost(), lostReason: "Other: merged with a rival" });
    expect(other.json()).toMatchObject({ status: "lost", lostReason: "Other: merged with a rival" });
    const cleared = await patch(other.json(), { lostReason: null });
    expect(cleared.statusCode).toBe(422);

    // A deal lost before the rule keeps its empty reason through other edits.
    const edited = await patch(free.json(), { name: "Lost long ago" });
    expect(edited.statusCode, edited.body).toBe(200);
    await settings({ requireDealLostReason: false, dealLostReasons: [] });
  });
});
