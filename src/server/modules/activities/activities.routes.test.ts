import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, createTestWorkspace, type TestWorkspace } from "../../test/create-test-app.ts";
import { makeLinkTargets, type LinkTargets } from "./activities.factory.ts";

let app: FastifyInstance;
let ws: TestWorkspace;
let other: TestWorkspace;
let links: LinkTargets;
let otherLinks: LinkTargets;

beforeAll(async () => {
  app = await createTestApp();
  ws = await createTestWorkspace(app);
  other = await createTestWorkspace(app, "Other");
  links = await makeLinkTargets(ws);
  otherLinks = await makeLinkTargets(other);
});
afterAll(() => app.close());

const newActivity = (overrides: Record<string, unknown> = {}) => ({
  type: "call",
  subject: "Discovery call",
  direction: "outbound",
  contactId: links.contactId,
  ...overrides,
});
const paths = (response: { json: () => { errors?: { path: string }[] } }) =>
  (response.json().errors ?? []).map((e) => e.path).sort();
const count = async (query = "") =>
  (await ws.admin.client.get(`/api/v1/activities/count${query}`)).json().count as number;

describe("POST /api/v1/activities", () => {
  it("logs an activity as the caller, now by default, and answers 201 with Location and ETag", async () => {
    const body = "# Notes\n\n<script>alert(1)</script> **bold**  \n";
    const before = Date.now();
    const response = await ws.agent.client.post(
      "/api/v1/activities",
      newActivity({ body, durationMinutes: 15, outcome: "Interested" }),
    );
    expect(response.statusCode).toBe(201);
    const activity = response.json();
    expect(response.headers.location).toBe(`/api/v1/activities/${activity.id}`);
    expect(response.headers.etag).toBe('"1"');
    expect(activity).toMatchObject({ type: "call", direction: "outbound", body, durationMinutes: 15, version: 1 });
    expect(activity.createdBy).toBe(ws.agent.userId);
    expect(Date.parse(activity.occurredAt)).toBeGreaterThanOrEqual(before - 1000);
  });

  it("links to leads, deals and companies, and keeps a given occurredAt", async () => {
    const occurredAt = "2024-03-01T09:30:00.000Z";
    const { leadId, dealId, companyId } = links;
    const response = await ws.admin.client.post(
      "/api/v1/activities",
      newActivity({ type: "meeting", direction: null, occurredAt, leadId, dealId, companyId, contactId: null }),
    );
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({
      occurredAt,
      leadId: links.leadId,
      dealId: links.dealId,
      companyId: links.companyId,
      contactId: null,
    });
  });

  it("answers 400 naming every bad field and stores nothing", async () => {
    const before = await count();
    const response = await ws.admin.client.post("/api/v1/activities", {
      // Not a key at all; a well-formed key the workspace lacks is refused after the schema (activities.types).
      type: "Fax machine",
      subject: "x".repeat(201),
      body: "y".repeat(50_001),
      direction: "sideways",
      occurredAt: "yesterday",
      durationMinutes: 1441,
      outcome: 42,
      contactId: "nope",
      color: "red",
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers["content-type"]).toContain("application/problem+json");
    expect(paths(response)).toEqual(
      ["body", "color", "contactId", "direction", "durationMinutes", "occurredAt", "outcome", "subject", "type"].sort(),
    );
    expect(await count()).toBe(before);
  });

  it("answers 400 naming the link fields when the activity links to nothing, even beside other errors", async () => {
    const alone = await ws.admin.client.post("/api/v1/activities", { type: "note", subject: "Orphan" });
    expect(alone.statusCode).toBe(400);
    expect(paths(alone)).toEqual(["companyId", "contactId", "dealId", "leadId"]);
    const withOthers = await ws.admin.client.post("/api/v1/activities", { type: "call", subject: "", contactId: null });
    expect(paths(withOthers)).toEqual(["companyId", "contactId", "dealId", "leadId", "subject"]);
  });

  it("takes a note without a subject, but no other activity, also once changed", async () => {
    const note = await ws.agent.client.post("/api/v1/activities", {
      type: "note",
      body: "Prefers e-mail after 5 pm.",
      contactId: links.contactId,
    });
    expect(note.statusCode, note.body).toBe(201);
    expect(note.json()).toMatchObject({ type: "note", subject: "", body: "Prefers e-mail after 5 pm." });
    const call = await ws.agent.client.post("/api/v1/activities", { type: "call", contactId: links.contactId });
    expect(call.statusCode).toBe(400);
    expect(call.json().errors).toEqual([{ path: "subject", message: "Required (only a note may go without one)" }]);
    // Turning the note into a call needs a subject then; clearing a call's subject is refused.
    const toCall = await ws.agent.client.patch(`/api/v1/activities/${note.json().id}`, { type: "call" });
    expect(toCall.statusCode).toBe(400);
    expect(paths(toCall)).toEqual(["subject"]);
    const created = (await ws.admin.client.post("/api/v1/activities", newActivity())).json();
    const cleared = await ws.admin.client.patch(`/api/v1/activities/${created.id}`, { subject: "" });
    expect(paths(cleared)).toEqual(["subject"]);
  });

  it("answers 400 for a direction on a note or a meeting, and for a fractional duration", async () => {
    const note = await ws.admin.client.post("/api/v1/activities", newActivity({ type: "note", direction: "inbound" }));
    expect(note.statusCode).toBe(400);
    expect(paths(note)).toEqual(["direction"]);
    const fraction = await ws.admin.client.post("/api/v1/activities", newActivity({ durationMinutes: 1.5 }));
    expect(paths(fraction)).toEqual(["durationMinutes"]);
    const email = await ws.admin.client.post(
      "/api/v1/activities",
      newActivity({ type: "email", direction: "inbound" }),
    );
    expect(email.statusCode).toBe(201);
  });

  it("refuses another workspace's contact, lead, deal or company and stores nothing", async () => {
    const before = await count();
    for (const field of ["contactId", "leadId", "dealId", "companyId"] as const) {
      const response = await ws.admin.client.post(
        "/api/v1/activities",
        newActivity({ contactId: null, [field]: otherLinks[field] }),
      );
      expect(response.statusCode, field).toBe(400);
      expect(paths(response)).toEqual([field]);
    }
    expect(await count()).toBe(before);
  });
});

describe("GET /api/v1/activities/:id", () => {
  it("embeds summaries of the linked records with include", async () => {
    const created = (await ws.admin.client.post("/api/v1/activities", newActivity({ ...links }))).json();
    const response = await ws.viewer.client.get(`/api/v1/activities/${created.id}?include=contact,lead,deal,company`);
    expect(response.statusCode).toBe(200);
    expect(response.headers.etag).toBe('"1"');
    const activity = response.json();
    expect(activity.contact).toMatchObject({ id: links.contactId, firstName: "Grace" });
    expect(activity.lead).toMatchObject({ id: links.leadId, status: "new" });
    expect(activity.deal).toMatchObject({ id: links.dealId, status: "open" });
    expect(activity.company).toMatchObject({ id: links.companyId });
    const plain = (await ws.viewer.client.get(`/api/v1/activities/${created.id}`)).json();
    expect(plain).not.toHaveProperty("contact");
  });

  it("answers 400 for a malformed id or unknown include and 404 for an unknown id", async () => {
    expect((await ws.admin.client.get("/api/v1/activities/123")).statusCode).toBe(400);
    const created = (await ws.admin.client.post("/api/v1/activities", newActivity())).json();
    expect((await ws.admin.client.get(`/api/v1/activities/${created.id}?include=owner`)).statusCode).toBe(400);
    expect((await ws.admin.client.get("/api/v1/activities/01900000-0000-7000-8000-000000000000")).statusCode).toBe(404);
  });
});

describe("PATCH /api/v1/activities/:id", () => {
  it("updates the given fields only, bumps the version and honours If-Match", async () => {
    const created = (await ws.admin.client.post("/api/v1/activities", newActivity({ outcome: "Call back" }))).json();
    const response = await ws.admin.client.patch(
      `/api/v1/activities/${created.id}`,
      { subject: "Follow-up" },
      { "if-match": '"1"' },
    );
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ subject: "Follow-up", outcome: "Call back", version: 2 });
    expect(response.headers.etag).toBe('"2"');
    const stale = await ws.admin.client.patch(
      `/api/v1/activities/${created.id}`,
      { subject: "Lost" },
      { "if-match": '"1"' },
    );
    expect(stale.statusCode).toBe(412);
    expect((await ws.admin.client.get(`/api/v1/activities/${created.id}`)).json().subject).toBe("Follow-up");
  });

  it("checks the links and the direction against the record as it would become", async () => {
    const created = (await ws.admin.client.post("/api/v1/activities", newActivity())).json();
    const unlinked = await ws.admin.client.patch(`/api/v1/activities/${created.id}`, { contactId: null });
    expect(unlinked.statusCode).toBe(400);
    expect(paths(unlinked)).toEqual(["companyId", "contactId", "dealId", "leadId"]);
    const toNote = await ws.admin.client.patch(`/api/v1/activities/${created.id}`, { type: "note" });
    expect(paths(toNote)).toEqual(["direction"]);
    const moved = await ws.admin.client.patch(`/api/v1/activities/${created.id}`, {
      type: "note",
      direction: null,
      companyId: links.companyId,
      contactId: null,
    });
    expect(moved.statusCode).toBe(200);
    expect(moved.json()).toMatchObject({
      type: "note",
      direction: null,
      contactId: null,
      companyId: links.companyId,
      version: 2,
    });
  });

  it("answers 400 for unknown or read-only fields and for another workspace's links", async () => {
    const created = (await ws.admin.client.post("/api/v1/activities", newActivity())).json();
    const readOnly = await ws.admin.client.patch(`/api/v1/activities/${created.id}`, {
      createdBy: ws.agent.userId,
      version: 9,
    });
    expect(paths(readOnly)).toEqual(["createdBy", "version"]);
    const foreign = await ws.admin.client.patch(`/api/v1/activities/${created.id}`, { dealId: otherLinks.dealId });
    expect(foreign.statusCode).toBe(400);
    expect(paths(foreign)).toEqual(["dealId"]);
    expect((await ws.admin.client.get(`/api/v1/activities/${created.id}`)).json()).toMatchObject({
      dealId: null,
      version: 1,
    });
  });
});

