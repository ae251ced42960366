import { sql, type SQL } from "drizzle-orm";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "../../lib/ids.ts";
import {
  createTestApp,
  createTestWorkspace,
  testDatabase,
  type Member,
  type TestWorkspace,
} from "../../test/create-test-app.ts";

let app: FastifyInstance;
let ws: TestWorkspace;
let other: TestWorkspace;

beforeAll(async () => {
  app = await createTestApp();
  ws = await createTestWorkspace(app, "Merges");
  other = await createTestWorkspace(app, "Other merges");
});
afterAll(() => app.close());

type Json = Record<string, unknown> & { id: string };
const unique = () => `${Date.now()}${Math.random().toString(36).slice(2, 8)}`;

async function make(member: Member, resource: string, body: Record<string, unknown>): Promise<Json> {
  const response = await member.client.post(`/api/v1/${resource}`, body);
  if (response.statusCode !== 201) throw new Error(`${resource} not created: ${response.body}`);
  return response.json();
}

const contact = (member: Member, body: Record<string, unknown> = {}) =>
  make(member, "contacts", { firstName: "Ada", lastName: unique(), ...body });
const company = (member: Member, body: Record<string, unknown> = {}) =>
  make(member, "companies", { name: `Co ${unique()}`, ...body });

async function rows(query: SQL): Promise<Record<string, unknown>[]> {
  const { db } = await testDatabase();
  return ((await db.execute(query)) as unknown as { rows: Record<string, unknown>[] }).rows;
}

const idList = (ids: string[]) =>
  sql.join(
    ids.map((id) => sql`${id}::uuid`),
    sql`, `,
  );

/**
 * Every row a merge of `ids` may touch, table by table, without what every write moves forward
 * (version, updated_at): an undo must give back exactly these.
 */
async function snapshot(ids: string[]): Promise<Record<string, unknown[]>> {
  const list = idList(ids);
  const strip = (all: Record<string, unknown>[]) =>
    all.map(({ version: _v, updated_at: _u, ...rest }) => JSON.parse(JSON.stringify(rest)) as unknown);
  const tables: Record<string, SQL> = {
    contacts: sql`select * from contacts where id in (${list}) or company_id in (${list}) order by id`,
    companies: sql`select * from companies where id in (${list}) order by id`,
    activities: sql`select * from activities where contact_id in (${list}) or company_id in (${list}) order by id`,
    tasks: sql`select * from tasks where contact_id in (${list}) or company_id in (${list}) order by id`,
    deals: sql`select * from deals where contact_id in (${list}) or company_id in (${list}) order by id`,
    leads: sql`select * from leads where company_id in (${list}) order by id`,
    lead_contacts: sql`select * from lead_contacts where contact_id in (${list}) order by lead_id, contact_id`,
  };
  const result: Record<string, unknown[]> = {};
  for (const [table, query] of Object.entries(tables)) result[table] = strip(await rows(query));
  return result;
}

const merge = (member: Member, resource: string, body: unknown, headers?: Record<string, string>) =>
  member.client.post(`/api/v1/${resource}/merge`, body as Record<string, unknown>, headers);

function errorPaths(response: LightMyRequestResponse): string[] {
  return (response.json<{ errors?: { path: string }[] }>().errors ?? []).map((e) => e.path);
}

