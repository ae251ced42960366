import { sql, type SQLWrapper } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Transaction } from "../../db/client.ts";
import { parseListRequest } from "../../db/listing.ts";
import { withWorkspaceTransaction } from "../../db/transaction.ts";
import { createTestApp, createTestWorkspace, testDatabase, type TestWorkspace } from "../../test/create-test-app.ts";
import { makeLinkTargets, type LinkTargets } from "./activities.factory.ts";
import { activitiesListSpec, listActivities } from "./activities.repository.ts";

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

type Listed = { data: { id: string; subject: string; occurredAt: string }[]; nextCursor: string | null };

/** A contact of its own with activities on the given days of March 2024 (subject = the day). */
async function contactWithActivities(days: number[]): Promise<string> {
  const contact = (
    await ws.admin.client.post("/api/v1/contacts", { firstName: "Timeline", lastName: String(Math.random()) })
  ).json();
  for (const day of days) {
    const occurredAt = `2024-03-${String(day).padStart(2, "0")}T10:00:00.000Z`;
    const response = await ws.agent.client.post("/api/v1/activities", {
      type: "note",
      subject: `Day ${day}`,
      contactId: contact.id,
      occurredAt,
    });
    expect(response.statusCode).toBe(201);
  }
  return contact.id;
}

describe("a record's timeline", () => {
  it("lists the record's activities newest first, and only them", async () => {
    const contactId = await contactWithActivities([3, 1, 2]);
    await ws.admin.client.post("/api/v1/activities", {
      type: "call",
      subject: "Elsewhere",
      companyId: links.companyId,
    });
    const page: Listed = (
      await ws.viewer.client.get(`/api/v1/activities?filter[contactId]=${contactId}&sort=-occurredAt`)
    ).json();
    expect(page.data.map((a) => a.subject)).toEqual(["Day 3", "Day 2", "Day 1"]);
    expect(page.nextCursor).toBeNull();
    expect((await ws.viewer.client.get(`/api/v1/activities/count?filter[contactId]=${contactId}`)).json()).toEqual({
      count: 3,
    });
  });

  it("pages by cursor without skipping or repeating while activities are added", async () => {
    const contactId = await contactWithActivities([10, 11, 12, 13, 14]);
    const url = `/api/v1/activities?filter[contactId]=${contactId}&sort=-occurredAt&limit=2`;
    const seen: string[] = [];
    let cursor: string | null = null;
    let day = 20;
    do {
      const page: Listed = (await ws.admin.client.get(cursor ? `${url}&cursor=${cursor}` : url)).json();
      seen.push(...page.data.map((a) => a.subject));
      cursor = page.nextCursor;
      // Newer ones land before the cursor: with offsets they would push seen rows onto the next page.
      await ws.admin.client.post("/api/v1/activities", {
        type: "note",
        subject: `Day ${day++}`,
        contactId,
        occurredAt: "2024-03-25T10:00:00.000Z",
      });
    } while (cursor);
    expect(seen).toEqual(["Day 14", "Day 13", "Day 12", "Day 11", "Day 10"]);
  });

  it("is answered from the partial index on (workspace, contact, occurredAt)", async () => {
    const contactId = await contactWithActivities([5]);
    const { db } = await testDatabase();
    const request = parseListRequest(
      activitiesListSpec,
      { "filter[contactId]": contactId, sort: "-occurredAt", limit: 50 },
      ws.admin.userId,
    );
    const plan = await withWorkspaceTransaction(db, ws.id, async (tx) => {
      // Test tables are tiny: without this the planner would rightly prefer a sequential scan.
      await tx.execute(
        sql`select set_config('enable_seqscan', 'off', true), set_config('enable_bitmapscan', 'off', true)`,
      );
      const { spy, captured } = captureSelects(tx);
      await listActivities(spy, ws.id, request);
      const query = captured[0];
      if (!query) throw new Error("no query captured");
      const result = await tx.execute(sql`explain (costs off) ${query}`);
      return (result as unknown as { rows: Record<string, string>[] }).rows
        .map((row) => Object.values(row)[0])
        .join("\n");
    });
    expect(plan).toContain("activities_workspace_id_contact_id_occurred_at_idx");
    expect(plan).not.toMatch(/Sort Key/);
  });
});

/** Wraps a transaction so the list engine's select queries can be explained afterwards. */
function captureSelects(tx: Transaction): { spy: Transaction; captured: SQLWrapper[] } {
  const captured: SQLWrapper[] = [];
  const spy = new Proxy(tx, {
    get(target, property) {
      if (property !== "select") return Reflect.get(target, property);
      return (...args: Parameters<Transaction["select"]>) => {
        const builder = target.select(...args);
        return new Proxy(builder, {
          get(inner, name) {
            if (name !== "from") return Reflect.get(inner, name);
            return (...from: Parameters<typeof builder.from>) => {
              const query = inner.from(...from);
              captured.push(query);
              return query;
            };
          },
        });
      };
    },
  });
  return { spy, captured };
}

