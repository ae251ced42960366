import { sql } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Count } from "../../../shared/schemas/common.ts";
import type { Dashboard } from "../../../shared/schemas/dashboard.ts";
import { exactCountLimit } from "../../db/counting.ts";
import {
  createTestApp,
  createTestWorkspace,
  testDatabase,
  type Member,
  type TestWorkspace,
} from "../../test/create-test-app.ts";

/**
 * The totals of contacts and companies count as lists do: exactly up to 10,000, past that the
 * planner's estimate, marked as one. A workspace past the limit (its contacts inserted in SQL, a
 * year old so the time series leave them out), in which agents see their own records only, and a
 * small one that stays exact.
 */

let app: FastifyInstance;
let large: TestWorkspace;
let small: TestWorkspace;

async function dashboardOf(member: Member): Promise<Dashboard> {
  const response = await member.client.get("/api/v1/dashboard");
  expect(response.statusCode, response.body).toBe(200);
  return response.json<Dashboard>();
}

async function listCountOf(member: Member, collection: string): Promise<Count> {
  const response = await member.client.get(`/api/v1/${collection}/count`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<Count>();
}

async function post(member: Member, collection: string, body: Record<string, unknown>): Promise<void> {
  const response = await member.client.post(`/api/v1/${collection}`, body);
  expect(response.statusCode, response.body).toBe(201);
}

/** `count` contacts of the workspace owned by `owner`, created a year ago. */
async function insertContacts(ws: TestWorkspace, owner: Member, count: number): Promise<void> {
  const { db } = await testDatabase();
  await db.execute(sql`
    insert into contacts (workspace_id, id, first_name, last_name, created_at, updated_at, owner_id)
    select ${ws.id}, gen_random_uuid(), 'Many', 'Contact ' || n, now() - interval '1 year',
      now() - interval '1 year', ${owner.userId}
    from generate_series(1, ${count}) as n`);
}

beforeAll(async () => {
  app = await createTestApp();
  large = await createTestWorkspace(app, "Past the exact limit");
  small = await createTestWorkspace(app, "Small");
  // Past the limit for the admin, and for the agent on their own.
  await insertContacts(large, large.admin, exactCountLimit + 1);
  await insertContacts(large, large.agent, exactCountLimit + 1);
  for (const [index, owner] of [large.admin, large.admin, large.agent].entries()) {
    await post(owner, "companies", { name: `Company ${index}`, ownerId: owner.userId });
  }
  await post(small.admin, "contacts", { firstName: "Ada" });
  await post(small.admin, "companies", { name: "Small Co" });
  // The planner's figures for the rows just inserted, as autovacuum would give them.
  await (await testDatabase()).db.execute(sql`analyze contacts`);
}, 120_000);
afterAll(() => app.close());

describe("GET /api/v1/dashboard totals past the exact limit", () => {
  it("estimates contacts as the contacts list's count does, marked as an estimate; companies stay exact", async () => {
    // The planner's figures may move while this runs (other suites on the same database analyze
    // their tables): the dashboard's estimate is the list's, read just before or just after it.
    const before = await listCountOf(large.admin, "contacts");
    const { totals } = await dashboardOf(large.admin);
    const after = await listCountOf(large.admin, "contacts");
    expect(before.isEstimate).toBe(true);
    expect(totals.contactsIsEstimate).toBe(true);
    expect(totals.contacts).toBeGreaterThan(exactCountLimit);
    expect([before.count, after.count]).toContain(totals.contacts);
    expect(totals.companies).toBe(3);
    expect(totals).not.toHaveProperty("companiesIsEstimate");
    // Served again from the cache, the mark is kept.
    expect((await dashboardOf(large.admin)).totals).toEqual(totals);
  });

  it("estimates an agent's own records only while the workspace limits agents to them", async () => {
    const setting = await large.admin.client.patch("/api/v1/workspace", { agentsSeeOwnRecordsOnly: true });
    expect(setting.statusCode, setting.body).toBe(200);
    try {
      const { totals } = await dashboardOf(large.agent);
      const listed = await listCountOf(large.agent, "contacts");
      expect(listed.isEstimate).toBe(true);
      expect(totals).toMatchObject({ contacts: listed.count, contactsIsEstimate: true, companies: 1 });
      expect(totals).not.toHaveProperty("companiesIsEstimate");
      // The estimate of the agent's rows, not of the workspace's.
      expect(totals.contacts).toBeLessThan((await dashboardOf(large.admin)).totals.contacts);
    } finally {
      await large.admin.client.patch("/api/v1/workspace", { agentsSeeOwnRecordsOnly: false });
    }
  });

  it("counts a small workspace exactly, without estimate marks", async () => {
    const { totals } = await dashboardOf(small.viewer);
    expect(totals).toMatchObject({ contacts: 1, companies: 1 });
    expect(totals).not.toHaveProperty("contactsIsEstimate");
    expect(totals).not.toHaveProperty("companiesIsEstimate");
  });

  it("declares the estimate marks in the API document", async () => {
    const document = (await app.inject({ method: "GET", url: "/api/docs/json" })).json();
    const schema = document.paths["/api/v1/dashboard"].get.responses["200"].content["application/json"].schema;
    expect(JSON.stringify(schema)).toContain("contactsIsEstimate");
    expect(JSON.stringify(schema)).toContain("companiesIsEstimate");
  });
});
