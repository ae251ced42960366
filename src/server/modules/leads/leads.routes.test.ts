import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, createTestWorkspace, type Client, type TestWorkspace } from "../../test/create-test-app.ts";
import { makeCompany, makeContact, makeLead, paths, unique, type Json } from "./leads.factory.ts";

let app: FastifyInstance;
let ws: TestWorkspace;
let other: TestWorkspace;

beforeAll(async () => {
  app = await createTestApp();
  ws = await createTestWorkspace(app);
  other = await createTestWorkspace(app, "Other");
});
afterAll(() => app.close());

const newLead = (overrides: Json = {}) => ({ title: `Lead ${unique()}`, ...overrides });
const leadCount = async (client: Client) => (await client.get("/api/v1/leads/count")).json().count;

describe("POST /api/v1/leads", () => {
  it("creates a new lead owned by the caller, scored, with Location, ETag and a first history entry", async () => {
    const response = await ws.manager.client.post(
      "/api/v1/leads",
      newLead({ estimatedValue: "5000.00", currency: "EUR", source: "web" }),
    );
    expect(response.statusCode).toBe(201);
    const lead = response.json();
    expect(response.headers.location).toBe(`/api/v1/leads/${lead.id}`);
    expect(response.headers.etag).toBe('"1"');
    expect(lead).toMatchObject({
      status: "new",
      priority: "medium",
      estimatedValue: "5000.00",
      currency: "EUR",
      score: 30,
      ownerId: ws.manager.userId,
      contacts: [],
      dealId: null,
      convertedAt: null,
      lostReason: null,
    });
    const history = (await ws.manager.client.get(`/api/v1/leads/${lead.id}/status-history`)).json().data;
    expect(history).toEqual([
      {
        id: expect.any(String),
        fromStatus: null,
        toStatus: "new",
        reason: null,
        changedBy: ws.manager.userId,
        changedAt: expect.any(String),
      },
    ]);
  });

  it("makes the first contact primary when none is, and scores the primary contact", async () => {
    const [a, b] = [await makeContact(ws.admin.client), await makeContact(ws.admin.client)];
    const lead = await makeLead(ws.admin.client, { contacts: [{ contactId: a.id }, { contactId: b.id }] });
    expect(lead.contacts).toEqual([
      { contactId: a.id, isPrimary: true },
      { contactId: b.id, isPrimary: false },
    ]);
    expect(lead.score).toBe(30);
    const chosen = await makeLead(ws.admin.client, {
      contacts: [{ contactId: a.id }, { contactId: b.id, isPrimary: true }],
    });
    expect(chosen.contacts[0]).toEqual({ contactId: b.id, isPrimary: true });
  });

  it("answers 400 naming unknown, read-only, mistyped and oversize fields, and stores nothing", async () => {
    const before = await leadCount(ws.admin.client);
    const response = await ws.admin.client.post("/api/v1/leads", {
      title: "x".repeat(201),
      status: "converted",
      priority: "urgent",
      estimatedValue: 12.5,
      currency: "euro",
      score: 99,
      dealId: "01900000-0000-7000-8000-000000000000",
      convertedAt: "2024-01-01T00:00:00Z",
      companyId: "nope",
      contacts: [{ contactId: "x" }],
      tags: [""],
      color: "red",
    });
    expect(response.statusCode).toBe(400);
    expect(paths(response)).toEqual(
      [
        "color",
        "companyId",
        "contacts.0.contactId",
        "convertedAt",
        "currency",
        "dealId",
        "estimatedValue",
        "priority",
        "score",
        "status",
        "tags.0",
        "title",
      ].sort(),
    );
    expect(await leadCount(ws.admin.client)).toBe(before);
  });

  it("answers 400 for two primary contacts, a repeated contact or more than 50", async () => {
    const contact = await makeContact(ws.admin.client);
    const twoPrimaries = [
      { contactId: contact.id, isPrimary: true },
      { contactId: (await makeContact(ws.admin.client)).id, isPrimary: true },
    ];
    expect(paths(await ws.admin.client.post("/api/v1/leads", newLead({ contacts: twoPrimaries })))).toEqual([
      "contacts",
    ]);
    const repeated = [{ contactId: contact.id }, { contactId: contact.id }];
    expect(paths(await ws.admin.client.post("/api/v1/leads", newLead({ contacts: repeated })))).toEqual([
      "contacts.1.contactId",
    ]);
    const many = Array.from({ length: 51 }, () => ({ contactId: crypto.randomUUID() }));
    expect(paths(await ws.admin.client.post("/api/v1/leads", newLead({ contacts: many })))).toEqual(["contacts"]);
  });

  it("answers 400 on currency for an estimated value without one", async () => {
    const response = await ws.admin.client.post("/api/v1/leads", newLead({ estimatedValue: "100.00" }));
    expect(response.statusCode).toBe(400);
    expect(paths(response)).toEqual(["currency"]);
  });

  it("answers 400 for another workspace's contact or company and stores nothing", async () => {
    const before = await leadCount(ws.admin.client);
    const foreignContact = await makeContact(other.admin.client);
    const mine = await makeContact(ws.admin.client);
    const contacts = [{ contactId: mine.id }, { contactId: foreignContact.id }];
    const response = await ws.admin.client.post("/api/v1/leads", newLead({ contacts }));
    expect(response.statusCode).toBe(400);
    expect(paths(response)).toEqual(["contacts.1.contactId"]);
    const foreignCompany = await makeCompany(other.admin.client);
    const withCompany = await ws.admin.client.post("/api/v1/leads", newLead({ companyId: foreignCompany.id }));
    expect(withCompany.statusCode).toBe(400);
    expect(paths(withCompany)).toEqual(["companyId"]);
    expect(await leadCount(ws.admin.client)).toBe(before);
  });

  it("needs a lost reason to create a lost lead, and refuses one on an open lead", async () => {
    const without = await ws.admin.client.post("/api/v1/leads", newLead({ status: "lost" }));
    expect(without.statusCode).toBe(422);
    expect(without.json()).toMatchObject({ type: "/problems/rule-violation", errors: [{ path: "lostReason" }] });
    const open = await ws.admin.client.post("/api/v1/leads", newLead({ lostReason: "Too expensive" }));
    expect(open.statusCode).toBe(422);
    const lost = await makeLead(ws.admin.client, { status: "lost", lostReason: "Too expensive" });
    expect(lost).toMatchObject({ status: "lost", lostReason: "Too expensive", score: 0 });
  });
});

