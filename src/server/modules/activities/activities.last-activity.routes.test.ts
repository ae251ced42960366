import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, createTestWorkspace, type Client, type TestWorkspace } from "../../test/create-test-app.ts";

/**
 * A contact's, company's, lead's and deal's lastActivityAt: the latest occurredAt of its live
 * activities, kept true by the database whatever changes the activities (create, a new time,
 * delete and restore, links moved by an edit, a bulk action or a merge), without a new version of
 * the record; and the lists sort by it, page by page.
 */

let app: FastifyInstance;
let ws: TestWorkspace;

beforeAll(async () => {
  app = await createTestApp();
  ws = await createTestWorkspace(app, "Last activity");
});
afterAll(() => app.close());

type Row = { id: string; version: number; updatedAt: string; lastActivityAt: string | null; [field: string]: unknown };

const at = (day: number, hour = 9) => new Date(Date.UTC(2026, 2, day, hour)).toISOString();
const unique = () => Math.random().toString(36).slice(2, 10);

async function post(client: Client, path: string, body: Record<string, unknown>): Promise<Row> {
  const response = await client.post(path, body);
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as Row;
}

async function read(path: string): Promise<Row> {
  const response = await ws.viewer.client.get(path);
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as Row;
}

const lastActivityOf = async (path: string) => (await read(path)).lastActivityAt;

const logActivity = (links: Record<string, string | null>, occurredAt: string) =>
  post(ws.admin.client, "/api/v1/activities", { type: "note", subject: `Note ${unique()}`, occurredAt, ...links });

