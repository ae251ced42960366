import type { FastifyInstance } from "fastify";
import { Redis } from "ioredis";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Dashboard } from "../../../shared/schemas/dashboard.ts";
import { cacheCounters } from "../../lib/cache.ts";
import { newId } from "../../lib/ids.ts";
import {
  Client,
  createTestApp,
  createTestWorkspace,
  type Member,
  type TestWorkspace,
} from "../../test/create-test-app.ts";
import { freePort } from "../../test/ports.ts";

// eslint-disable-next-line n/no-process-env -- CI sets it; without a Redis the shared-cache tests are skipped
const testRedisUrl = process.env.TEST_REDIS_URL;
// eslint-disable-next-line n/no-process-env -- transactions running side by side need a PostgreSQL server
const testDatabaseUrl = process.env.TEST_DATABASE_URL;

/**
 * The dashboard's figures are kept between requests (dashboard.cache.ts): these tests check that
 * what is kept is never wrong. Every change through the API shows in the very next answer, and a
 * workspace or a member never gets another's figures, with or without Redis.
 */

let app: FastifyInstance;

beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

const hour = 3_600_000;
/** An explicit period: the same key whichever app or moment asks. */
const window = `from=${new Date(Date.now() - 48 * hour).toISOString()}&to=${new Date(Date.now() + hour).toISOString()}`;