describe("GET /api/v1/leads/:id", () => {
  it("embeds contact summaries, owner and company with include", async () => {
    const contact = await makeContact(ws.admin.client);
    const company = await makeCompany(ws.admin.client);
    const lead = await makeLead(ws.admin.client, { companyId: company.id, contacts: [{ contactId: contact.id }] });
    const response = await ws.viewer.client.get(`/api/v1/leads/${lead.id}?include=contacts,owner,company`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      contacts: [
        {
          contactId: contact.id,
          isPrimary: true,
          contact: { id: contact.id, firstName: "Ada", lastName: contact.lastName, email: contact.email },
        },
      ],
      owner: { id: ws.admin.userId },
      company: { id: company.id, name: company.name },
    });
    const plain = (await ws.viewer.client.get(`/api/v1/leads/${lead.id}`)).json();
    expect(plain.contacts).toEqual([{ contactId: contact.id, isPrimary: true }]);
    expect(plain.owner).toBeUndefined();
  });

  it("answers 400 for a malformed id or unknown include, 404 for an unknown id and another workspace's lead", async () => {
    const lead = await makeLead(ws.admin.client);
    expect((await ws.admin.client.get("/api/v1/leads/123")).statusCode).toBe(400);
    expect((await ws.admin.client.get(`/api/v1/leads/${lead.id}?include=deal`)).statusCode).toBe(400);
    expect((await ws.admin.client.get("/api/v1/leads/01900000-0000-7000-8000-000000000000")).statusCode).toBe(404);
    expect((await other.admin.client.get(`/api/v1/leads/${lead.id}`)).statusCode).toBe(404);
    expect((await other.admin.client.get(`/api/v1/leads/${lead.id}/status-history`)).statusCode).toBe(404);
    expect((await ws.admin.client.get("/api/v1/leads/nope/status-history")).statusCode).toBe(400);
  });
});

