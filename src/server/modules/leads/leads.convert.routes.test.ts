import { sql } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, createTestWorkspace, type Client, type TestWorkspace } from "../../test/create-test-app.ts";
import {
  defaultStages,
  makeCompany,
  makeContact,
  makeLead,
  paths,
  rows,
  secondPipeline,
  unique,
  type Json,
} from "./leads.factory.ts";

let app: FastifyInstance;
let ws: TestWorkspace;
let other: TestWorkspace;

beforeAll(async () => {
  app = await createTestApp();
  ws = await createTestWorkspace(app);
  other = await createTestWorkspace(app, "Other");
});
afterAll(() => app.close());

const qualifiedLead = (client: Client, overrides: Json = {}) => makeLead(client, { status: "qualified", ...overrides });
const convert = (client: Client, leadId: string, body: Json = {}, headers?: Record<string, string>) =>
  client.post(`/api/v1/leads/${leadId}/convert`, body, headers);

describe("POST /api/v1/leads/:id/convert", () => {
  it("creates the company, the contact and the deal, and converts the lead", async () => {
    const lead = await qualifiedLead(ws.manager.client, {
      priority: "high",
      estimatedValue: "25000.00",
      currency: "EUR",
    });
    const name = `Umbrella ${unique()}`;
    const response = await convert(ws.manager.client, lead.id, {
      company: { name, domain: "Umbrella.example" },
      contact: { firstName: "Alice", lastName: "Wong", email: `${unique()}@umbrella.example` },
    });
    expect(response.statusCode).toBe(200);
    const { lead: converted, company, contacts, deal } = response.json();
    const [firstStage] = await defaultStages(ws.id);
    expect(company).toMatchObject({ name, domain: "umbrella.example", ownerId: ws.manager.userId });
    expect(contacts).toHaveLength(1);
    expect(contacts[0]).toMatchObject({ firstName: "Alice", companyId: company.id, ownerId: ws.manager.userId });
    expect(deal).toMatchObject({
      name: lead.title,
      value: "25000.00",
      currency: "EUR",
      pipelineId: firstStage?.pipelineId,
      stageId: firstStage?.id,
      status: "open",
      probability: firstStage?.probability,
      actualCloseDate: null,
      contactId: contacts[0].id,
      companyId: company.id,
      ownerId: ws.manager.userId,
      leadId: lead.id,
      version: 1,
      deletedAt: null,
    });
    expect(converted).toMatchObject({
      status: "converted",
      companyId: company.id,
      dealId: deal.id,
      version: 2,
      contacts: [{ contactId: contacts[0].id, isPrimary: true }],
    });
    expect(converted.convertedAt).not.toBeNull();
    const history = (await ws.manager.client.get(`/api/v1/leads/${lead.id}/status-history`)).json().data;
    expect(history.at(-1)).toMatchObject({
      fromStatus: "qualified",
      toStatus: "converted",
      changedBy: ws.manager.userId,
    });
    const [stored] = await rows(
      sql`select lead_id as "leadId", value from deals where workspace_id = ${ws.id} and id = ${deal.id}`,
    );
    expect(stored).toEqual({ leadId: lead.id, value: "25000.00" });
  });

  it("emits lead.converted with lead, company, contacts and deal, and deal.created, in the outbox", async () => {
    const lead = await qualifiedLead(ws.admin.client);
    const { deal } = (await convert(ws.admin.client, lead.id, { company: { name: `Evt ${unique()}` } })).json();
    const events = await rows(sql`select type, payload from outbox_events
      where workspace_id = ${ws.id} and resource_id in (${lead.id}, ${deal.id}) order by created_at, id`);
    const converted = events.find((e) => e.type === "lead.converted")?.payload as Json | undefined;
    expect(Object.keys(converted ?? {}).sort()).toEqual(["company", "contacts", "deal", "lead"]);
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining(["lead.created", "deal.created", "lead.converted"]),
    );
  });

  it("links an existing company and contacts, keeps the primary one and gives company-less contacts the company", async () => {
    const primary = await makeContact(ws.admin.client);
    const lead = await qualifiedLead(ws.admin.client, { contacts: [{ contactId: primary.id }] });
    const company = await makeCompany(ws.admin.client);
    const elsewhere = await makeCompany(ws.admin.client);
    const loose = await makeContact(ws.admin.client);
    const employed = await makeContact(ws.admin.client, { companyId: elsewhere.id });
    const response = await convert(ws.admin.client, lead.id, {
      companyId: company.id,
      contactIds: [loose.id, employed.id],
    });
    expect(response.statusCode).toBe(200);
    const result = response.json();
    expect(result.company.id).toBe(company.id);
    expect(result.contacts.map((c: Json) => c.id)).toEqual([primary.id, loose.id, employed.id]);
    expect(result.deal).toMatchObject({ contactId: primary.id, companyId: company.id });
    expect(result.lead.contacts).toHaveLength(3);
    expect(result.lead.contacts.filter((c: Json) => c.isPrimary)).toEqual([{ contactId: primary.id, isPrimary: true }]);
    expect((await ws.admin.client.get(`/api/v1/contacts/${loose.id}`)).json()).toMatchObject({
      companyId: company.id,
      version: 2,
    });
    expect((await ws.admin.client.get(`/api/v1/contacts/${employed.id}`)).json().companyId).toBe(elsewhere.id);
  });

  it("uses the lead's company, the given stage and deal fields; a won stage closes the deal", async () => {
    const company = await makeCompany(ws.admin.client);
    const lead = await qualifiedLead(ws.admin.client, { companyId: company.id });
    const won = (await defaultStages(ws.id)).find((stage) => stage.isWon);
    const deal = {
      name: "Big one",
      value: "99.50",
      currency: "GBP",
      stageId: won?.id,
      expectedCloseDate: "2030-01-31",
    };
    const response = await convert(ws.admin.client, lead.id, { deal });
    expect(response.statusCode).toBe(200);
    const today = new Date().toISOString().slice(0, 10);
    expect(response.json().deal).toMatchObject({
      ...deal,
      status: "won",
      probability: 100,
      actualCloseDate: today,
      companyId: company.id,
      contactId: null,
    });
    expect(response.json().company.id).toBe(company.id);
    expect(response.json().contacts).toEqual([]);
  });

  it("puts the deal in the first stage of the pipeline given", async () => {
    const second = await secondPipeline(ws.id);
    const lead = await qualifiedLead(ws.admin.client);
    const { deal } = (await convert(ws.admin.client, lead.id, { deal: { pipelineId: second.pipelineId } })).json();
    expect(deal).toMatchObject({
      pipelineId: second.pipelineId,
      stageId: second.stageId,
      probability: 40,
      status: "open",
    });
  });

  it("defaults the deal value to 0 and the currency to the workspace's base currency", async () => {
    const lead = await qualifiedLead(ws.admin.client);
    const { deal, company } = (await convert(ws.admin.client, lead.id)).json();
    expect(deal).toMatchObject({ value: "0.00", currency: "USD", name: lead.title });
    expect(company).toBeNull();
  });

  it.each(["new", "contacted", "lost"])("answers 422 for a %s lead", async (status) => {
    const lead = await qualifiedLead(ws.admin.client, status === "lost" ? { status, lostReason: "Gone" } : { status });
    const response = await convert(ws.admin.client, lead.id, { company: { name: `Never ${unique()}` } });
    expect(response.statusCode).toBe(422);
    expect(response.json()).toMatchObject({ type: "/problems/rule-violation", errors: [{ path: "status" }] });
  });

  it("converts once when two conversions race", async () => {
    const lead = await qualifiedLead(ws.admin.client);
    const answers = await Promise.all([convert(ws.admin.client, lead.id), convert(ws.manager.client, lead.id)]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 422]);
    const [deals] = await rows(
      sql`select count(*)::int as count from deals where workspace_id = ${ws.id} and lead_id = ${lead.id}`,
    );
    expect(deals?.count).toBe(1);
  });

  it("answers 422 when converting twice", async () => {
    const lead = await qualifiedLead(ws.admin.client);
    expect((await convert(ws.admin.client, lead.id)).statusCode).toBe(200);
    expect((await convert(ws.admin.client, lead.id)).statusCode).toBe(422);
  });

  it("answers 400 for malformed bodies: both company forms, unknown fields, bad ids", async () => {
    const lead = await qualifiedLead(ws.admin.client);
    const response = await convert(ws.admin.client, lead.id, {
      company: { name: "X", color: "red" },
      companyId: "nope",
      contactIds: ["x"],
      deal: { value: 10, currency: "eur", stageId: "1" },
      extra: true,
    });
    expect(response.statusCode).toBe(400);
    expect(paths(response)).toEqual(
      ["company.color", "companyId", "contactIds.0", "deal.currency", "deal.stageId", "deal.value", "extra"].sort(),
    );
    const both = await convert(ws.admin.client, lead.id, { company: { name: "X" }, companyId: crypto.randomUUID() });
    expect(paths(both)).toEqual(["companyId"]);
    const contactBoth = await convert(ws.admin.client, lead.id, { contact: { firstName: "A" }, contactIds: [] });
    expect(paths(contactBoth)).toEqual(["contactIds"]);
  });

  it("answers 412 for a stale If-Match and 404 for another workspace's lead", async () => {
    const lead = await qualifiedLead(ws.admin.client);
    expect((await convert(ws.admin.client, lead.id, {}, { "if-match": '"2"' })).statusCode).toBe(412);
    expect((await convert(other.admin.client, lead.id)).statusCode).toBe(404);
    expect((await ws.admin.client.get(`/api/v1/leads/${lead.id}`)).json().status).toBe("qualified");
    expect((await convert(ws.admin.client, lead.id, {}, { "if-match": '"1"' })).statusCode).toBe(200);
  });
});

describe("convert roles", () => {
  it("lets agents convert their own leads only", async () => {
    const own = await qualifiedLead(ws.agent.client);
    const response = await convert(ws.agent.client, own.id, {
      company: { name: `Agent ${unique()}` },
      contact: { firstName: "Eve" },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().deal.ownerId).toBe(ws.agent.userId);
    expect(response.json().company.ownerId).toBe(ws.agent.userId);
    const managers = await qualifiedLead(ws.manager.client);
    expect((await convert(ws.agent.client, managers.id)).statusCode).toBe(403);
    expect((await ws.agent.client.get(`/api/v1/leads/${managers.id}`)).json().status).toBe("qualified");
  });

  it("lets managers convert an agent's lead, which stays the agent's", async () => {
    const agents = await qualifiedLead(ws.agent.client);
    const response = await convert(ws.manager.client, agents.id);
    expect(response.statusCode).toBe(200);
    expect(response.json().deal.ownerId).toBe(ws.agent.userId);
  });

  it("refuses viewers", async () => {
    const lead = await qualifiedLead(ws.admin.client);
    expect((await convert(ws.viewer.client, lead.id)).statusCode).toBe(403);
  });
});
