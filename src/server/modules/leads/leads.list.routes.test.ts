import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, createTestWorkspace, type TestWorkspace } from "../../test/create-test-app.ts";
import { makeContact, makeLead, paths, unique, type Json } from "./leads.factory.ts";

let app: FastifyInstance;
let ws: TestWorkspace;
let other: TestWorkspace;

beforeAll(async () => {
  app = await createTestApp();
  ws = await createTestWorkspace(app);
  other = await createTestWorkspace(app, "Other");
});
afterAll(() => app.close());

describe("GET /api/v1/leads (lists)", () => {
  it("pages by cursor without gaps or repeats, contacts included", async () => {
    const tag = `page-${unique()}`;
    const contact = await makeContact(ws.admin.client);
    for (let i = 0; i < 5; i++)
      await makeLead(ws.admin.client, { title: `P${i}`, tags: [tag], contacts: [{ contactId: contact.id }] });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/v1/leads?filter[tags]=${tag}&sort=createdAt&limit=2&include=contacts${cursor ? `&cursor=${cursor}` : ""}`;
      const page = (await ws.admin.client.get(url)).json();
      seen.push(...page.data.map((l: Json) => l.title));
      for (const lead of page.data) expect(lead.contacts[0].contact.id).toBe(contact.id);
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(["P0", "P1", "P2", "P3", "P4"]);
  });

  it("sorts by score, filters by status and priority, and counts with the same filters", async () => {
    const tag = `ops-${unique()}`;
    await makeLead(ws.admin.client, { title: "low", priority: "low", tags: [tag] });
    await makeLead(ws.admin.client, { title: "high", priority: "high", status: "qualified", tags: [tag] });
    await makeLead(ws.admin.client, { title: "mid", tags: [tag], estimatedValue: "50.00", currency: "EUR" });
    const titles = async (query: string) =>
      (await ws.admin.client.get(`/api/v1/leads?filter[tags]=${tag}&${query}`)).json().data.map((l: Json) => l.title);
    expect(await titles("sort=-score")).toEqual(["high", "mid", "low"]);
    expect(await titles("filter[status]=qualified")).toEqual(["high"]);
    expect(await titles("filter[priority]=low,medium&sort=score")).toEqual(["low", "mid"]);
    expect(await titles("filter[estimatedValue][gt]=10")).toEqual(["mid"]);
    expect(await titles("filter[score][gte]=50")).toEqual(["high"]);
    expect((await ws.admin.client.get(`/api/v1/leads/count?filter[tags]=${tag}&filter[ownerId]=me`)).json()).toEqual({
      count: 3,
    });
  });

  it("finds leads by title with q and answers 400 for unsortable fields and bad filters", async () => {
    const title = `Quokka${unique()}`;
    await makeLead(ws.admin.client, { title });
    expect(
      (await ws.admin.client.get(`/api/v1/leads?q=${title.slice(0, 9)}`)).json().data.map((l: Json) => l.title),
    ).toContain(title);
    const response = await ws.admin.client.get("/api/v1/leads?sort=source&filter[status]=won&filter[nope]=1");
    expect(paths(response)).toEqual(["filter[nope]", "filter[status]", "sort"]);
  });

  it("never lists, counts or finds another workspace's leads", async () => {
    const tag = `foreign-${unique()}`;
    const title = `Wombat${unique()}`;
    await makeLead(other.admin.client, { title, tags: [tag] });
    expect((await ws.admin.client.get(`/api/v1/leads?filter[tags]=${tag}`)).json().data).toEqual([]);
    expect((await ws.admin.client.get(`/api/v1/leads/count?filter[tags]=${tag}`)).json()).toEqual({ count: 0 });
    const found = (await ws.admin.client.get(`/api/v1/leads?q=${title}`)).json().data;
    expect(found.map((l: Json) => l.title)).not.toContain(title);
  });
});