describe("PATCH /api/v1/leads/:id", () => {
  it("updates given fields, replaces contacts, recomputes the score and bumps the version", async () => {
    const lead = await makeLead(ws.admin.client, { source: "fair" });
    const contact = await makeContact(ws.admin.client);
    const response = await ws.admin.client.patch(
      `/api/v1/leads/${lead.id}`,
      { priority: "high", estimatedValue: "150000.00", currency: "USD", contacts: [{ contactId: contact.id }] },
      { "if-match": '"1"' },
    );
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      source: "fair",
      priority: "high",
      score: 80,
      version: 2,
      contacts: [{ contactId: contact.id, isPrimary: true }],
    });
    expect(response.headers.etag).toBe('"2"');
    const cleared = (await ws.admin.client.patch(`/api/v1/leads/${lead.id}`, { contacts: [] })).json();
    expect(cleared).toMatchObject({ contacts: [], score: 65 });
  });

  it("answers 400 when the stored currency is removed from a valued lead, or for read-only fields", async () => {
    const lead = await makeLead(ws.admin.client, { estimatedValue: "10.00", currency: "EUR" });
    const response = await ws.admin.client.patch(`/api/v1/leads/${lead.id}`, { currency: null });
    expect(response.statusCode).toBe(400);
    expect(paths(response)).toEqual(["currency"]);
    expect(
      (await ws.admin.client.patch(`/api/v1/leads/${lead.id}`, { estimatedValue: null, currency: null })).statusCode,
    ).toBe(200);
    const readOnly = await ws.admin.client.patch(`/api/v1/leads/${lead.id}`, {
      score: 1,
      dealId: null,
      convertedAt: null,
    });
    expect(paths(readOnly)).toEqual(["convertedAt", "dealId", "score"]);
  });

  it("answers 412 when If-Match is stale and changes nothing", async () => {
    const lead = await makeLead(ws.admin.client);
    await ws.admin.client.patch(`/api/v1/leads/${lead.id}`, { source: "A" });
    const stale = await ws.admin.client.patch(
      `/api/v1/leads/${lead.id}`,
      { source: "B", status: "contacted" },
      { "if-match": '"1"' },
    );
    expect(stale.statusCode).toBe(412);
    expect((await ws.admin.client.get(`/api/v1/leads/${lead.id}`)).json()).toMatchObject({
      source: "A",
      status: "new",
    });
  });

  it("answers 400 for another workspace's contact and keeps the lead's contacts", async () => {
    const mine = await makeContact(ws.admin.client);
    const lead = await makeLead(ws.admin.client, { contacts: [{ contactId: mine.id }] });
    const foreign = await makeContact(other.admin.client);
    const response = await ws.admin.client.patch(`/api/v1/leads/${lead.id}`, { contacts: [{ contactId: foreign.id }] });
    expect(response.statusCode).toBe(400);
    expect(paths(response)).toEqual(["contacts.0.contactId"]);
    expect((await ws.admin.client.get(`/api/v1/leads/${lead.id}`)).json().contacts).toEqual([
      { contactId: mine.id, isPrimary: true },
    ]);
  });

  it("answers 404 for another workspace's lead", async () => {
    const lead = await makeLead(ws.admin.client);
    expect((await other.admin.client.patch(`/api/v1/leads/${lead.id}`, { source: "x" })).statusCode).toBe(404);
  });
});

