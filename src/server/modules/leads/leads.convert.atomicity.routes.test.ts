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

/** What a failed conversion must leave untouched. */
async function snapshot(client: Client, workspaceId: string, leadId: string) {
  const count = async (path: string) => (await client.get(`${path}/count`)).json().count;
  const [deals] = await rows(sql`select count(*)::int as count from deals where workspace_id = ${workspaceId}`);
  const [events] = await rows(
    sql`select count(*)::int as count from outbox_events where workspace_id = ${workspaceId}`,
  );
  const lead = (await client.get(`/api/v1/leads/${leadId}`)).json();
  const history = (await client.get(`/api/v1/leads/${leadId}/status-history`)).json().data.length;
  return {
    companies: await count("/api/v1/companies"),
    contacts: await count("/api/v1/contacts"),
    deals: deals?.count,
    events: events?.count,
    lead: { status: lead.status, version: lead.version, contacts: lead.contacts, companyId: lead.companyId },
    history,
  };
}

describe("convert leaves nothing behind when it fails", () => {
  it("refuses another workspace's contact after creating the company", async () => {
    const lead = await qualifiedLead(ws.admin.client);
    const foreign = await makeContact(other.admin.client);
    const before = await snapshot(ws.admin.client, ws.id, lead.id);
    const name = `Halfway ${unique()}`;
    const response = await convert(ws.admin.client, lead.id, { company: { name }, contactIds: [foreign.id] });
    expect(response.statusCode).toBe(400);
    expect(paths(response)).toEqual(["contactIds.0"]);
    expect(await snapshot(ws.admin.client, ws.id, lead.id)).toEqual(before);
    expect((await ws.admin.client.post("/api/v1/companies", { name })).statusCode).toBe(201);
  });

  it("refuses a stage of another pipeline after creating the company and the contact", async () => {
    const lead = await qualifiedLead(ws.admin.client);
    const second = await secondPipeline(ws.id);
    const [foreignStage] = await defaultStages(other.id);
    const before = await snapshot(ws.admin.client, ws.id, lead.id);
    for (const stageId of [second.stageId, foreignStage?.id]) {
      const response = await convert(ws.admin.client, lead.id, {
        company: { name: `Halfway ${unique()}` },
        contact: { firstName: "Bob", email: `${unique()}@example.com` },
        deal: { name: "Deal", stageId },
      });
      expect(response.statusCode).toBe(400);
      expect(paths(response)).toEqual(["deal.stageId"]);
      expect(await snapshot(ws.admin.client, ws.id, lead.id)).toEqual(before);
    }
  });

  it("refuses another workspace's company or pipeline", async () => {
    const lead = await qualifiedLead(ws.admin.client);
    const before = await snapshot(ws.admin.client, ws.id, lead.id);
    const foreignCompany = await makeCompany(other.admin.client);
    expect(paths(await convert(ws.admin.client, lead.id, { companyId: foreignCompany.id }))).toEqual(["companyId"]);
    const [foreignStage] = await defaultStages(other.id);
    const response = await convert(ws.admin.client, lead.id, {
      contact: { firstName: "Carl" },
      deal: { pipelineId: foreignStage?.pipelineId },
    });
    expect(paths(response)).toEqual(["deal.pipelineId"]);
    expect(await snapshot(ws.admin.client, ws.id, lead.id)).toEqual(before);
  });

  it("answers 409 on company.name for a company name in use, and on contact.email for a used e-mail", async () => {
    const existing = await makeCompany(ws.admin.client);
    const taken = await makeContact(ws.admin.client, { email: `${unique()}@example.com` });
    const lead = await qualifiedLead(ws.admin.client);
    const before = await snapshot(ws.admin.client, ws.id, lead.id);
    const company = await convert(ws.admin.client, lead.id, { company: { name: existing.name.toUpperCase() } });
    expect(company.statusCode).toBe(409);
    expect(paths(company)).toEqual(["company.name"]);
    const contact = await convert(ws.admin.client, lead.id, {
      company: { name: `Fresh ${unique()}` },
      contact: { firstName: "Dup", email: taken.email },
    });
    expect(contact.statusCode).toBe(409);
    expect(paths(contact)).toEqual(["contact.email"]);
    expect(await snapshot(ws.admin.client, ws.id, lead.id)).toEqual(before);
  });
});
