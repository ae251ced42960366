import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Deal } from "../../../shared/schemas/deal.ts";
import type { Pipeline } from "../../../shared/schemas/pipeline.ts";
import { createTestApp, createTestWorkspace, type TestWorkspace } from "../../test/create-test-app.ts";
import { defaultPipelineOf, eventsOf, stageNamed } from "./deals.factory.ts";

let app: FastifyInstance;
let ws: TestWorkspace;
let sales: Pipeline;
let admissions: Pipeline;
const today = () => new Date().toISOString().slice(0, 10);

beforeAll(async () => {
  app = await createTestApp();
  ws = await createTestWorkspace(app);
  sales = await defaultPipelineOf(ws.admin);
  admissions = (
    await ws.admin.client.post("/api/v1/pipelines", {
      name: "Admissions",
      stages: [
        { name: "Applied", probability: 20 },
        { name: "Enrolled", isWon: true },
        { name: "Withdrawn", isLost: true },
      ],
    })
  ).json();
});
afterAll(() => app.close());

const createDeal = async (body: Record<string, unknown> = {}): Promise<Deal> => {
  const response = await ws.manager.client.post("/api/v1/deals", { name: "Moving deal", ...body });
  expect(response.statusCode).toBe(201);
  return response.json();
};
const move = (deal: Deal, body: Record<string, unknown>, headers?: Record<string, string>) =>
  ws.manager.client.patch(`/api/v1/deals/${deal.id}`, body, headers);

describe("moving a deal through its pipeline", () => {
  it("wins a deal: status, probability and close date follow the stage, with stage_changed and won events", async () => {
    const deal = await createDeal({ expectedCloseDate: "2026-12-01" });
    const won = stageNamed(sales, "Closed won");
    const response = await move(deal, { stageId: won.id });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      stageId: won.id,
      status: "won",
      probability: 100,
      actualCloseDate: today(),
      version: 2,
    });
    const events = await eventsOf(deal.id);
    expect(events.map((e) => e.type)).toEqual(["deal.created", "deal.updated", "deal.stage_changed", "deal.won"]);
    expect(events[2]?.payload).toMatchObject({
      fromStageId: deal.stageId,
      toStageId: won.id,
      record: { id: deal.id, status: "won" },
    });
  });

  it("loses a deal and clears the close date when it is reopened", async () => {
    const deal = await createDeal();
    const lost = await move(deal, { stageId: stageNamed(sales, "Closed lost").id });
    expect(lost.json()).toMatchObject({ status: "lost", probability: 0, actualCloseDate: today() });
    const reopened = await move(deal, { stageId: stageNamed(sales, "Negotiation").id });
    expect(reopened.json()).toMatchObject({ status: "open", probability: 75, actualCloseDate: null });
    const types = (await eventsOf(deal.id)).map((e) => e.type);
    expect(types.filter((t) => t === "deal.lost")).toHaveLength(1);
    expect(types.filter((t) => t === "deal.stage_changed")).toHaveLength(2);
  });

  it("keeps a given probability over the stage's, and keeps the probability when the stage does not change", async () => {
    const deal = await createDeal();
    expect((await move(deal, { stageId: stageNamed(sales, "Proposal").id, probability: 42 })).json().probability).toBe(
      42,
    );
    expect((await move(deal, { name: "Renamed" })).json()).toMatchObject({ probability: 42, name: "Renamed" });
    expect((await move(deal, { stageId: stageNamed(sales, "Proposal").id })).json().probability).toBe(42);
    const types = (await eventsOf(deal.id)).map((e) => e.type);
    expect(types.filter((t) => t === "deal.stage_changed")).toHaveLength(1);
  });

  it("moves to another pipeline's first stage with pipelineId alone, and to a named stage with both", async () => {
    const deal = await createDeal();
    const first = await move(deal, { pipelineId: admissions.id });
    expect(first.json()).toMatchObject({
      pipelineId: admissions.id,
      stageId: admissions.stages[0]?.id,
      probability: 20,
      status: "open",
    });
    const enrolled = stageNamed(admissions, "Enrolled");
    const back = await move(deal, { pipelineId: sales.id, stageId: stageNamed(sales, "Qualified").id });
    expect(back.json()).toMatchObject({ pipelineId: sales.id, probability: 25 });
    const won = await move(deal, { pipelineId: admissions.id, stageId: enrolled.id });
    expect(won.json()).toMatchObject({ status: "won", actualCloseDate: today() });
  });

  it("answers 400 for a stage of another pipeline, and changes nothing", async () => {
    const deal = await createDeal();
    const response = await move(deal, { stageId: stageNamed(admissions, "Enrolled").id });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual([{ path: "stageId", message: expect.any(String) }]);
    const mismatch = await move(deal, { pipelineId: admissions.id, stageId: stageNamed(sales, "Proposal").id });
    expect(mismatch.json().errors.map((e: { path: string }) => e.path)).toEqual(["stageId"]);
    expect((await ws.admin.client.get(`/api/v1/deals/${deal.id}`)).json()).toEqual(deal);
  });

  it("creates a deal straight into a won stage as won and closed today", async () => {
    const deal = await createDeal({ stageId: stageNamed(sales, "Closed won").id });
    expect(deal).toMatchObject({ status: "won", probability: 100, actualCloseDate: today() });
    expect((await eventsOf(deal.id)).map((e) => e.type)).toEqual(["deal.created", "deal.won"]);
  });

  it("answers 400 for status and actualCloseDate, which only the stage decides", async () => {
    const deal = await createDeal();
    const response = await move(deal, { status: "won", actualCloseDate: "2026-01-01", value: 5 });
    expect(response.statusCode).toBe(400);
    expect(
      response
        .json()
        .errors.map((e: { path: string }) => e.path)
        .sort(),
    ).toEqual(["actualCloseDate", "status", "value"]);
  });
});

describe("If-Match on deals", () => {
  it("answers 412 when If-Match is stale and changes nothing", async () => {
    const deal = await createDeal();
    await move(deal, { name: "First" });
    const stale = await move(deal, { stageId: stageNamed(sales, "Closed won").id }, { "if-match": '"1"' });
    expect(stale.statusCode).toBe(412);
    expect((await ws.admin.client.get(`/api/v1/deals/${deal.id}`)).json()).toMatchObject({
      status: "open",
      version: 2,
    });
  });

  it("lets exactly one of two concurrent stage moves with the same If-Match win", async () => {
    const deal = await createDeal();
    const [a, b] = await Promise.all([
      move(deal, { stageId: stageNamed(sales, "Closed won").id }, { "if-match": '"1"' }),
      ws.admin.client.patch(
        `/api/v1/deals/${deal.id}`,
        { stageId: stageNamed(sales, "Closed lost").id },
        { "if-match": '"1"' },
      ),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 412]);
    const winner = a.statusCode === 200 ? a.json() : b.json();
    expect((await ws.admin.client.get(`/api/v1/deals/${deal.id}`)).json()).toMatchObject({
      version: 2,
      status: winner.status,
    });
    const types = (await eventsOf(deal.id)).map((e) => e.type);
    expect(types.filter((t) => t === "deal.stage_changed")).toHaveLength(1);
  });
});