describe("merging contacts", () => {
  let survivor: Json, merged: Json, employer: Json;
  let before: Record<string, unknown[]>;
  let mergeId: string;
  let answer: LightMyRequestResponse;
  let leadOfBoth: Json;

  beforeAll(async () => {
    employer = await company(ws.admin);
    survivor = await contact(ws.admin, { email: `s${unique()}@example.com`, jobTitle: "Countess", tags: ["vip"] });
    merged = await contact(ws.manager, {
      email: `m${unique()}@example.com`,
      phone: `+491512${Date.now().toString().slice(-7)}`,
      companyId: employer.id,
      tags: ["math", "vip"],
    });
    await make(ws.admin, "activities", { type: "note", subject: "On the survivor", contactId: survivor.id });
    await make(ws.admin, "activities", { type: "call", subject: "On the merged", contactId: merged.id });
    await make(ws.admin, "activities", { type: "note", subject: "Also merged", contactId: merged.id });
    const gone = await make(ws.admin, "activities", { type: "note", subject: "Deleted", contactId: merged.id });
    await ws.admin.client.delete(`/api/v1/activities/${gone.id}`);
    await make(ws.admin, "tasks", { title: `Call back ${unique()}`, contactId: merged.id });
    await make(ws.admin, "deals", { name: `Deal ${unique()}`, value: "10.00", contactId: merged.id });
    await make(ws.admin, "leads", { title: `Lead ${unique()}`, contacts: [{ contactId: merged.id, isPrimary: true }] });
    leadOfBoth = await make(ws.admin, "leads", {
      title: `Lead ${unique()}`,
      contacts: [
        { contactId: survivor.id, isPrimary: false },
        { contactId: merged.id, isPrimary: true },
      ],
    });
    before = await snapshot([survivor.id, merged.id]);
    answer = await merge(ws.admin, "contacts", {
      survivorId: survivor.id,
      mergedIds: [merged.id],
      fields: { email: merged.id, phone: merged.id, companyId: merged.id, jobTitle: survivor.id },
    });
    mergeId = answer.json<{ mergeId: string }>().mergeId;
  });

  it("keeps the chosen values, the survivor's others and the union of the tags", () => {
    expect(answer.statusCode, answer.body).toBe(200);
    const body = answer.json<{ survivor: Json; mergedIds: string[]; moved: Record<string, number> }>();
    expect(body.survivor).toMatchObject({
      id: survivor.id,
      firstName: "Ada",
      lastName: survivor.lastName,
      email: merged.email,
      phone: merged.phone,
      companyId: employer.id,
      jobTitle: "Countess",
      tags: ["vip", "math"],
    });
    expect(body.mergedIds).toEqual([merged.id]);
    expect(body.moved).toEqual({ activities: 3, tasks: 1, deals: 1, lead_contacts: 2 });
  });

  it("moves every related row kind to the survivor, one primary contact per lead", async () => {
    const list = idList([merged.id]);
    for (const table of ["activities", "tasks", "deals"]) {
      expect(await rows(sql`select id from ${sql.identifier(table)} where contact_id in (${list})`)).toEqual([]);
    }
    const activities = await ws.admin.client.get(`/api/v1/activities?filter[contactId]=${survivor.id}`);
    expect(
      activities
        .json<{ data: Json[] }>()
        .data.map((a) => a.subject)
        .sort(),
    ).toEqual(["Also merged", "On the merged", "On the survivor"]);
    const lead = (await ws.admin.client.get(`/api/v1/leads/${leadOfBoth.id}`)).json<{ contacts: Json[] }>();
    expect(lead.contacts).toEqual([expect.objectContaining({ contactId: survivor.id, isPrimary: true })]);
    expect(await rows(sql`select * from lead_contacts where contact_id in (${list})`)).toEqual([]);
  });

  it("soft-deletes the merged record, pointing to the survivor", async () => {
    const response = await ws.admin.client.get(`/api/v1/contacts/${merged.id}`);
    expect(response.json()).toMatchObject({ id: merged.id, mergedIntoId: survivor.id, deletedAt: expect.any(String) });
    expect((await ws.admin.client.get(`/api/v1/contacts/${survivor.id}`)).json()).not.toHaveProperty("mergedIntoId");
  });

  it("writes the merge's audit entry and event, and those of the update and the delete", async () => {
    const requestId = String(answer.headers["x-request-id"]);
    const entries = await rows(
      sql`select action, resource_id as "resourceId", details from audit_logs where request_id = ${requestId} order by action`,
    );
    expect(entries.map((e) => [e.action, e.resourceId])).toEqual([
      ["contact.deleted", merged.id],
      ["contact.merged", survivor.id],
      ["contact.updated", survivor.id],
    ]);
    expect(entries[1]?.details).toMatchObject({
      mergeId,
      survivorId: survivor.id,
      mergedIds: [merged.id],
      fields: { email: merged.id, phone: merged.id, companyId: merged.id, jobTitle: survivor.id },
    });
    const events = await rows(
      sql`select type, payload from outbox_events where resource_id in (${idList([survivor.id, merged.id])}) and type like 'contact.%' order by seq`,
    );
    const merges = events.filter((e) => e.type === "contact.merged");
    expect(merges).toHaveLength(1);
    expect(merges[0]?.payload).toMatchObject({ mergeId, mergedIds: [merged.id], record: { id: survivor.id } });
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(["contact.deleted", "contact.updated"]));
  });

  it("is undone exactly: every touched table as before, audited; a second undo is refused", async () => {
    const undone = await ws.admin.client.post(`/api/v1/merges/${mergeId}/undo`);
    expect(undone.statusCode, undone.body).toBe(200);
    expect(undone.json()).toEqual({ mergeId, resource: "contact", survivorId: survivor.id, restoredIds: [merged.id] });
    expect(await snapshot([survivor.id, merged.id])).toEqual(before);
    const requestId = String(undone.headers["x-request-id"]);
    const actions = await rows(
      sql`select distinct action from audit_logs where request_id = ${requestId} order by action`,
    );
    expect(actions.map((a) => a.action)).toEqual(["contact.merge_undone", "contact.restored", "contact.updated"]);
    const again = await ws.admin.client.post(`/api/v1/merges/${mergeId}/undo`);
    expect(again.statusCode).toBe(409);
  });
});