describe("DELETE and restore", () => {
  it("soft-deletes (hidden from lists, still readable with its history) and restores", async () => {
    const lead = await makeLead(ws.admin.client);
    expect((await ws.manager.client.delete(`/api/v1/leads/${lead.id}`)).statusCode).toBe(204);
    expect((await ws.admin.client.get(`/api/v1/leads?filter[id]=${lead.id}`)).json().data).toEqual([]);
    expect((await ws.admin.client.get(`/api/v1/leads/${lead.id}`)).json().deletedAt).not.toBeNull();
    expect((await ws.admin.client.get(`/api/v1/leads/${lead.id}/status-history`)).statusCode).toBe(200);
    expect((await ws.admin.client.patch(`/api/v1/leads/${lead.id}`, { source: "x" })).statusCode).toBe(404);
    expect((await other.admin.client.post(`/api/v1/leads/${lead.id}/restore`)).statusCode).toBe(404);
    const restored = await ws.manager.client.post(`/api/v1/leads/${lead.id}/restore`);
    expect(restored.statusCode).toBe(200);
    expect(restored.json().deletedAt).toBeNull();
  });

  it("answers 412 for a stale If-Match and 404 for another workspace's lead", async () => {
    const lead = await makeLead(ws.admin.client);
    expect((await ws.admin.client.delete(`/api/v1/leads/${lead.id}`, { "if-match": "2" })).statusCode).toBe(412);
    expect((await other.admin.client.delete(`/api/v1/leads/${lead.id}`)).statusCode).toBe(404);
    expect((await ws.admin.client.delete(`/api/v1/leads/${lead.id}`, { "if-match": "1" })).statusCode).toBe(204);
  });
});

describe("roles", () => {
  it("lets agents create and update their own leads only, and never delete or restore", async () => {
    const own = await makeLead(ws.agent.client);
    expect(own.ownerId).toBe(ws.agent.userId);
    expect((await ws.agent.client.patch(`/api/v1/leads/${own.id}`, { status: "contacted" })).statusCode).toBe(200);
    const managers = await makeLead(ws.manager.client);
    expect((await ws.agent.client.patch(`/api/v1/leads/${managers.id}`, { source: "x" })).statusCode).toBe(403);
    const handedOver = await makeLead(ws.agent.client);
    await ws.admin.client.patch(`/api/v1/leads/${handedOver.id}`, { ownerId: ws.manager.userId });
    expect((await ws.agent.client.patch(`/api/v1/leads/${handedOver.id}`, { source: "x" })).statusCode).toBe(403);
    expect((await ws.agent.client.delete(`/api/v1/leads/${own.id}`)).statusCode).toBe(403);
    await ws.admin.client.delete(`/api/v1/leads/${own.id}`);
    expect((await ws.agent.client.post(`/api/v1/leads/${own.id}/restore`)).statusCode).toBe(403);
  });

  it("refuses agents giving a lead to someone else", async () => {
    const response = await ws.agent.client.post("/api/v1/leads", newLead({ ownerId: ws.manager.userId }));
    expect(response.statusCode).toBe(403);
    const own = await makeLead(ws.agent.client);
    expect((await ws.agent.client.patch(`/api/v1/leads/${own.id}`, { ownerId: ws.admin.userId })).statusCode).toBe(403);
  });

  it("lets viewers read but not write", async () => {
    const lead = await makeLead(ws.admin.client);
    expect((await ws.viewer.client.get("/api/v1/leads")).statusCode).toBe(200);
    expect((await ws.viewer.client.get(`/api/v1/leads/${lead.id}/status-history`)).statusCode).toBe(200);
    expect((await ws.viewer.client.post("/api/v1/leads", newLead())).statusCode).toBe(403);
    expect((await ws.viewer.client.patch(`/api/v1/leads/${lead.id}`, { source: "x" })).statusCode).toBe(403);
    expect((await ws.viewer.client.delete(`/api/v1/leads/${lead.id}`)).statusCode).toBe(403);
  });
});
