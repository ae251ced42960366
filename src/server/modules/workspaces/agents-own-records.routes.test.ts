import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Dashboard } from "../../../shared/schemas/dashboard.ts";
import { createTestApp, createTestWorkspace, type Member, type TestWorkspace } from "../../test/create-test-app.ts";

/**
 * The workspace setting `agentsSeeOwnRecordsOnly`: while on, an agent reads only their own
 * records (contacts, companies, leads and deals they own, tasks assigned to or created by them,
 * activities they logged) on every read path; admins, managers and viewers read everything.
 */

let app: FastifyInstance;
let ws: TestWorkspace;

/** The records of the workspace: the agent's own, and others' (owned or made by the admin). */
const ids = {} as Record<
  | "ownContact"
  | "otherContact"
  | "ownCompany"
  | "otherCompany"
  | "ownLead"
  | "otherLead"
  | "ownDeal"
  | "otherDeal"
  | "assignedTask"
  | "createdTask"
  | "otherTask"
  | "ownActivity"
  | "otherActivity",
  string
>;

async function post(member: Member, collection: string, body: Record<string, unknown>): Promise<string> {
  const response = await member.client.post(`/api/v1/${collection}`, body);
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ id: string }>().id;
}

async function setOwnRecordsOnly(value: boolean): Promise<void> {
  const response = await ws.admin.client.patch("/api/v1/workspace", { agentsSeeOwnRecordsOnly: value });
  expect(response.statusCode, response.body).toBe(200);
  expect(response.json().agentsSeeOwnRecordsOnly).toBe(value);
}

async function listIds(member: Member, url: string): Promise<string[]> {
  const response = await member.client.get(url);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<{ data: { id: string }[] }>().data.map((record) => record.id);
}

async function countOf(member: Member, url: string): Promise<number> {
  const response = await member.client.get(url);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<{ count: number }>().count;
}

async function dashboardOf(member: Member): Promise<Dashboard> {
  const response = await member.client.get("/api/v1/dashboard");
  expect(response.statusCode, response.body).toBe(200);
  return response.json<Dashboard>();
}

const sorted = (values: string[]) => [...values].sort();

beforeAll(async () => {
  app = await createTestApp();
  ws = await createTestWorkspace(app, "Own records");
  const { admin, agent } = ws;
  ids.otherCompany = await post(admin, "companies", { name: "Initech" });
  ids.ownCompany = await post(agent, "companies", { name: "Hooli" });
  ids.otherContact = await post(admin, "contacts", {
    firstName: "Ada",
    lastName: "Lovelace",
    email: "ada@example.com",
    companyId: ids.otherCompany,
  });
  // The agent's contact works at another's company: the include must not reveal it.
  ids.ownContact = await post(agent, "contacts", {
    firstName: "Adam",
    lastName: "Loveless",
    email: "adam@example.com",
    companyId: ids.otherCompany,
  });
  ids.otherLead = await post(admin, "leads", { title: "Big lead" });
  ids.ownLead = await post(agent, "leads", { title: "Small lead" });
  ids.otherDeal = await post(admin, "deals", { name: "Big deal", value: "1000.00", contactId: ids.otherContact });
  ids.ownDeal = await post(agent, "deals", { name: "Small deal", value: "10.00", contactId: ids.ownContact });
  ids.assignedTask = await post(admin, "tasks", { title: "Call Adam", assigneeId: agent.userId });
  ids.createdTask = await post(agent, "tasks", { title: "Write Adam" });
  ids.otherTask = await post(admin, "tasks", { title: "Call Ada", assigneeId: ws.manager.userId });
  ids.ownActivity = await post(agent, "activities", { type: "call", subject: "Called", contactId: ids.ownContact });
  // The admin's note on the agent's contact is not the agent's: their timeline leaves it out.
  ids.otherActivity = await post(admin, "activities", { type: "note", subject: "Noted", contactId: ids.ownContact });
});
afterAll(() => app.close());

