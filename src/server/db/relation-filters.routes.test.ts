import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, createTestWorkspace, type Client, type TestWorkspace } from "../test/create-test-app.ts";

/**
 * Lists filtered by the records they relate to (the list filters' record pickers): contacts of a
 * company, deals of a contact or company, leads of a contact (through the lead's contact links),
 * activities and tasks about a record; and the presets' filters (mine, unassigned, created since).
 */

type Json = Record<string, unknown>;
type Row = { id: string; [field: string]: unknown };

let app: FastifyInstance;
let ws: TestWorkspace;
let other: TestWorkspace;

beforeAll(async () => {
  app = await createTestApp();
  ws = await createTestWorkspace(app);
  other = await createTestWorkspace(app, "Other");
});
afterAll(() => app.close());

const unique = () => `${Date.now()}${Math.random().toString(36).slice(2, 8)}`;

async function create(client: Client, path: string, body: Json): Promise<Row> {
  const response = await client.post(`/api/v1/${path}`, body);
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as Row;
}

async function ids(client: Client, path: string): Promise<string[]> {
  const response = await client.get(`/api/v1/${path}`);
  expect(response.statusCode, response.body).toBe(200);
  return ((response.json() as { data: Row[] }).data.map((row) => row.id) ?? []).sort();
}

const sorted = (...rows: Row[]) => rows.map((row) => row.id).sort();

describe("relation filters", () => {
  it("lists a company's contacts and counts them, for every role, and nothing of another workspace", async () => {
    const acme = await create(ws.admin.client, "companies", { name: `Acme ${unique()}` });
    const globex = await create(ws.admin.client, "companies", { name: `Globex ${unique()}` });
    const ada = await create(ws.admin.client, "contacts", { firstName: "Ada", lastName: unique(), companyId: acme.id });
    const bo = await create(ws.admin.client, "contacts", { firstName: "Bo", lastName: unique(), companyId: acme.id });
    await create(ws.admin.client, "contacts", { firstName: "Cy", lastName: unique(), companyId: globex.id });

    for (const member of [ws.admin, ws.agent, ws.viewer]) {
      expect(await ids(member.client, `contacts?filter[companyId]=${acme.id}`)).toEqual(sorted(ada, bo));
    }
    const count = await ws.viewer.client.get(`/api/v1/contacts/count?filter[companyId]=${acme.id}`);
    expect(count.json()).toEqual({ count: 2 });
    // Another workspace's member filtering by this company's id finds nothing of it.
    expect(await ids(other.admin.client, `contacts?filter[companyId]=${acme.id}`)).toEqual([]);
  });

  it("lists deals by contact and by company, combined with other filters", async () => {
    const company = await create(ws.admin.client, "companies", { name: `Initech ${unique()}` });
    const contact = await create(ws.admin.client, "contacts", { firstName: "Di", lastName: unique() });
    const both = await create(ws.admin.client, "deals", {
      name: `Both ${unique()}`,
      contactId: contact.id,
      companyId: company.id,
      value: "500.00",
    });
    const onlyCompany = await create(ws.admin.client, "deals", {
      name: `Co ${unique()}`,
      companyId: company.id,
      value: "50.00",
    });
    expect(await ids(ws.agent.client, `deals?filter[contactId]=${contact.id}`)).toEqual(sorted(both));
    expect(await ids(ws.agent.client, `deals?filter[companyId]=${company.id}`)).toEqual(sorted(both, onlyCompany));
    expect(await ids(ws.agent.client, `deals?filter[companyId]=${company.id}&filter[value][lt]=100`)).toEqual(
      sorted(onlyCompany),
    );
  });

  it("lists the leads of a contact through its links, primary or not, one or several contacts", async () => {
    const ada = await create(ws.admin.client, "contacts", { firstName: "Ada", lastName: unique() });
    const bo = await create(ws.admin.client, "contacts", { firstName: "Bo", lastName: unique() });
    const primary = await create(ws.admin.client, "leads", {
      title: `Primary ${unique()}`,
      contacts: [{ contactId: ada.id, isPrimary: true }],
    });
    const secondary = await create(ws.admin.client, "leads", {
      title: `Secondary ${unique()}`,
      priority: "high",
      contacts: [{ contactId: bo.id, isPrimary: true }, { contactId: ada.id }],
    });
    await create(ws.admin.client, "leads", { title: `None ${unique()}` });

    expect(await ids(ws.viewer.client, `leads?filter[contactId]=${ada.id}`)).toEqual(sorted(primary, secondary));
    expect(await ids(ws.viewer.client, `leads?filter[contactId]=${bo.id}`)).toEqual(sorted(secondary));
    expect(await ids(ws.viewer.client, `leads?filter[contactId][in]=${ada.id},${bo.id}&filter[priority]=high`)).toEqual(
      sorted(secondary),
    );
    const count = await ws.viewer.client.get(`/api/v1/leads/count?filter[contactId]=${ada.id}`);
    expect(count.json()).toEqual({ count: 2 });
    expect(await ids(other.admin.client, `leads?filter[contactId]=${ada.id}`)).toEqual([]);
  });

  it("answers 400 naming the filter for an operator or a value a relation filter does not take", async () => {
    for (const query of ["filter[contactId][ne]=00000000-0000-7000-8000-000000000000", "filter[contactId]=acme"]) {
      const response = await ws.admin.client.get(`/api/v1/leads?${query}`);
      expect(response.statusCode).toBe(400);
      expect(response.headers["content-type"]).toContain("application/problem+json");
      expect((response.json() as { errors: { path: string }[] }).errors.map((e) => e.path)).toEqual([
        query.split("=")[0],
      ]);
    }
  });

  it("lists the activities and tasks about a deal", async () => {
    const deal = await create(ws.admin.client, "deals", { name: `About ${unique()}` });
    const call = await create(ws.admin.client, "activities", {
      type: "call",
      subject: "Intro",
      dealId: deal.id,
      occurredAt: new Date().toISOString(),
    });
    const elsewhere = await create(ws.admin.client, "deals", { name: `Elsewhere ${unique()}` });
    await create(ws.admin.client, "activities", {
      type: "note",
      body: "Elsewhere",
      dealId: elsewhere.id,
      occurredAt: new Date().toISOString(),
    });
    const task = await create(ws.admin.client, "tasks", { title: `Follow up ${unique()}`, dealId: deal.id });
    expect(await ids(ws.agent.client, `activities?filter[dealId]=${deal.id}`)).toEqual(sorted(call));
    expect(await ids(ws.agent.client, `tasks?filter[dealId]=${deal.id}`)).toEqual(sorted(task));
  });
});

