import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DuplicateGroup, DuplicateGroupPage, PossibleDuplicate } from "../../../shared/schemas/merge.ts";
import { createTestApp, createTestWorkspace, type Member, type TestWorkspace } from "../../test/create-test-app.ts";

let app: FastifyInstance;
let ws: TestWorkspace;
let other: TestWorkspace;

beforeAll(async () => {
  app = await createTestApp();
  ws = await createTestWorkspace(app, "Duplicates");
  other = await createTestWorkspace(app, "Other duplicates");
});
afterAll(() => app.close());

type Json = Record<string, unknown> & { id: string };

async function make(member: Member, resource: string, body: Record<string, unknown>): Promise<Json> {
  const response = await member.client.post(`/api/v1/${resource}`, body);
  if (response.statusCode !== 201) throw new Error(`${resource} not created: ${response.body}`);
  return response.json();
}

/** Every group of a resource, page after page. */
async function allGroups(member: Member, resource: string, limit = 25): Promise<DuplicateGroup[]> {
  const groups: DuplicateGroup[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 50; page++) {
    const query: string = `limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`;
    const response = await member.client.get(`/api/v1/${resource}/duplicates?${query}`);
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json<DuplicateGroupPage>();
    groups.push(...body.data);
    cursor = body.nextCursor;
    if (!cursor) return groups;
  }
  throw new Error("the pages never ended");
}

const idsOf = (group: DuplicateGroup | undefined) => group?.records.map((r) => r.id).sort();

describe("duplicate groups", () => {
  let acme: Json, acmeAgain: Json, initech: Json, initechAgain: Json, globex: Json, globexAgain: Json;
  let jonathan: Json, jonathon: Json, lone: Json;

  beforeAll(async () => {
    acme = await make(ws.admin, "companies", { name: "Acme Corporation", domain: "acme.test" });
    acmeAgain = await make(ws.admin, "companies", { name: "Roadrunner Supplies", domain: "ACME.test" });
    initech = await make(ws.admin, "companies", { name: "Initech", phone: "+4930123456789" });
    initechAgain = await make(ws.admin, "companies", { name: "Initrode", phone: "+4930123456789" });
    globex = await make(ws.admin, "companies", { name: "Globex Corporation International" });
    globexAgain = await make(ws.admin, "companies", { name: "Globex Corporation Internationa" });
    jonathan = await make(ws.admin, "contacts", { firstName: "Jonathan", lastName: "Smithsonian" });
    jonathon = await make(ws.manager, "contacts", { firstName: "Jonathon", lastName: "Smithsonian" });
    lone = await make(ws.admin, "contacts", { firstName: "Grace", lastName: "Hopper" });
  });

  it("groups companies by domain (high), phone (medium) and similar names (low)", async () => {
    const groups = await allGroups(ws.admin, "companies");
    const byDomain = groups.find((g) => g.reason === "domain");
    expect(byDomain?.confidence).toBe("high");
    expect(idsOf(byDomain)).toEqual([acme.id, acmeAgain.id].sort());
    expect(byDomain?.records[0]).toMatchObject({ id: acme.id, name: "Acme Corporation", domain: "acme.test" });
    expect(byDomain?.records[0]?.owner).toMatchObject({ id: ws.admin.userId });
    const byPhone = groups.find((g) => g.reason === "phone");
    expect(byPhone?.confidence).toBe("medium");
    expect(idsOf(byPhone)).toEqual([initech.id, initechAgain.id].sort());
    const byName = groups.filter((g) => g.reason === "name");
    expect(byName.map((g) => g.confidence)).toEqual(["low"]);
    expect(idsOf(byName[0])).toEqual([globex.id, globexAgain.id].sort());
    // Most certain first: domain, then phone, then names.
    expect(groups.map((g) => g.reason)).toEqual(["domain", "phone", "name"]);
  });

  it("groups contacts with similar names, and not a name like no other", async () => {
    const groups = await allGroups(ws.admin, "contacts");
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({ reason: "name", confidence: "low" });
    expect(idsOf(groups[0])).toEqual([jonathan.id, jonathon.id].sort());
    expect(groups.flatMap((g) => g.records.map((r) => r.id))).not.toContain(lone.id);
    // Oldest first within a group.
    expect(groups[0]?.records.map((r) => r.id)).toEqual([jonathan.id, jonathon.id]);
  });

  it("pages over groups with a cursor, one group a page, every group once", async () => {
    const paged = await allGroups(ws.admin, "companies", 1);
    const whole = await allGroups(ws.admin, "companies");
    expect(paged.map((g) => g.key)).toEqual(whole.map((g) => g.key));
  });

  it("refuses a cursor of something else (400 naming it)", async () => {
    const response = await ws.admin.client.get("/api/v1/contacts/duplicates?cursor=bm9wZQ");
    expect(response.statusCode).toBe(400);
    expect(response.json<{ errors: { path: string }[] }>().errors[0]?.path).toBe("cursor");
  });

  it("leaves out deleted records", async () => {
    const twin = await make(ws.admin, "companies", { name: "Twin Peaks Holding", domain: "twinpeaks.test" });
    const gone = await make(ws.admin, "companies", { name: "Other Peaks", domain: "twinpeaks.test" });
    expect((await allGroups(ws.admin, "companies")).some((g) => idsOf(g)?.includes(twin.id))).toBe(true);
    await ws.admin.client.delete(`/api/v1/companies/${gone.id}`);
    expect((await allGroups(ws.admin, "companies")).some((g) => idsOf(g)?.includes(twin.id))).toBe(false);
  });

  it("shows agents and viewers the groups among records they may read (all, as the lists)", async () => {
    for (const member of [ws.agent, ws.viewer]) {
      const groups = await allGroups(member, "contacts");
      expect(idsOf(groups[0])).toEqual([jonathan.id, jonathon.id].sort());
    }
  });

  it("never shows another workspace's records", async () => {
    await make(other.admin, "contacts", { firstName: "Jonathan", lastName: "Smithsonian" });
    await make(other.admin, "companies", { name: "Acme Elsewhere", domain: "acme.test" });
    expect(await allGroups(other.admin, "contacts")).toEqual([]);
    expect(await allGroups(other.admin, "companies")).toEqual([]);
    const mine = await allGroups(ws.admin, "contacts");
    expect(mine.flatMap((g) => g.records.map((r) => r.id)).sort()).toEqual([jonathan.id, jonathon.id].sort());
  });
});

