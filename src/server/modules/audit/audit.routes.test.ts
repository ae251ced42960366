import { sql } from "drizzle-orm";
import pg from "pg";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuditEntry } from "../../../shared/schemas/audit.ts";
import { withWorkspaceTransaction } from "../../db/transaction.ts";
import { createTestApp, createTestWorkspace, testDatabase, type TestWorkspace } from "../../test/create-test-app.ts";
import { verifyAuditCommand } from "../../cli/audit.ts";
import { nextToSeal, sealAll, verifyAuditChains } from "./audit.chain.ts";

// eslint-disable-next-line n/no-process-env -- tests choose their database like CI does
const testDatabaseUrl = process.env.TEST_DATABASE_URL;

let app: FastifyInstance;
let ws: TestWorkspace;
let other: TestWorkspace;

beforeAll(async () => {
  app = await createTestApp();
  ws = await createTestWorkspace(app, "Audited");
  other = await createTestWorkspace(app, "Elsewhere");
});
afterAll(() => app.close());

const unique = () => `${Date.now()}${Math.random().toString(36).slice(2, 8)}`;

async function rows<T>(query: ReturnType<typeof sql>): Promise<T[]> {
  const { db } = await testDatabase();
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}

async function createContact(client = ws.manager.client, body: Record<string, unknown> = {}) {
  const response = await client.post("/api/v1/contacts", { firstName: "Ada", lastName: unique(), ...body });
  expect(response.statusCode).toBe(201);
  return response.json<{ id: string; version: number; lastName: string }>();
}