const own = {
  contacts: () => [ids.ownContact],
  companies: () => [ids.ownCompany],
  leads: () => [ids.ownLead],
  deals: () => [ids.ownDeal],
  tasks: () => [ids.assignedTask, ids.createdTask],
  activities: () => [ids.ownActivity],
};
const all = {
  contacts: () => [ids.ownContact, ids.otherContact],
  companies: () => [ids.ownCompany, ids.otherCompany],
  leads: () => [ids.ownLead, ids.otherLead],
  deals: () => [ids.ownDeal, ids.otherDeal],
  tasks: () => [ids.assignedTask, ids.createdTask, ids.otherTask],
  activities: () => [ids.ownActivity, ids.otherActivity],
};
const others = {
  contacts: () => ids.otherContact,
  companies: () => ids.otherCompany,
  leads: () => ids.otherLead,
  deals: () => ids.otherDeal,
  tasks: () => ids.otherTask,
  activities: () => ids.otherActivity,
};
const collections = Object.keys(own) as (keyof typeof own)[];

describe("the agentsSeeOwnRecordsOnly setting", () => {
  it("is off by default, and only admins change it (agents get 403), audited", async () => {
    const read = await ws.agent.client.get("/api/v1/workspace");
    expect(read.json().agentsSeeOwnRecordsOnly).toBe(false);
    for (const member of [ws.agent, ws.manager]) {
      const response = await member.client.patch("/api/v1/workspace", { agentsSeeOwnRecordsOnly: true });
      expect(response.statusCode, member.role).toBe(403);
    }
    const invalid = await ws.admin.client.patch("/api/v1/workspace", { agentsSeeOwnRecordsOnly: "yes" });
    expect(invalid.statusCode).toBe(400);

    await setOwnRecordsOnly(true);
    const audit = await ws.admin.client.get(`/api/v1/audit-logs?resourceId=${ws.id}&action=workspace.updated`);
    const [entry] = audit.json<{ data: { changes: Record<string, unknown> }[] }>().data;
    expect(entry?.changes).toEqual({ agentsSeeOwnRecordsOnly: [false, true] });
    await setOwnRecordsOnly(false);
  });
});