async function patchActivity(activity: Row, changes: Record<string, unknown>): Promise<Row> {
  const current = await read(`/api/v1/activities/${activity.id}`);
  const response = await ws.admin.client.patch(`/api/v1/activities/${activity.id}`, changes, {
    "if-match": `"${current.version}"`,
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as Row;
}

const contact = () => post(ws.admin.client, "/api/v1/contacts", { firstName: "Ada", lastName: `Lovelace ${unique()}` });

/** Every row of a list in one sort, pages of `limit` rows. */
async function pageThrough(path: string, sort: string, limit: number): Promise<Row[]> {
  const rows: Row[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const url: string = `${path}&sort=${encodeURIComponent(sort)}&limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`;
    const response = await ws.viewer.client.get(url);
    expect(response.statusCode, response.body).toBe(200);
    const page = response.json() as { data: Row[]; nextCursor: string | null };
    rows.push(...page.data);
    cursor = page.nextCursor;
    pages++;
  } while (cursor && pages < 50);
  return rows;
}

/**
 * The promised order: by lastActivityAt, records without one as the oldest (first ascending, last
 * newest-first), then id in the same direction.
 */
function expectedOrder(rows: Row[], isDescending: boolean): string[] {
  const compare = (a: string | null, b: string | null) => {
    if (a === b) return 0;
    if (a === null) return -1;
    if (b === null) return 1;
    return a < b ? -1 : 1;
  };
  const ascending = [...rows].sort((a, b) => compare(a.lastActivityAt, b.lastActivityAt) || compare(a.id, b.id));
  return (isDescending ? ascending.reverse() : ascending).map((row) => row.id);
}

describe("lastActivityAt of a record", () => {
  it("is null without activities, then the latest occurredAt of its activities, whatever order they were logged in", async () => {
    const person = await contact();
    expect(person.lastActivityAt).toBeNull();
    await logActivity({ contactId: person.id }, at(3));
    await logActivity({ contactId: person.id }, at(9));
    await logActivity({ contactId: person.id }, at(5));
    const read = await ws.viewer.client.get(`/api/v1/contacts/${person.id}`);
    expect(read.json()).toMatchObject({ lastActivityAt: at(9), version: 1, updatedAt: person.updatedAt });
    expect(read.headers.etag).toBe('"1"');
  });

  it("is set on every record one activity links to: contact, company, lead and deal", async () => {
    const person = await contact();
    const company = await post(ws.admin.client, "/api/v1/companies", { name: `Acme ${unique()}` });
    const lead = await post(ws.admin.client, "/api/v1/leads", { title: `Lead ${unique()}` });
    const deal = await post(ws.admin.client, "/api/v1/deals", { name: `Deal ${unique()}`, value: "10.00" });
    await logActivity({ contactId: person.id, companyId: company.id, leadId: lead.id, dealId: deal.id }, at(12));
    for (const path of [
      `/api/v1/contacts/${person.id}`,
      `/api/v1/companies/${company.id}`,
      `/api/v1/leads/${lead.id}`,
      `/api/v1/deals/${deal.id}`,
    ]) {
      expect(await read(path), path).toMatchObject({ lastActivityAt: at(12), version: 1 });
    }
    const listed = await ws.viewer.client.get(`/api/v1/deals?filter[id]=${deal.id}`);
    expect(listed.json().data[0].lastActivityAt).toBe(at(12));
  });

  it("follows an activity's occurredAt moved later or earlier", async () => {
    const person = await contact();
    await logActivity({ contactId: person.id }, at(4));
    const latest = await logActivity({ contactId: person.id }, at(6));
    await patchActivity(latest, { occurredAt: at(20) });
    expect(await lastActivityOf(`/api/v1/contacts/${person.id}`)).toBe(at(20));
    await patchActivity(latest, { occurredAt: at(1) });
    expect(await lastActivityOf(`/api/v1/contacts/${person.id}`)).toBe(at(4));
    await patchActivity(latest, { subject: "Renamed" });
    expect(await read(`/api/v1/contacts/${person.id}`)).toMatchObject({ lastActivityAt: at(4), version: 1 });
  });

  it("falls back to the one before when the latest is deleted, comes back on restore, and is null with none left", async () => {
    const person = await contact();
    const first = await logActivity({ contactId: person.id }, at(2));
    const latest = await logActivity({ contactId: person.id }, at(8));
    expect((await ws.admin.client.delete(`/api/v1/activities/${latest.id}`)).statusCode).toBe(204);
    expect(await lastActivityOf(`/api/v1/contacts/${person.id}`)).toBe(at(2));
    expect((await ws.admin.client.post(`/api/v1/activities/${latest.id}/restore`)).statusCode).toBe(200);
    expect(await lastActivityOf(`/api/v1/contacts/${person.id}`)).toBe(at(8));
    const deleted = await ws.admin.client.post("/api/v1/activities/bulk", {
      action: "delete",
      ids: [first.id, latest.id],
    });
    expect(deleted.statusCode, deleted.body).toBe(200);
    expect(await read(`/api/v1/contacts/${person.id}`)).toMatchObject({ lastActivityAt: null, version: 1 });
  });

  it("moves with an activity's link: the old record falls back, the new one takes it", async () => {
    const from = await contact();
    const to = await contact();
    await logActivity({ contactId: from.id }, at(3));
    const moving = await logActivity({ contactId: from.id }, at(7));
    await patchActivity(moving, { contactId: to.id });
    expect(await lastActivityOf(`/api/v1/contacts/${from.id}`)).toBe(at(3));
    expect(await lastActivityOf(`/api/v1/contacts/${to.id}`)).toBe(at(7));
    const company = await post(ws.admin.client, "/api/v1/companies", { name: `Unlinked ${unique()}` });
    await patchActivity(moving, { companyId: company.id });
    expect(await lastActivityOf(`/api/v1/companies/${company.id}`)).toBe(at(7));
    await patchActivity(moving, { companyId: null });
    expect(await lastActivityOf(`/api/v1/companies/${company.id}`)).toBeNull();
    expect(await lastActivityOf(`/api/v1/contacts/${to.id}`)).toBe(at(7));
  });

  it("goes to the survivor with the merged contact's activities, and back on undo", async () => {
    const survivor = await contact();
    const merged = await contact();
    await logActivity({ contactId: survivor.id }, at(5));
    await logActivity({ contactId: merged.id }, at(15));
    const answer = await ws.admin.client.post("/api/v1/contacts/merge", {
      survivorId: survivor.id,
      mergedIds: [merged.id],
      fields: {},
    });
    expect(answer.statusCode, answer.body).toBe(200);
    expect(answer.json().survivor.lastActivityAt).toBe(at(15));
    expect(await lastActivityOf(`/api/v1/contacts/${survivor.id}`)).toBe(at(15));
    const undone = await ws.admin.client.post(`/api/v1/merges/${answer.json().mergeId}/undo`);
    expect(undone.statusCode, undone.body).toBe(200);
    expect(await lastActivityOf(`/api/v1/contacts/${survivor.id}`)).toBe(at(5));
    expect(await lastActivityOf(`/api/v1/contacts/${merged.id}`)).toBe(at(15));
  });

  it("is read-only: a client cannot write it", async () => {
    const person = await contact();
    const response = await ws.admin.client.patch(
      `/api/v1/contacts/${person.id}`,
      { lastActivityAt: at(1) },
      { "if-match": '"1"' },
    );
    expect(response.statusCode).toBe(400);
  });
});

describe("sorting and filtering by lastActivityAt", () => {
  const list = "/api/v1/contacts?filter[lastName][contains]=Sorted";
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    // Ties (b and c), several without any activity, and one whose only activity is deleted.
    const plan: [string, string[]][] = [
      ["a", [at(1), at(10)]],
      ["b", [at(4)]],
      ["c", [at(4)]],
      ["d", []],
      ["e", [at(2, 8), at(2, 17)]],
      ["f", []],
      ["g", [at(30)]],
      ["h", ["deleted"]],
    ];
    for (const [name, times] of plan) {
      const person = await post(ws.admin.client, "/api/v1/contacts", { firstName: name, lastName: `Sorted ${name}` });
      ids[name] = person.id;
      for (const time of times) {
        if (time !== "deleted") await logActivity({ contactId: person.id }, time);
        else {
          const gone = await logActivity({ contactId: person.id }, at(31));
          expect((await ws.admin.client.delete(`/api/v1/activities/${gone.id}`)).statusCode).toBe(204);
        }
      }
    }
  });

  it("exports in that order, the column as an ISO date-time and empty for records without activity", async () => {
    const response = await ws.manager.client.get(
      "/api/v1/contacts/export?format=csv&filter[lastName][contains]=Sorted&sort=-lastActivityAt&columns=firstName,lastActivityAt",
    );
    expect(response.statusCode, response.body).toBe(200);
    const lines = response.body
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\r\n");
    expect(lines[0]).toBe("firstName,lastActivityAt");
    expect(lines.slice(1, 3)).toEqual([`g,${at(30)}`, `a,${at(10)}`]);
    expect(lines.slice(-3).map((line) => line.split(",")[1])).toEqual(["", "", ""]);
  });

  it("sorts both ways over pages of two: newest first ends with the records without activity, oldest first starts with them", async () => {
    const all = (await ws.viewer.client.get(`${list}&limit=200`)).json().data as Row[];
    expect(all).toHaveLength(8);
    const newestFirst = await pageThrough(list, "-lastActivityAt", 2);
    expect(newestFirst.map((row) => row.id)).toEqual(expectedOrder(all, true));
    expect(newestFirst.map((row) => row.lastActivityAt)).toEqual([
      at(30),
      at(10),
      at(4),
      at(4),
      at(2, 17),
      null,
      null,
      null,
    ]);
    const oldestFirst = await pageThrough(list, "lastActivityAt", 3);
    expect(oldestFirst.map((row) => row.id)).toEqual(expectedOrder(all, false));
    expect(oldestFirst.slice(0, 3).every((row) => row.lastActivityAt === null)).toBe(true);
    expect(oldestFirst[3]?.firstName).toBe("e");
  });

  it("reorders when the most recently active record loses its only activity", async () => {
    const timeline = await ws.viewer.client.get(`/api/v1/activities?filter[contactId]=${ids.g}`);
    const [only] = timeline.json().data as Row[];
    expect((await ws.admin.client.delete(`/api/v1/activities/${only?.id}`)).statusCode).toBe(204);
    const all = (await ws.viewer.client.get(`${list}&limit=200`)).json().data as Row[];
    const newestFirst = await pageThrough(list, "-lastActivityAt", 2);
    expect(newestFirst.map((row) => row.id)).toEqual(expectedOrder(all, true));
    expect(newestFirst[0]?.firstName).toBe("a");
    expect(newestFirst.filter((row) => row.lastActivityAt === null)).toHaveLength(4);
  });

  it("sorts deals, leads and companies the same way", async () => {
    const deals = [];
    for (const [index, time] of [at(6), null, at(2), at(6)].entries()) {
      const deal = await post(ws.admin.client, "/api/v1/deals", { name: `Ranked ${index}`, value: "1.00" });
      if (time) await logActivity({ dealId: deal.id }, time);
      deals.push(deal);
    }
    const path = "/api/v1/deals?filter[name][contains]=Ranked";
    const all = (await ws.viewer.client.get(`${path}&limit=200`)).json().data as Row[];
    expect((await pageThrough(path, "-lastActivityAt", 1)).map((row) => row.id)).toEqual(expectedOrder(all, true));
    expect((await pageThrough(path, "lastActivityAt", 1)).map((row) => row.id)).toEqual(expectedOrder(all, false));
    for (const resource of ["leads", "companies"]) {
      expect((await ws.viewer.client.get(`/api/v1/${resource}?sort=-lastActivityAt`)).statusCode).toBe(200);
    }
  });

  it("filters by it as a timestamp: a range, and empty for records never contacted", async () => {
    const recent = await ws.viewer.client.get(`${list}&filter[lastActivityAt][gte]=${at(4)}&sort=firstName`);
    expect(recent.statusCode, recent.body).toBe(200);
    expect((recent.json().data as Row[]).map((row) => row.firstName).sort()).toEqual(["a", "b", "c"]);
    const never = await ws.viewer.client.get(`${list}&filter[lastActivityAt][empty]=true`);
    expect((never.json().data as Row[]).map((row) => row.firstName).sort()).toEqual(["d", "f", "g", "h"]);
  });
});
