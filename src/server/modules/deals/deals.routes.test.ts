import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Deal } from "../../../shared/schemas/deal.ts";
import type { Pipeline } from "../../../shared/schemas/pipeline.ts";
import { createTestApp, createTestWorkspace, type TestWorkspace } from "../../test/create-test-app.ts";
import { defaultPipelineOf, eventsOf, makeCompany, setBaseCurrency, stageNamed } from "./deals.factory.ts";

let app: FastifyInstance;
let ws: TestWorkspace;
let other: TestWorkspace;
let sales: Pipeline;

beforeAll(async () => {
  app = await createTestApp();
  ws = await createTestWorkspace(app);
  other = await createTestWorkspace(app, "Other");
  await setBaseCurrency(ws.id, "EUR");
  sales = await defaultPipelineOf(ws.admin);
});
afterAll(() => app.close());

const createDeal = async (body: Record<string, unknown> = {}, member = ws.admin): Promise<Deal> => {
  const response = await member.client.post("/api/v1/deals", { name: "Big deal", ...body });
  expect(response.statusCode).toBe(201);
  return response.json();
};
const paths = (response: { json: () => { errors?: { path: string }[] } }) =>
  (response.json().errors ?? []).map((e) => e.path).sort();
const countDeals = async (workspace = ws) =>
  (await workspace.admin.client.get("/api/v1/deals/count")).json().count as number;

describe("POST /api/v1/deals", () => {
  it("fills defaults: base currency, default pipeline, first stage and its probability, caller as owner", async () => {
    const response = await ws.manager.client.post("/api/v1/deals", { name: "Renewal", tags: ["q3", "q3"] });
    expect(response.statusCode).toBe(201);
    const deal: Deal = response.json();
    expect(response.headers.location).toBe(`/api/v1/deals/${deal.id}`);
    expect(response.headers.etag).toBe('"1"');
    expect(deal).toMatchObject({
      name: "Renewal",
      value: "0.00",
      currency: "EUR",
      pipelineId: sales.id,
      stageId: stageNamed(sales, "Lead").id,
      status: "open",
      probability: 10,
      actualCloseDate: null,
      ownerId: ws.manager.userId,
      createdBy: ws.manager.userId,
      tags: ["q3"],
      version: 1,
    });
    expect((await eventsOf(deal.id)).map((e) => e.type)).toEqual(["deal.created"]);
  });

  it("stores what it is given, money as a decimal string", async () => {
    const contact = (
      await ws.admin.client.post("/api/v1/contacts", { firstName: "Grace", email: `g.${Date.now()}@example.com` })
    ).json();
    const company = await makeCompany(ws.id);
    const proposal = stageNamed(sales, "Proposal");
    const deal = await createDeal({
      value: "1250.5",
      currency: "GBP",
      stageId: proposal.id,
      probability: 35,
      expectedCloseDate: "2026-09-30",
      contactId: contact.id,
      companyId: company.id,
      ownerId: ws.agent.userId,
    });
    expect(deal).toMatchObject({
      value: "1250.50",
      currency: "GBP",
      stageId: proposal.id,
      probability: 35,
      expectedCloseDate: "2026-09-30",
    });
    expect(deal).toMatchObject({ contactId: contact.id, companyId: company.id, ownerId: ws.agent.userId });
  });

  it("answers 400 naming every bad field, read-only ones included, and stores nothing", async () => {
    const before = await countDeals();
    const response = await ws.admin.client.post("/api/v1/deals", {
      name: "x".repeat(201),
      value: 1250,
      currency: "eur",
      probability: 101,
      expectedCloseDate: "30/09/2026",
      contactId: "nope",
      status: "won",
      actualCloseDate: "2026-01-01",
      tags: "vip",
    });
    expect(response.statusCode).toBe(400);
    expect(paths(response)).toEqual(
      [
        "actualCloseDate",
        "contactId",
        "currency",
        "expectedCloseDate",
        "name",
        "probability",
        "status",
        "tags",
        "value",
      ].sort(),
    );
    expect(paths(await ws.admin.client.post("/api/v1/deals", { value: "-5", probability: 1.5 }))).toEqual([
      "name",
      "probability",
      "value",
    ]);
    expect(await countDeals()).toBe(before);
  });

  it("answers 400 for a stage of another pipeline", async () => {
    const pipeline = (
      await ws.admin.client.post("/api/v1/pipelines", {
        name: `Other ${Date.now()}`,
        stages: [{ name: "One" }, { name: "Two" }],
      })
    ).json() as Pipeline;
    const response = await ws.admin.client.post("/api/v1/deals", {
      name: "Mixed",
      pipelineId: pipeline.id,
      stageId: stageNamed(sales, "Lead").id,
    });
    expect(response.statusCode).toBe(400);
    expect(paths(response)).toEqual(["stageId"]);
    const inferred = await createDeal({ pipelineId: pipeline.id });
    expect(inferred).toMatchObject({ pipelineId: pipeline.id, stageId: pipeline.stages[0]?.id, probability: 0 });
  });

  it("cannot reference another workspace's pipeline, stage, contact, company or member, and creates nothing", async () => {
    const before = await countDeals();
    const theirPipeline = await defaultPipelineOf(other.admin);
    const theirContact = (
      await other.admin.client.post("/api/v1/contacts", { firstName: "Eve", email: `e.${Date.now()}@example.com` })
    ).json();
    const theirCompany = await makeCompany(other.id);
    const attempts: [Record<string, unknown>, string][] = [
      [{ pipelineId: theirPipeline.id }, "pipelineId"],
      [{ stageId: theirPipeline.stages[0]?.id }, "stageId"],
      [{ pipelineId: theirPipeline.id, stageId: theirPipeline.stages[0]?.id }, "pipelineId"],
      [{ contactId: theirContact.id }, "contactId"],
      [{ companyId: theirCompany.id }, "companyId"],
      [{ ownerId: other.manager.userId }, "ownerId"],
    ];
    for (const [body, path] of attempts) {
      const response = await ws.admin.client.post("/api/v1/deals", { name: "Sneaky", ...body });
      expect(response.statusCode, path).toBe(400);
      expect(paths(response)).toEqual([path]);
    }
    expect(await countDeals()).toBe(before);
  });
});