describe("an agent while the setting is on", () => {
  beforeAll(() => setOwnRecordsOnly(true));
  afterAll(() => setOwnRecordsOnly(false));

  it("lists and counts only their own records, with filters, search, sorts and cursors", async () => {
    for (const collection of collections) {
      expect(sorted(await listIds(ws.agent, `/api/v1/${collection}`)), collection).toEqual(sorted(own[collection]()));
      expect(await countOf(ws.agent, `/api/v1/${collection}/count`), collection).toBe(own[collection]().length);
    }
    // Search (records pickers and the palette use the list's q).
    expect(await listIds(ws.agent, "/api/v1/contacts?q=Lov")).toEqual([ids.ownContact]);
    expect(await countOf(ws.agent, "/api/v1/contacts/count?q=Lov")).toBe(1);
    expect(await listIds(ws.agent, "/api/v1/companies?q=Hooli")).toEqual([ids.ownCompany]);
    expect(await listIds(ws.agent, "/api/v1/companies?q=Initech")).toEqual([]);
    expect(await countOf(ws.agent, "/api/v1/companies/count?q=Initech")).toBe(0);
    // A filter naming another's record finds nothing of theirs.
    expect(await listIds(ws.agent, `/api/v1/contacts?filter[ownerId]=${ws.admin.userId}`)).toEqual([]);
    expect(await listIds(ws.agent, `/api/v1/deals?filter[contactId]=${ids.otherContact}`)).toEqual([]);
    // Related lists: a company's contacts, a contact's deals, a contact's timeline.
    expect(await listIds(ws.agent, `/api/v1/contacts?filter[companyId]=${ids.otherCompany}`)).toEqual([ids.ownContact]);
    expect(await listIds(ws.agent, `/api/v1/activities?filter[contactId]=${ids.ownContact}`)).toEqual([
      ids.ownActivity,
    ]);
    expect(await listIds(ws.agent, `/api/v1/activities?filter[aboutCompanyId]=${ids.otherCompany}`)).toEqual([
      ids.ownActivity,
    ]);
    // Sorted by owner (a grouped sort) and paged one by one along the cursor.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/v1/tasks?sort=title&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
      const page = await ws.agent.client.get(url);
      expect(page.statusCode, page.body).toBe(200);
      const body = page.json<{ data: { id: string }[]; nextCursor: string | null }>();
      seen.push(...body.data.map((task) => task.id));
      cursor = body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([ids.assignedTask, ids.createdTask]);
    expect(await listIds(ws.agent, "/api/v1/contacts?sort=ownerId")).toEqual([ids.ownContact]);
  });

  it("answers 404 for another's record by id, and the same 403 for every history", async () => {
    for (const collection of collections) {
      const other = await ws.agent.client.get(`/api/v1/${collection}/${others[collection]()}`);
      expect(other.statusCode, collection).toBe(404);
      const mine = await ws.agent.client.get(`/api/v1/${collection}/${own[collection]()[0]}`);
      expect(mine.statusCode, collection).toBe(200);
    }
    // Agents read no history at all, so its refusal says nothing of whether a record exists.
    for (const id of [ids.otherContact, ids.ownContact, "0190f6c2-0000-7000-8000-00000000dead"]) {
      const history = await ws.agent.client.get(`/api/v1/contacts/${id}/history`);
      expect(history.statusCode, id).toBe(403);
    }
    const status = await ws.agent.client.get(`/api/v1/leads/${ids.otherLead}/status-history`);
    expect(status.statusCode).toBe(404);
  });

  it("answers 404, not 403, to a change of another's record, whatever version it names", async () => {
    const changes: Record<string, object> = { tasks: { title: "Probe" }, activities: { subject: "Probe" } };
    for (const collection of collections) {
      const id = others[collection]();
      const change = changes[collection] ?? { tags: ["probe"] };
      for (const headers of [{}, { "if-match": '"1"' }, { "if-match": '"999"' }] as Record<string, string>[]) {
        const changed = await ws.agent.client.patch(`/api/v1/${collection}/${id}`, change, headers);
        expect(changed.statusCode, `${collection} ${JSON.stringify(headers)}`).toBe(404);
        expect(changed.json().detail).toMatch(/^No such /);
      }
    }
    // Their own still change.
    const mine = await ws.agent.client.patch(`/api/v1/contacts/${ids.ownContact}`, { jobTitle: "Mine" });
    expect(mine.statusCode).toBe(200);
  });

  it("embeds no summary of another's record in includes", async () => {
    const contact = await ws.agent.client.get(`/api/v1/contacts/${ids.ownContact}?include=company`);
    expect(contact.json()).toMatchObject({ companyId: ids.otherCompany, company: null });
    const [listed] = (await ws.agent.client.get("/api/v1/contacts?include=company")).json().data;
    expect(listed).toMatchObject({ id: ids.ownContact, company: null });
    const deal = await ws.agent.client.get(`/api/v1/deals/${ids.ownDeal}?include=contact`);
    expect(deal.json().contact).toMatchObject({ id: ids.ownContact });
    const activity = await ws.agent.client.get(`/api/v1/activities/${ids.ownActivity}?include=contact`);
    expect(activity.json().contact).toMatchObject({ id: ids.ownContact });
  });

  it("finds duplicates only among their own records", async () => {
    const possible = await ws.agent.client.get("/api/v1/contacts/possible-duplicates?email=ada@example.com");
    expect(possible.statusCode, possible.body).toBe(200);
    expect(possible.json().data).toEqual([]);
    const mine = await ws.agent.client.get("/api/v1/contacts/possible-duplicates?email=adam@example.com");
    expect(mine.json().data.map((match: { id: string }) => match.id)).toEqual([ids.ownContact]);
    const asManager = await ws.manager.client.get("/api/v1/contacts/possible-duplicates?email=ada@example.com");
    expect(asManager.json().data.map((match: { id: string }) => match.id)).toEqual([ids.otherContact]);
  });

  it("acts in bulk on a filter over their own records only", async () => {
    const response = await ws.agent.client.post("/api/v1/contacts/bulk", {
      action: "addTags",
      filter: {},
      tags: ["mine"],
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ matched: 1, updated: 1, refusedCount: 0 });
    const tagged = await listIds(ws.manager, "/api/v1/contacts?filter[tags]=mine");
    expect(tagged).toEqual([ids.ownContact]);
  });

  it("exports nothing: agents may not export, whatever they may read", async () => {
    for (const [collection, format] of [
      ["contacts", "json"],
      ["contacts", "csv"],
      ["deals", "csv"],
      ["activities", "json"],
    ] as const) {
      const response = await ws.agent.client.get(`/api/v1/${collection}/export?format=${format}&columns=id`);
      expect(response.statusCode, `${collection} ${format}`).toBe(403);
      expect(response.body).not.toContain(ids.ownContact);
    }
  });

  it("sees dashboard figures of their own records, never the workspace's cached ones", async () => {
    // The admin reads first, so the workspace's figures are cached for this change marker.
    const workspaceFigures = await dashboardOf(ws.admin);
    expect(workspaceFigures.totals).toMatchObject({ contacts: 2, companies: 2, openLeads: 2, openTasks: 3 });
    expect(workspaceFigures.totals.openDeals.count).toBe(2);

    const figures = await dashboardOf(ws.agent);
    expect(figures.totals).toMatchObject({ contacts: 1, companies: 1, openLeads: 1, openTasks: 2 });
    expect(figures.totals.openDeals).toMatchObject({ count: 1, amounts: [{ currency: "USD", value: "10.00" }] });
    expect(figures.leadsByStatus.find((entry) => entry.status === "new")?.count).toBe(1);
    expect(figures.pipeline?.stages.reduce((sum, stage) => sum + stage.count, 0)).toBe(1);
    const activityCount = figures.activitiesByType.buckets.reduce(
      (sum, bucket) => sum + Object.values(bucket.counts).reduce((a, b) => a + b, 0),
      0,
    );
    expect(activityCount).toBe(1);
    const mineOnly = new Set([...Object.values(own).flatMap((list) => list())]);
    expect(figures.recent.every((item) => mineOnly.has(item.id))).toBe(true);
    expect(figures.recent.length).toBeGreaterThan(0);

    // And the agent's figures are not served to anyone else afterwards.
    expect((await dashboardOf(ws.manager)).totals.contacts).toBe(2);
  });
});