describe("merging companies", () => {
  it("moves contacts, deals, leads, activities and tasks, and is undone exactly", async () => {
    const survivor = await company(ws.admin, { domain: "merge-survivor.test" });
    const merged = await company(ws.admin, { domain: "merge-merged.test", industry: "Candy", tags: ["b2b"] });
    const person = await contact(ws.admin, { companyId: merged.id });
    await make(ws.admin, "deals", { name: `Deal ${unique()}`, value: "5.00", companyId: merged.id });
    await make(ws.admin, "leads", { title: `Lead ${unique()}`, companyId: merged.id });
    await make(ws.admin, "activities", { type: "note", subject: "Met", companyId: merged.id });
    await make(ws.admin, "tasks", { title: `Task ${unique()}`, companyId: merged.id });
    const before = await snapshot([survivor.id, merged.id]);
    const answer = await merge(ws.manager, "companies", {
      survivorId: survivor.id,
      mergedIds: [merged.id],
      fields: { name: merged.id, industry: merged.id },
    });
    expect(answer.statusCode, answer.body).toBe(200);
    const body = answer.json<{ mergeId: string; survivor: Json; moved: Record<string, number> }>();
    expect(body.survivor).toMatchObject({
      name: merged.name,
      industry: "Candy",
      domain: "merge-survivor.test",
      tags: ["b2b"],
    });
    expect(body.moved).toEqual({ contacts: 1, deals: 1, leads: 1, activities: 1, tasks: 1 });
    expect((await ws.admin.client.get(`/api/v1/contacts/${person.id}`)).json()).toMatchObject({
      companyId: survivor.id,
    });
    expect((await ws.admin.client.get(`/api/v1/companies/${merged.id}`)).json()).toMatchObject({
      mergedIntoId: survivor.id,
    });
    const undone = await ws.manager.client.post(`/api/v1/merges/${body.mergeId}/undo`);
    expect(undone.statusCode, undone.body).toBe(200);
    expect(await snapshot([survivor.id, merged.id])).toEqual(before);
  });
});