describe("audit entries of record changes", () => {
  it("records who changed which field from what to what, with IP, user agent and request id", async () => {
    const contact = await createContact();
    const patched = await ws.manager.client.patch(`/api/v1/contacts/${contact.id}`, { jobTitle: "CTO", tags: ["vip"] });
    expect(patched.statusCode).toBe(200);
    const history = await ws.manager.client.get(`/api/v1/contacts/${contact.id}/history`);
    expect(history.statusCode).toBe(200);
    const [updated, created] = history.json<{ data: AuditEntry[] }>().data;
    expect(updated).toMatchObject({
      action: "contact.updated",
      resourceType: "contact",
      resourceId: contact.id,
      actor: { type: "user", id: ws.manager.userId, name: "Manager" },
      changes: { jobTitle: [null, "CTO"], tags: [[], ["vip"]] },
      ipAddress: "127.0.0.1",
      userAgent: expect.any(String),
      requestId: expect.any(String),
    });
    expect(created).toMatchObject({ action: "contact.created", changes: { firstName: [null, "Ada"] } });
    expect(Object.keys(updated?.changes ?? {})).not.toContain("version");
  });

  it("lets admins filter the log by action prefix, resource and actor, paged newest first", async () => {
    const contact = await createContact();
    for (const jobTitle of ["A", "B", "C"]) await ws.admin.client.patch(`/api/v1/contacts/${contact.id}`, { jobTitle });
    const query = `resourceId=${contact.id}&action=contact.&actorId=${ws.admin.userId}&limit=2`;
    const first = await ws.admin.client.get(`/api/v1/audit-logs?${query}`);
    expect(first.statusCode).toBe(200);
    const page = first.json<{ data: AuditEntry[]; nextCursor: string }>();
    expect(page.data.map((e) => e.changes?.jobTitle?.[1])).toEqual(["C", "B"]);
    const second = await ws.admin.client.get(`/api/v1/audit-logs?${query}&cursor=${page.nextCursor}`);
    expect(second.json<{ data: AuditEntry[] }>().data.map((e) => e.changes?.jobTitle?.[1])).toEqual(["A"]);
    const bad = await ws.admin.client.get(`/api/v1/audit-logs?cursor=not-a-cursor`);
    expect(bad.statusCode).toBe(400);
  });

  it("shows the log to admins only and a history to managers and admins", async () => {
    expect((await ws.manager.client.get("/api/v1/audit-logs")).statusCode).toBe(403);
    expect((await ws.agent.client.get("/api/v1/audit-logs")).statusCode).toBe(403);
    const mine = await createContact(ws.agent.client);
    const theirs = await createContact(ws.manager.client);
    expect((await ws.manager.client.get(`/api/v1/contacts/${mine.id}/history`)).statusCode).toBe(200);
    expect((await ws.admin.client.get(`/api/v1/contacts/${theirs.id}/history`)).statusCode).toBe(200);
    // Agents see no history, not even of the records they own (PRODUCT.md §2).
    expect((await ws.agent.client.get(`/api/v1/contacts/${mine.id}/history`)).statusCode).toBe(403);
    expect((await ws.agent.client.get(`/api/v1/contacts/${theirs.id}/history`)).statusCode).toBe(403);
    expect((await ws.viewer.client.get(`/api/v1/contacts/${mine.id}/history`)).statusCode).toBe(403);
    expect((await other.admin.client.get(`/api/v1/contacts/${mine.id}/history`)).statusCode).toBe(404);
    const otherLog = await other.admin.client.get(`/api/v1/audit-logs?resourceId=${mine.id}`);
    expect(otherLog.json<{ data: AuditEntry[] }>().data).toEqual([]);
  });

  it("audits a refused request with who, the route and why", async () => {
    const contact = await createContact();
    const refused = await ws.agent.client.delete(`/api/v1/contacts/${contact.id}`);
    expect(refused.statusCode).toBe(403);
    const log = await ws.admin.client.get(`/api/v1/audit-logs?action=access.denied&actorId=${ws.agent.userId}`);
    const [denial] = log.json<{ data: AuditEntry[] }>().data;
    expect(denial).toMatchObject({
      action: "access.denied",
      actor: { type: "user", id: ws.agent.userId },
      details: { method: "DELETE", route: "/api/v1/contacts/:id", reason: expect.stringContaining("cannot delete") },
      requestId: refused.headers["x-request-id"],
    });
  });

  it("leaves no entry and no event for a change that was rolled back", async () => {
    const taken = `taken.${unique()}@example.com`;
    const fresh = `fresh.${unique()}@example.com`;
    expect((await ws.admin.client.post("/api/v1/contacts", { firstName: "Taken", email: taken })).statusCode).toBe(201);
    // A vCard import is all or nothing: the first card's contact is created, the second card's
    // e-mail is taken, and the first is rolled back with it.
    const cards = [`FN:Fresh Card\r\nEMAIL:${fresh}`, `FN:Clashing Card\r\nEMAIL:${taken}`]
      .map((lines) => `BEGIN:VCARD\r\nVERSION:4.0\r\n${lines}\r\nEND:VCARD\r\n`)
      .join("");
    const response = await ws.admin.client.post("/api/v1/contacts/vcards", cards, {
      "content-type": "text/vcard; charset=utf-8",
    });
    expect(response.statusCode).toBe(409);
    const [audit] = await rows<{ n: number }>(
      sql`select count(*)::int as n from audit_logs where workspace_id = ${ws.id} and changes->'email'->>1 = ${fresh}`,
    );
    const [events] = await rows<{ n: number }>(
      sql`select count(*)::int as n from outbox_events where workspace_id = ${ws.id} and payload->'record'->>'email' = ${fresh}`,
    );
    expect(audit?.n).toBe(0);
    expect(events?.n).toBe(0);
  });
});