describe("DELETE and restore", () => {
  it("soft-deletes (hidden from the timeline, still readable) and restores", async () => {
    const created = (await ws.admin.client.post("/api/v1/activities", newActivity())).json();
    expect((await ws.manager.client.delete(`/api/v1/activities/${created.id}`, { "if-match": "1" })).statusCode).toBe(
      204,
    );
    const timeline = (
      await ws.admin.client.get(`/api/v1/activities?filter[contactId]=${links.contactId}&limit=200`)
    ).json();
    expect(timeline.data.map((a: { id: string }) => a.id)).not.toContain(created.id);
    const trash = await ws.admin.client.get(`/api/v1/activities?filter[id]=${created.id}&filter[deleted]=true`);
    expect(trash.json().data).toHaveLength(1);
    expect((await ws.admin.client.patch(`/api/v1/activities/${created.id}`, { subject: "x" })).statusCode).toBe(404);
    expect(
      (await ws.admin.client.post(`/api/v1/activities/${created.id}/restore`, {}, { "if-match": "1" })).statusCode,
    ).toBe(412);
    const restored = await ws.admin.client.post(`/api/v1/activities/${created.id}/restore`);
    expect(restored.statusCode).toBe(200);
    expect(restored.json()).toMatchObject({ deletedAt: null, version: 3 });
    expect((await ws.admin.client.post(`/api/v1/activities/${created.id}/restore`)).statusCode).toBe(409);
  });
});