describe("while the setting is off, and for other roles", () => {
  it("lets an agent read every record when off", async () => {
    for (const collection of collections) {
      expect(sorted(await listIds(ws.agent, `/api/v1/${collection}`)), collection).toEqual(sorted(all[collection]()));
      const other = await ws.agent.client.get(`/api/v1/${collection}/${others[collection]()}`);
      expect(other.statusCode, collection).toBe(200);
    }
    expect((await dashboardOf(ws.agent)).totals.contacts).toBe(2);
  });

  it("never limits admins, managers and viewers", async () => {
    await setOwnRecordsOnly(true);
    try {
      for (const member of [ws.admin, ws.manager, ws.viewer]) {
        for (const collection of collections) {
          const listed = sorted(await listIds(member, `/api/v1/${collection}`));
          expect(listed, `${member.role} ${collection}`).toEqual(sorted(all[collection]()));
          expect(await countOf(member, `/api/v1/${collection}/count`)).toBe(all[collection]().length);
          const other = await member.client.get(`/api/v1/${collection}/${others[collection]()}`);
          expect(other.statusCode, `${member.role} ${collection}`).toBe(200);
        }
        expect((await dashboardOf(member)).totals.contacts, member.role).toBe(2);
      }
      const contact = await ws.manager.client.get(`/api/v1/contacts/${ids.ownContact}?include=company`);
      expect(contact.json().company).toMatchObject({ id: ids.otherCompany, name: "Initech" });
    } finally {
      await setOwnRecordsOnly(false);
    }
  });
});