describe("merge refusals", () => {
  let a: Json, b: Json;
  beforeAll(async () => {
    a = await contact(ws.admin);
    b = await contact(ws.admin);
  });

  async function expectUnchanged(work: () => Promise<void>): Promise<void> {
    const before = await snapshot([a.id, b.id]);
    await work();
    expect(await snapshot([a.id, b.id])).toEqual(before);
  }

  it("refuses the survivor among the merged records (400 naming it)", async () => {
    const response = await merge(ws.admin, "contacts", { survivorId: a.id, mergedIds: [b.id, a.id] });
    expect(response.statusCode).toBe(400);
    expect(errorPaths(response)).toEqual(["mergedIds.1"]);
  });

  it("refuses a field taken from a record outside the merge (400 naming the field)", async () => {
    const stranger = await contact(ws.admin);
    const response = await merge(ws.admin, "contacts", {
      survivorId: a.id,
      mergedIds: [b.id],
      fields: { lastName: stranger.id },
    });
    expect(response.statusCode).toBe(400);
    expect(errorPaths(response)).toEqual(["fields.lastName"]);
  });

  it("refuses a field that cannot be merged, and an empty merge (400)", async () => {
    const unknownField = await merge(ws.admin, "contacts", {
      survivorId: a.id,
      mergedIds: [b.id],
      fields: { id: b.id },
    });
    expect(unknownField.statusCode).toBe(400);
    const empty = await merge(ws.admin, "contacts", { survivorId: a.id, mergedIds: [] });
    expect(empty.statusCode).toBe(400);
    expect(errorPaths(empty)).toContain("mergedIds");
  });

  it("answers 404 naming unknown, deleted and other workspaces' ids, changing nothing", async () => {
    const deleted = await contact(ws.admin);
    await ws.admin.client.delete(`/api/v1/contacts/${deleted.id}`);
    const foreign = await contact(other.admin);
    await expectUnchanged(async () => {
      const response = await merge(ws.admin, "contacts", {
        survivorId: a.id,
        mergedIds: [b.id, newId(), deleted.id, foreign.id],
      });
      expect(response.statusCode).toBe(404);
      expect(errorPaths(response)).toEqual(["mergedIds.1", "mergedIds.2", "mergedIds.3"]);
    });
    const unknownSurvivor = await merge(ws.admin, "contacts", { survivorId: foreign.id, mergedIds: [a.id] });
    expect(unknownSurvivor.statusCode).toBe(404);
    expect(errorPaths(unknownSurvivor)).toEqual(["survivorId"]);
  });

  it("refuses agents and viewers (403): merging deletes", async () => {
    const own = await contact(ws.agent);
    const alsoOwn = await contact(ws.agent);
    for (const member of [ws.agent, ws.viewer]) {
      const response = await merge(member, "contacts", { survivorId: own.id, mergedIds: [alsoOwn.id] });
      expect(response.statusCode).toBe(403);
    }
  });

  it("honours If-Match on the survivor (412, nothing changed)", async () => {
    await expectUnchanged(async () => {
      const response = await merge(
        ws.admin,
        "contacts",
        { survivorId: a.id, mergedIds: [b.id] },
        { "if-match": '"99"' },
      );
      expect(response.statusCode).toBe(412);
    });
    const current = await merge(
      ws.admin,
      "contacts",
      { survivorId: a.id, mergedIds: [b.id] },
      { "if-match": `"${a.version}"` },
    );
    expect(current.statusCode, current.body).toBe(200);
  });
});