describe("every change is an event", () => {
  it("gives every record as many created/updated/deleted/restored events as its version", async () => {
    const client = ws.admin.client;
    const pipeline = (
      await client.post("/api/v1/pipelines", {
        name: `Admissions ${unique()}`,
        stages: [{ name: "Applied" }, { name: "Enrolled" }],
      })
    ).json<{ id: string; version: number; stages: { id: string; name: string }[] }>();
    const [applied, enrolled] = pipeline.stages;
    const deal = (
      await client.post("/api/v1/deals", {
        name: "Student",
        value: "10.00",
        pipelineId: pipeline.id,
        stageId: applied?.id,
      })
    ).json<{ id: string }>();
    await client.patch(`/api/v1/deals/${deal.id}`, { stageId: enrolled?.id });
    // Marking the stage won moves its deals to won, as changes of their own.
    const stages = pipeline.stages.map((s) => ({ id: s.id, name: s.name, isWon: s.name === "Enrolled" }));
    expect((await client.patch(`/api/v1/pipelines/${pipeline.id}`, { stages })).statusCode).toBe(200);
    const task = (await client.post("/api/v1/tasks", { title: "Call" })).json<{ id: string }>();
    await client.post(`/api/v1/tasks/${task.id}/complete`);
    await client.post(`/api/v1/tasks/${task.id}/reopen`);
    const lead = (await client.post("/api/v1/leads", { title: `Lead ${unique()}` })).json<{ id: string }>();
    await client.patch(`/api/v1/leads/${lead.id}`, { status: "qualified" });
    await client.post(`/api/v1/leads/${lead.id}/convert`, {
      deal: {},
      contact: { firstName: "Lin", lastName: unique() },
    });
    const contact = await createContact(client);
    await client.delete(`/api/v1/contacts/${contact.id}`);
    await client.post(`/api/v1/contacts/${contact.id}/restore`);

    const mismatches = await rows<{ id: string; version: number; events: number }>(sql`
      with records as (
        select id, version from contacts where workspace_id = ${ws.id}
        union all select id, version from companies where workspace_id = ${ws.id}
        union all select id, version from leads where workspace_id = ${ws.id}
        union all select id, version from deals where workspace_id = ${ws.id}
        union all select id, version from tasks where workspace_id = ${ws.id}
        union all select id, version from activities where workspace_id = ${ws.id}
        union all select id, version from pipelines where workspace_id = ${ws.id})
      select r.id, r.version, count(e.id)::int as events from records r
      left join outbox_events e on e.workspace_id = ${ws.id} and e.resource_id = r.id
        and e.type ~ '\\.(created|updated|deleted|restored)$'
      group by r.id, r.version having count(e.id) <> r.version`);
    expect(mismatches).toEqual([]);
    const won = await rows<{ type: string }>(
      sql`select type from outbox_events where resource_id = ${deal.id} and type = 'deal.won'`,
    );
    expect(won).toHaveLength(1);
  });
});