describe("GET /api/v1/deals/:id", () => {
  it("embeds company, contact, owner and stage with include", async () => {
    const contact = (
      await ws.admin.client.post("/api/v1/contacts", {
        firstName: "Ada",
        lastName: "L",
        email: `a.${Date.now()}@example.com`,
      })
    ).json();
    const company = await makeCompany(ws.id);
    const deal = await createDeal({ contactId: contact.id, companyId: company.id });
    const response = await ws.viewer.client.get(`/api/v1/deals/${deal.id}?include=company,contact,owner,stage`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      company: { id: company.id, name: company.name },
      contact: { id: contact.id, firstName: "Ada", lastName: "L", email: contact.email },
      owner: { id: ws.admin.userId, name: "Admin" },
      stage: { id: deal.stageId, name: "Lead", position: 0, probability: 10, isWon: false, isLost: false },
    });
    const list = (await ws.viewer.client.get(`/api/v1/deals?filter[id]=${deal.id}&include=stage,company`)).json().data;
    expect(list[0]).toMatchObject({ stage: { name: "Lead" }, company: { name: company.name } });
  });

  it("answers 400 for a malformed id or unknown include, 404 for an unknown id", async () => {
    expect((await ws.admin.client.get("/api/v1/deals/123")).statusCode).toBe(400);
    const deal = await createDeal();
    expect((await ws.admin.client.get(`/api/v1/deals/${deal.id}?include=pipeline`)).statusCode).toBe(400);
    expect((await ws.admin.client.get("/api/v1/deals/01900000-0000-7000-8000-000000000000")).statusCode).toBe(404);
  });
});

describe("GET /api/v1/deals", () => {
  it("filters by status, stage, pipeline, value range, dates and owner; counts the same", async () => {
    const workspace = await createTestWorkspace(app, "Filters");
    const pipeline = await defaultPipelineOf(workspace.admin);
    const make = (body: Record<string, unknown>, member = workspace.admin) => createDeal(body, member);
    const small = await make({ name: "Small", value: "100.00", expectedCloseDate: "2026-01-10" });
    const big = await make({ name: "Big", value: "9000.00", expectedCloseDate: "2026-06-10" }, workspace.agent);
    const won = await make({ name: "Won", value: "500.00", stageId: stageNamed(pipeline, "Closed won").id });
    const ids = async (query: string) =>
      (await workspace.admin.client.get(`/api/v1/deals?${query}`))
        .json()
        .data.map((d: Deal) => d.id)
        .sort();
    expect(await ids("filter[status]=won")).toEqual([won.id]);
    expect(await ids("filter[status]=open,lost")).toEqual([small.id, big.id].sort());
    expect(await ids(`filter[stageId]=${stageNamed(pipeline, "Lead").id}`)).toEqual([small.id, big.id].sort());
    expect(await ids(`filter[pipelineId]=${pipeline.id}`)).toHaveLength(3);
    expect(await ids("filter[value][gte]=500&filter[value][lt]=9000.01")).toEqual([big.id, won.id].sort());
    expect(await ids("filter[expectedCloseDate][lt]=2026-03-01")).toEqual([small.id]);
    expect(await ids("filter[expectedCloseDate][empty]=true")).toEqual([won.id]);
    expect(await ids("filter[probability][gte]=100")).toEqual([won.id]);
    expect(
      (await workspace.agent.client.get("/api/v1/deals?filter[ownerId]=me")).json().data.map((d: Deal) => d.id),
    ).toEqual([big.id]);
    expect((await workspace.admin.client.get("/api/v1/deals/count?filter[status]=open")).json()).toEqual({ count: 2 });
    expect((await workspace.admin.client.get("/api/v1/deals?q=smal")).json().data.map((d: Deal) => d.id)).toEqual([
      small.id,
    ]);
  });

  it("sorts on indexed columns only and answers 400 naming bad filters", async () => {
    expect((await ws.admin.client.get("/api/v1/deals?sort=-updatedAt")).statusCode).toBe(200);
    const response = await ws.admin.client.get(
      "/api/v1/deals?sort=probability&filter[value][gt]=abc&filter[status]=closed&filter[expectedCloseDate]=soon",
    );
    expect(response.statusCode).toBe(400);
    expect(paths(response)).toEqual(
      ["filter[expectedCloseDate]", "filter[status]", "filter[value][gt]", "sort"].sort(),
    );
  });

  it("pages with a cursor and never lists or counts another workspace's deals", async () => {
    const workspace = await createTestWorkspace(app, "Paging");
    for (let i = 0; i < 5; i++) await createDeal({ name: `Deal ${i}` }, workspace.admin);
    await createDeal({ name: "Elsewhere" }, other.admin);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${cursor}` : "";
      const page = (await workspace.viewer.client.get(`/api/v1/deals?limit=2&sort=createdAt${query}`)).json();
      seen.push(...page.data.map((d: Deal) => d.name));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(["Deal 0", "Deal 1", "Deal 2", "Deal 3", "Deal 4"]);
    expect(await countDeals(workspace)).toBe(5);
  });
});