describe("the presets' filters", () => {
  it("mine, unassigned and created since an instant, combinable", async () => {
    const tag = `preset-${unique()}`;
    const since = new Date(Date.now() - 1000).toISOString();
    const agentOwn = await create(ws.agent.client, "contacts", { firstName: "Own", lastName: unique(), tags: [tag] });
    const unowned = await create(ws.admin.client, "contacts", {
      firstName: "Nobody",
      lastName: unique(),
      tags: [tag],
      ownerId: null,
    });
    const base = `contacts?filter[tags]=${tag}`;
    expect(await ids(ws.agent.client, `${base}&filter[ownerId]=me`)).toEqual(sorted(agentOwn));
    expect(await ids(ws.agent.client, `${base}&filter[ownerId][empty]=true`)).toEqual(sorted(unowned));
    expect(await ids(ws.agent.client, `${base}&filter[createdAt][gte]=${encodeURIComponent(since)}`)).toEqual(
      sorted(agentOwn, unowned),
    );
    const future = new Date(Date.now() + 60_000).toISOString();
    expect(await ids(ws.agent.client, `${base}&filter[createdAt][gte]=${encodeURIComponent(future)}`)).toEqual([]);

    // Activities have no owner: "mine" is the activities one logged.
    const logged = await create(ws.agent.client, "activities", {
      type: "note",
      body: tag,
      contactId: agentOwn.id,
      occurredAt: new Date().toISOString(),
    });
    const mine = await ids(
      ws.agent.client,
      `activities?filter[createdBy]=me&filter[createdAt][gte]=${encodeURIComponent(since)}`,
    );
    expect(mine).toEqual(sorted(logged));
  });
});