async function dashboardOf(member: Member | Client, query = window): Promise<Dashboard> {
  const client = member instanceof Client ? member : member.client;
  const response = await client.get(`/api/v1/dashboard?${query}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

async function post(member: Member, path: string, body: Record<string, unknown>): Promise<{ id: string }> {
  const response = await member.client.post(`/api/v1/${path}`, body);
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

async function patch(member: Member, path: string, body: Record<string, unknown>): Promise<void> {
  const response = await member.client.patch(`/api/v1/${path}`, body);
  expect(response.statusCode, response.body).toBe(200);
}

const hits = () => cacheCounters().dashboard?.hits ?? 0;

describe("GET /api/v1/dashboard, answered from the cache", () => {
  let ws: TestWorkspace;
  beforeAll(async () => {
    ws = await createTestWorkspace(app, "Cached dashboard");
  });

  it("answers a repeated request from the cache, with the same figures", async () => {
    const first = await dashboardOf(ws.admin);
    const before = hits();
    expect(await dashboardOf(ws.admin)).toEqual(first);
    expect(hits()).toBe(before + 1);
  });

  it("shows a new or deleted contact in the next answer", async () => {
    const before = (await dashboardOf(ws.admin)).totals.contacts;
    const contact = await post(ws.admin, "contacts", { firstName: "Ada", lastName: "Lovelace" });
    expect((await dashboardOf(ws.admin)).totals.contacts).toBe(before + 1);
    expect((await dashboardOf(ws.admin)).recent[0]).toMatchObject({ id: contact.id, title: "Ada Lovelace" });
    expect((await ws.admin.client.delete(`/api/v1/contacts/${contact.id}`)).statusCode).toBe(204);
    expect((await dashboardOf(ws.admin)).totals.contacts).toBe(before);
  });

  it("shows a deal's new value in the totals and its pipeline stage in the next answer", async () => {
    const deal = await post(ws.admin, "deals", { name: "Big one", value: "100.00" });
    const amountsOf = (dashboard: Dashboard) => dashboard.totals.openDeals.amounts;
    expect(amountsOf(await dashboardOf(ws.admin))).toEqual([
      { currency: "USD", value: "100.00", weightedValue: "10.00" },
    ]);
    await patch(ws.admin, `deals/${deal.id}`, { value: "250.00" });
    const after = await dashboardOf(ws.admin);
    expect(amountsOf(after)).toEqual([{ currency: "USD", value: "250.00", weightedValue: "25.00" }]);
    expect(after.pipeline?.stages.find((stage) => stage.count > 0)?.amounts[0]?.value).toBe("250.00");
  });

  it("shows a task completed in the workspace's and its assignee's counts in the next answer", async () => {
    const task = await post(ws.admin, "tasks", {
      title: "Call back",
      dueAt: new Date(Date.now() - hour).toISOString(),
      assigneeId: ws.agent.userId,
    });
    const before = await dashboardOf(ws.agent);
    expect(before.tasks).toMatchObject({ overdue: 1, mine: { open: 1, overdue: 1 } });
    await patch(ws.manager, `tasks/${task.id}`, { status: "completed" });
    const after = await dashboardOf(ws.agent);
    expect(after.tasks).toEqual({ open: 0, dueToday: 0, overdue: 0, mine: { open: 0, dueToday: 0, overdue: 0 } });
    expect(after.totals.openTasks).toBe(0);
  });

  it("follows a change of the workspace's settings: base currency and activity type labels", async () => {
    await dashboardOf(ws.admin);
    await patch(ws.admin, "workspace", { baseCurrency: "EUR" });
    expect((await dashboardOf(ws.admin)).baseCurrency).toBe("EUR");
    await patch(ws.admin, "workspace", {
      activityTypes: [
        { key: "call", label: "Phone call" },
        { key: "note", label: "Note" },
      ],
    });
    expect((await dashboardOf(ws.admin)).activitiesByType.types).toEqual([
      { key: "call", label: "Phone call" },
      { key: "note", label: "Note" },
    ]);
  });
});

describe("GET /api/v1/dashboard, while transactions run side by side", () => {
  it.skipIf(!testDatabaseUrl)(
    "shows a change whose transaction began before the newest change but committed after the figures were kept",
    async () => {
      const ws = await createTestWorkspace(app, "Late commit");
      const open = new pg.Client({ connectionString: testDatabaseUrl });
      await open.connect();
      try {
        // A change that takes its transaction id first, and commits last.
        await open.query("begin");
        const contactId = newId();
        await open.query("insert into contacts (workspace_id, id, first_name) values ($1, $2, 'Late')", [
          ws.id,
          contactId,
        ]);
        await open.query(
          `insert into outbox_events (workspace_id, id, type, resource_type, resource_id, payload)
           values ($1, $2, 'contact.created', 'contact', $3, '{}')`,
          [ws.id, newId(), contactId],
        );
        await post(ws.admin, "contacts", { firstName: "Early" });
        expect((await dashboardOf(ws.admin)).totals.contacts).toBe(1);
        const before = hits();
        expect((await dashboardOf(ws.admin)).totals.contacts).toBe(1);
        expect(hits()).toBe(before + 1);
        await open.query("commit");
        expect((await dashboardOf(ws.admin)).totals.contacts).toBe(2);
      } finally {
        await open.query("rollback").catch(() => undefined);
        await open.end();
      }
    },
  );
});

describe("GET /api/v1/dashboard, kept apart", () => {
  it("never answers one workspace with another's figures", async () => {
    const [north, south] = [await createTestWorkspace(app, "North"), await createTestWorkspace(app, "South")];
    await post(north.admin, "contacts", { firstName: "Only", lastName: "North" });
    expect((await dashboardOf(north.admin)).totals.contacts).toBe(1);
    expect((await dashboardOf(south.admin)).totals.contacts).toBe(0);
    expect((await dashboardOf(north.viewer)).totals.contacts).toBe(1);
    expect((await dashboardOf(south.viewer)).recent).toEqual([]);
  });

  it("gives each member their own task counts, whoever asked first", async () => {
    const ws = await createTestWorkspace(app, "Own tasks");
    const overdue = new Date(Date.now() - hour).toISOString();
    await post(ws.admin, "tasks", { title: "A", dueAt: overdue, assigneeId: ws.agent.userId });
    await post(ws.admin, "tasks", { title: "B", dueAt: overdue, assigneeId: ws.agent.userId });
    await post(ws.admin, "tasks", { title: "C", assigneeId: ws.manager.userId });
    // The agent's answer is kept first; the others share its workspace figures, not its own counts.
    expect((await dashboardOf(ws.agent)).tasks.mine).toEqual({ open: 2, dueToday: 0, overdue: 2 });
    expect((await dashboardOf(ws.agent)).tasks.mine).toEqual({ open: 2, dueToday: 0, overdue: 2 });
    expect((await dashboardOf(ws.manager)).tasks.mine).toEqual({ open: 1, dueToday: 0, overdue: 0 });
    expect((await dashboardOf(ws.viewer)).tasks).toEqual({
      open: 3,
      dueToday: 0,
      overdue: 2,
      mine: { open: 0, dueToday: 0, overdue: 0 },
    });
  });
});

describe("GET /api/v1/dashboard with Redis", () => {
  it("answers, and follows changes, when Redis cannot be reached", async () => {
    const unreachable = await createTestApp({ env: { REDIS_URL: `redis://127.0.0.1:${await freePort()}` } });
    try {
      const ws = await createTestWorkspace(unreachable, "Redis down");
      expect((await dashboardOf(ws.admin)).totals.contacts).toBe(0);
      await post(ws.admin, "contacts", { firstName: "Still", lastName: "Counted" });
      expect((await dashboardOf(ws.admin)).totals.contacts).toBe(1);
      expect(cacheCounters().dashboard?.redisErrors).toBeGreaterThan(0);
    } finally {
      await unreachable.close();
    }
  });

  describe.runIf(testRedisUrl)("shared by two Keel processes (TEST_REDIS_URL)", () => {
    let first: FastifyInstance;
    let second: FastifyInstance;
    let redis: Redis;
    beforeAll(async () => {
      const env = { REDIS_URL: testRedisUrl ?? "" };
      [first, second] = [await createTestApp({ env }), await createTestApp({ env })];
      redis = new Redis(testRedisUrl ?? "");
    });
    afterAll(async () => {
      redis.disconnect();
      await Promise.all([first.close(), second.close()]);
    });

    it("answers in one process what the other computed, and a change made through either in the next answer", async () => {
      const ws = await createTestWorkspace(first, "Two processes");
      const onSecond = new Client(second, ws.admin.client.token, ws.id);
      // A period of its own: nothing another run left in Redis can match it.
      const query = `from=${new Date(Date.now() - 24 * hour).toISOString()}&to=${new Date().toISOString()}&bucket=day`;
      await post(ws.admin, "contacts", { firstName: "Ada" });
      expect((await dashboardOf(ws.admin, query)).totals.contacts).toBe(1);
      const before = hits();
      expect((await dashboardOf(onSecond, query)).totals.contacts).toBe(1);
      expect(hits()).toBe(before + 1);
      expect(await redis.keys("keel:cache:dashboard:*")).not.toHaveLength(0);

      const created = await onSecond.post("/api/v1/contacts", { firstName: "Grace", email: `${newId()}@example.com` });
      expect(created.statusCode).toBe(201);
      expect((await dashboardOf(ws.admin, query)).totals.contacts).toBe(2);
      expect((await dashboardOf(onSecond, query)).totals.contacts).toBe(2);
    });
  });
});