describe("an append-only, hash-chained log", () => {
  it("refuses UPDATE, DELETE and TRUNCATE of entries, and rewrites of events, to the app role", async () => {
    await createContact();
    const { db } = await testDatabase();
    for (const statement of [
      sql`update audit_logs set action = 'x'`,
      sql`delete from audit_logs`,
      sql`truncate audit_logs`,
      sql`update outbox_events set payload = '{}'`,
      sql`delete from outbox_events`,
    ]) {
      await expect(
        withWorkspaceTransaction(db, ws.id, (tx) => tx.execute(statement)),
        String(statement.queryChunks[0]),
      ).rejects.toMatchObject({ cause: expect.objectContaining({ code: "42501" }) });
    }
  });

  /**
   * The workspace's chain after sealing, sealed again while entries wait: on a shared test server
   * another file's transaction still open (older than these entries) holds sealing back until it
   * ends, as it should; that wait is bounded here.
   */
  async function sealedOnceOthersEnd(workspaceId: string) {
    const { db } = await testDatabase();
    for (let tries = 0; ; tries++) {
      await sealAll(db);
      const [chain] = await verifyAuditChains(db, workspaceId);
      if (chain?.unsealed === 0 || chain?.broken || tries === 100) return chain;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it("seals entries into a chain that verifies, and finds an entry the owner changed or removed", async () => {
    const audited = await createTestWorkspace(app, "Chained");
    const contact = await createContact(audited.admin.client);
    for (const jobTitle of ["One", "Two", "Three"]) {
      await audited.admin.client.patch(`/api/v1/contacts/${contact.id}`, { jobTitle });
    }
    const { db } = await testDatabase();
    const clean = await sealedOnceOthersEnd(audited.id);
    // The workspace's creation and its default pipeline come first, then the contact's four entries.
    expect(clean).toMatchObject({ workspaceId: audited.id, sealed: 6, unsealed: 0, broken: null });
    const listed = await audited.admin.client.get(`/api/v1/audit-logs?resourceId=${contact.id}`);
    expect(listed.json<{ data: AuditEntry[] }>().data.every((entry) => entry.sealed)).toBe(true);

    // The owner role can still write the table (the sealer is the owner); the chain shows it.
    const sealOf = (seq: string) => sql`(select workspace_id, occurred_at, entry_id from audit_seals
      where workspace_id = ${audited.id} and chain_seq ${sql.raw(seq)})`;
    await db.execute(sql`update audit_logs set changes = '{"jobTitle": ["One", "Forged"]}'
      where (workspace_id, occurred_at, id) in ${sealOf("= 5")}`);
    const [tampered] = await verifyAuditChains(db, audited.id);
    expect(tampered?.broken).toMatchObject({ chainSeq: 5, reason: expect.stringContaining("hash") });
    expect(await verifyAuditCommand(db, audited.id)).toBe(1);

    await db.execute(sql`delete from audit_logs where (workspace_id, occurred_at, id) in ${sealOf(">= 5")}`);
    const [removed] = await verifyAuditChains(db, audited.id);
    expect(removed?.broken).toMatchObject({ reason: expect.stringContaining("removed") });
  });

  it("reads the entries after where it stopped as a range of the order's index, not the whole log", async () => {
    const { db } = await testDatabase();
    await sealAll(db);
    const plan = await db.transaction(async (tx) => {
      // However few entries the test database holds, the plan a large log gets.
      await tx.execute(sql`set local enable_seqscan = off`);
      const result = await tx.execute(sql`explain (costs off) ${nextToSeal(2000)}`);
      return (result as unknown as { rows: Record<string, string>[] }).rows
        .map((row) => Object.values(row)[0])
        .join("\n");
    });
    expect(plan).toMatch(/Index Cond: \(\(ROW\(xact_id, occurred_at, id\) > ROW\(/);
    expect(plan).not.toMatch(/Filter: \(ROW/);
  });

  // Two transactions at once need a server: the embedded database has one connection.
  it.skipIf(!testDatabaseUrl)(
    "seals an entry of a transaction that ends after later ones were sealed, once, in its chain",
    async () => {
      const audited = await createTestWorkspace(app, "Late commit");
      const { db } = await testDatabase();
      const open = new pg.Client({ connectionString: testDatabaseUrl });
      await open.connect();
      try {
        // An entry written first (earlier transaction id and time) by a transaction that stays open…
        await open.query("begin");
        await open.query(
          `insert into audit_logs (workspace_id, id, actor_type, action) values ($1, gen_random_uuid(), 'system', 'test.late')`,
          [audited.id],
        );
        // …while a later change commits: its entry waits, since the open transaction could still
        // have written entries before it.
        await createContact(audited.admin.client);
        await sealAll(db);
        const [before] = await verifyAuditChains(db, audited.id);
        expect(before?.broken).toBeNull();
        expect(before?.unsealed).toBeGreaterThan(0);
        await open.query("commit");
        const after = await sealedOnceOthersEnd(audited.id);
        expect(after).toMatchObject({ broken: null, unsealed: 0, sealed: before!.sealed + before!.unsealed + 1 });
      } finally {
        await open.query("rollback").catch(() => undefined);
        await open.end();
      }
    },
  );
});