describe("GET /api/v1/activities", () => {
  it("filters by type, link, occurredAt range and creator (me), and searches subject and body", async () => {
    const contactId = await contactWithActivities([1, 15, 28]);
    const mine = `/api/v1/activities?filter[contactId]=${contactId}&filter[createdBy]=me`;
    expect((await ws.agent.client.get(mine)).json().data).toHaveLength(3);
    expect((await ws.admin.client.get(mine)).json().data).toHaveLength(0);
    const range = `filter[occurredAt][gte]=2024-03-10T00:00:00Z&filter[occurredAt][lt]=2024-03-20T00:00:00Z`;
    const ranged: Listed = (
      await ws.admin.client.get(`/api/v1/activities?filter[contactId]=${contactId}&${range}`)
    ).json();
    expect(ranged.data.map((a) => a.subject)).toEqual(["Day 15"]);
    expect(
      (await ws.admin.client.get(`/api/v1/activities?filter[contactId]=${contactId}&filter[type]=call`)).json().data,
    ).toEqual([]);
    const word = `quokka${Date.now()}`;
    await ws.admin.client.post("/api/v1/activities", {
      type: "email",
      subject: "Hello",
      body: `About the ${word} deal`,
      contactId,
    });
    const found: Listed = (await ws.admin.client.get(`/api/v1/activities?q=${word}`)).json();
    expect(found.data.map((a) => a.subject)).toEqual(["Hello"]);
  });

  it("embeds linked records in lists and sorts by createdAt", async () => {
    await ws.admin.client.post("/api/v1/activities", { type: "call", subject: "Linked", ...links });
    const page = (
      await ws.admin.client.get(`/api/v1/activities?filter[dealId]=${links.dealId}&include=deal,company&sort=createdAt`)
    ).json();
    expect(page.data.length).toBeGreaterThan(0);
    for (const activity of page.data) {
      expect(activity.deal).toMatchObject({ id: links.dealId });
      expect(activity.company).toMatchObject({ id: links.companyId });
    }
  });

  it("never shows another workspace's activities, even filtered by their ids", async () => {
    const theirs = (
      await other.admin.client.post("/api/v1/activities", { type: "note", subject: "Secret", ...otherLinks })
    ).json();
    for (const filter of [
      `filter[id]=${theirs.id}`,
      `filter[contactId]=${otherLinks.contactId}`,
      `filter[companyId]=${otherLinks.companyId}`,
    ]) {
      expect((await ws.admin.client.get(`/api/v1/activities?${filter}`)).json().data).toEqual([]);
      expect((await ws.admin.client.get(`/api/v1/activities/count?${filter}`)).json().count).toBe(0);
    }
    expect((await ws.admin.client.get("/api/v1/activities?q=Secret")).json().data).toEqual([]);
  });

  it("answers 400 naming bad filters, sorts and includes", async () => {
    const response = await ws.admin.client.get(
      "/api/v1/activities?filter[type][empty]=maybe&filter[contactId]=nope&filter[occurredAt][gt]=soon&sort=subject&include=owner&extra=1",
    );
    expect(response.statusCode).toBe(400);
    expect(
      response
        .json()
        .errors.map((e: { path: string }) => e.path)
        .sort(),
    ).toEqual(
      ["extra", "filter[contactId]", "filter[occurredAt][gt]", "filter[type][empty]", "include", "sort"].sort(),
    );
  });

  it("rolls up a company's timeline from its contacts and deals, and a deal's from its contact", async () => {
    const post = async (path: string, body: Record<string, unknown>) => {
      const response = await ws.admin.client.post(`/api/v1/${path}`, body);
      expect(response.statusCode, response.body).toBe(201);
      return response.json() as { id: string };
    };
    const company = await post("companies", { name: "Rolled up" });
    const contact = await post("contacts", { firstName: "Works", lastName: "There", companyId: company.id });
    const elsewhere = await post("contacts", { firstName: "Works", lastName: "Elsewhere" });
    const deal = await post("deals", { name: "Their deal", companyId: company.id, contactId: contact.id });
    const log = (subject: string, links: Record<string, string>, occurredAt: string) =>
      post("activities", { type: "note", subject, occurredAt, ...links });
    await log("On the company", { companyId: company.id }, "2024-05-01T10:00:00.000Z");
    await log("With the contact", { contactId: contact.id }, "2024-05-02T10:00:00.000Z");
    await log("On the deal", { dealId: deal.id }, "2024-05-03T10:00:00.000Z");
    await log("Someone else", { contactId: elsewhere.id }, "2024-05-04T10:00:00.000Z");

    const subjects = async (filter: string) =>
      (await ws.viewer.client.get(`/api/v1/activities?${filter}&sort=-occurredAt&limit=2`)).json() as Listed;
    const first = await subjects(`filter[aboutCompanyId]=${company.id}`);
    expect(first.data.map((a) => a.subject)).toEqual(["On the deal", "With the contact"]);
    const rest = (
      await ws.viewer.client.get(
        `/api/v1/activities?filter[aboutCompanyId]=${company.id}&sort=-occurredAt&limit=2&cursor=${first.nextCursor}`,
      )
    ).json() as Listed;
    expect(rest.data.map((a) => a.subject)).toEqual(["On the company"]);
    expect(
      (await ws.viewer.client.get(`/api/v1/activities/count?filter[aboutCompanyId]=${company.id}`)).json().count,
    ).toBe(3);
    const dealTimeline = await subjects(`filter[aboutDealId]=${deal.id}`);
    expect(dealTimeline.data.map((a) => a.subject)).toEqual(["On the deal", "With the contact"]);

    // Another workspace's company rolls up nothing here; only eq and in apply.
    expect(
      (await ws.admin.client.get(`/api/v1/activities?filter[aboutCompanyId]=${otherLinks.companyId}`)).json().data,
    ).toEqual([]);
    const notEqual = await ws.admin.client.get(`/api/v1/activities?filter[aboutCompanyId][ne]=${company.id}`);
    expect(notEqual.statusCode).toBe(400);
    expect(notEqual.json().errors).toEqual([expect.objectContaining({ path: "filter[aboutCompanyId][ne]" })]);
  });
});