describe("roles", () => {
  it("lets agents edit the activities they logged, not others', and never delete", async () => {
    const own = (await ws.agent.client.post("/api/v1/activities", newActivity())).json();
    expect((await ws.agent.client.patch(`/api/v1/activities/${own.id}`, { outcome: "Done" })).statusCode).toBe(200);
    const managers = (await ws.manager.client.post("/api/v1/activities", newActivity())).json();
    expect((await ws.agent.client.patch(`/api/v1/activities/${managers.id}`, { outcome: "x" })).statusCode).toBe(403);
    expect((await ws.agent.client.delete(`/api/v1/activities/${own.id}`)).statusCode).toBe(403);
    expect((await ws.manager.client.patch(`/api/v1/activities/${own.id}`, { outcome: "Checked" })).statusCode).toBe(
      200,
    );
  });

  it("lets viewers read but not write", async () => {
    const created = (await ws.admin.client.post("/api/v1/activities", newActivity())).json();
    expect((await ws.viewer.client.get(`/api/v1/activities/${created.id}`)).statusCode).toBe(200);
    expect((await ws.viewer.client.post("/api/v1/activities", newActivity())).statusCode).toBe(403);
    expect((await ws.viewer.client.patch(`/api/v1/activities/${created.id}`, { subject: "x" })).statusCode).toBe(403);
    expect((await ws.viewer.client.delete(`/api/v1/activities/${created.id}`)).statusCode).toBe(403);
    expect((await ws.agent.client.post(`/api/v1/activities/${created.id}/restore`)).statusCode).toBe(403);
  });
});

describe("another workspace", () => {
  it("answers 404 for its activities on every endpoint and changes nothing", async () => {
    const theirs = (
      await other.admin.client.post("/api/v1/activities", newActivity({ contactId: otherLinks.contactId }))
    ).json();
    expect((await ws.admin.client.get(`/api/v1/activities/${theirs.id}`)).statusCode).toBe(404);
    expect((await ws.admin.client.patch(`/api/v1/activities/${theirs.id}`, { subject: "Mine" })).statusCode).toBe(404);
    expect((await ws.admin.client.delete(`/api/v1/activities/${theirs.id}`)).statusCode).toBe(404);
    expect((await ws.admin.client.post(`/api/v1/activities/${theirs.id}/restore`)).statusCode).toBe(404);
    const still = (await other.admin.client.get(`/api/v1/activities/${theirs.id}`)).json();
    expect(still).toMatchObject({ subject: "Discovery call", version: 1, deletedAt: null });
  });
});