// Every route takes an id in capitals as the same record (the database compares UUIDs so); so does a merge.
describe("merging by ids in capitals", () => {
  const upper = (id: string) => id.toUpperCase();

  it.each(["contacts", "companies"])("merges %s named in capitals, keeping the fields chosen so", async (resource) => {
    const make = resource === "contacts" ? contact : company;
    const survivor = await make(ws.admin, { tags: ["a"] });
    const merged = await make(ws.admin, { tags: ["b"] });
    expect((await ws.admin.client.get(`/api/v1/${resource}/${upper(survivor.id)}`)).statusCode).toBe(200);
    const field = resource === "contacts" ? "lastName" : "name";
    const response = await merge(ws.admin, resource, {
      survivorId: upper(survivor.id),
      mergedIds: [upper(merged.id)],
      fields: { [field]: upper(merged.id) },
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({
      survivor: { id: survivor.id, [field]: merged[field], tags: ["a", "b"] },
      mergedIds: [merged.id],
    });
    expect((await ws.admin.client.get(`/api/v1/${resource}/${merged.id}`)).json()).toMatchObject({
      mergedIntoId: survivor.id,
    });
  });

  it.each(["contacts", "companies"])(
    "refuses the survivor among the merged %s in capitals, and an id given twice in two cases (400)",
    async (resource) => {
      const make = resource === "contacts" ? contact : company;
      const a = await make(ws.admin);
      const b = await make(ws.admin);
      const survivorMerged = await merge(ws.admin, resource, { survivorId: a.id, mergedIds: [upper(a.id)] });
      expect(survivorMerged.statusCode, survivorMerged.body).toBe(400);
      expect(survivorMerged.json().errors).toEqual([{ path: "mergedIds.0", message: "The survivor cannot be merged" }]);
      const survivorInCapitals = await merge(ws.admin, resource, { survivorId: upper(a.id), mergedIds: [a.id] });
      expect(survivorInCapitals.statusCode, survivorInCapitals.body).toBe(400);
      expect(errorPaths(survivorInCapitals)).toEqual(["mergedIds.0"]);
      const twice = await merge(ws.admin, resource, { survivorId: a.id, mergedIds: [b.id, upper(b.id)] });
      expect(twice.statusCode, twice.body).toBe(400);
      expect(twice.json().errors).toEqual([{ path: "mergedIds", message: "Each id once" }]);
      for (const record of [a, b]) {
        expect((await ws.admin.client.get(`/api/v1/${resource}/${record.id}`)).json()).toMatchObject({
          version: 1,
          deletedAt: null,
        });
      }
    },
  );
});

describe("undo refusals", () => {
  async function mergedPair(): Promise<{ survivor: Json; merged: Json; mergeId: string; activity: Json }> {
    const survivor = await contact(ws.admin);
    const merged = await contact(ws.admin);
    const activity = await make(ws.admin, "activities", { type: "note", subject: "Moved", contactId: merged.id });
    const response = await merge(ws.admin, "contacts", { survivorId: survivor.id, mergedIds: [merged.id] });
    expect(response.statusCode, response.body).toBe(200);
    return { survivor, merged, activity, mergeId: response.json<{ mergeId: string }>().mergeId };
  }

  it("refuses (409) when the survivor changed since, changing nothing", async () => {
    const { survivor, merged, mergeId } = await mergedPair();
    await ws.admin.client.patch(`/api/v1/contacts/${survivor.id}`, { jobTitle: "Changed after" });
    const before = await snapshot([survivor.id, merged.id]);
    const response = await ws.admin.client.post(`/api/v1/merges/${mergeId}/undo`);
    expect(response.statusCode).toBe(409);
    expect(await snapshot([survivor.id, merged.id])).toEqual(before);
  });

  it("refuses (409) when a moved row changed since", async () => {
    const { activity, mergeId } = await mergedPair();
    await ws.admin.client.patch(`/api/v1/activities/${activity.id}`, { subject: "Edited" });
    expect((await ws.admin.client.post(`/api/v1/merges/${mergeId}/undo`)).statusCode).toBe(409);
  });

  it("refuses (409) when a merged record was restored by hand", async () => {
    const { merged, mergeId } = await mergedPair();
    expect((await ws.admin.client.post(`/api/v1/contacts/${merged.id}/restore`)).statusCode).toBe(200);
    expect((await ws.admin.client.post(`/api/v1/merges/${mergeId}/undo`)).statusCode).toBe(409);
  });

  it("refuses agents (403) and hides another workspace's merges (404)", async () => {
    const { mergeId } = await mergedPair();
    expect((await ws.agent.client.post(`/api/v1/merges/${mergeId}/undo`)).statusCode).toBe(403);
    expect((await other.admin.client.post(`/api/v1/merges/${mergeId}/undo`)).statusCode).toBe(404);
    expect((await ws.admin.client.post(`/api/v1/merges/${newId()}/undo`)).statusCode).toBe(404);
    expect((await ws.admin.client.post(`/api/v1/merges/${mergeId}/undo`)).statusCode).toBe(200);
  });

  it("keeps merges in their workspace's rows (row-level security)", async () => {
    const { mergeId } = await mergedPair();
    const { db } = await testDatabase();
    const seen = await db.transaction(async (tx) => {
      await tx.execute(
        sql`select set_config('role', 'keel_app', true), set_config('app.workspace_id', ${other.id}, true)`,
      );
      return (
        (await tx.execute(sql`select id from merges where id = ${mergeId}::uuid`)) as unknown as { rows: unknown[] }
      ).rows;
    });
    expect(seen).toEqual([]);
  });
});