describe("possible duplicates of a draft", () => {
  let ada: Json, company: Json;

  beforeAll(async () => {
    ada = await make(ws.admin, "contacts", {
      firstName: "Augusta",
      lastName: "Kingsbury",
      email: "augusta@kingsbury.test",
      phone: "+447911123456",
    });
    company = await make(ws.admin, "companies", {
      name: "Wonka Confectionery",
      domain: "wonka.test",
      phone: "+12025550143",
    });
  });

  const check = async (member: Member, resource: string, query: string): Promise<PossibleDuplicate[]> => {
    const response = await member.client.get(`/api/v1/${resource}/possible-duplicates?${query}`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<{ data: PossibleDuplicate[] }>().data;
  };

  it("finds a contact by e-mail in any case (high)", async () => {
    const found = await check(ws.agent, "contacts", "email=AUGUSTA%40Kingsbury.test");
    expect(found).toEqual([expect.objectContaining({ id: ada.id, reason: "email", confidence: "high" })]);
  });

  it("finds a contact by the digits of a phone however typed (medium)", async () => {
    const found = await check(ws.admin, "contacts", `phone=${encodeURIComponent("+44 (7911) 123-456")}`);
    expect(found).toEqual([expect.objectContaining({ id: ada.id, reason: "phone", confidence: "medium" })]);
  });

  it("finds a contact by a similar name (low), and not the record being edited", async () => {
    const found = await check(ws.admin, "contacts", "firstName=Augusta&lastName=Kingsberry");
    expect(found).toEqual([expect.objectContaining({ id: ada.id, reason: "name", confidence: "low" })]);
    expect(await check(ws.admin, "contacts", `firstName=Augusta&lastName=Kingsbury&excludeId=${ada.id}`)).toEqual([]);
  });

  it("names the most certain reason once per record", async () => {
    const found = await check(
      ws.admin,
      "contacts",
      "email=augusta%40kingsbury.test&firstName=Augusta&lastName=Kingsbury",
    );
    expect(found).toEqual([expect.objectContaining({ id: ada.id, reason: "email" })]);
  });

  it("finds a company by domain as typed in a form, by phone and by a similar name", async () => {
    const byDomain = await check(ws.admin, "companies", `domain=${encodeURIComponent("https://www.Wonka.test/about")}`);
    expect(byDomain).toEqual([expect.objectContaining({ id: company.id, reason: "domain", confidence: "high" })]);
    const byPhone = await check(ws.admin, "companies", "phone=%2B12025550143");
    expect(byPhone).toEqual([expect.objectContaining({ id: company.id, reason: "phone" })]);
    const byName = await check(ws.admin, "companies", "name=Wonka%20Confectionary");
    expect(byName).toEqual([expect.objectContaining({ id: company.id, reason: "name" })]);
  });

  it("checks nothing for a draft too short to tell, and nothing of another workspace", async () => {
    expect(await check(ws.admin, "contacts", "firstName=Au")).toEqual([]);
    expect(await check(other.admin, "contacts", "email=augusta%40kingsbury.test")).toEqual([]);
  });

  it("refuses unknown query parameters (400)", async () => {
    const response = await ws.admin.client.get("/api/v1/contacts/possible-duplicates?colour=red");
    expect(response.statusCode).toBe(400);
  });
});
