import { and, eq, sql } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../config.ts";
import { createLogger } from "../../http/logging.ts";
import { startWorkers, type JobRuntime } from "../../jobs/index.ts";
import { createTestApp, createTestWorkspace, testDatabase, type TestWorkspace } from "../../test/create-test-app.ts";
import { auditLogs } from "../audit/audit.table.ts";
import { pruneBulkRecords, runBulkOperation } from "./records.bulk.jobs.ts";
import { bulkOperationRecords, bulkOperations } from "./records.bulk.table.ts";

let app: FastifyInstance;
let runtime: JobRuntime;
let ws: TestWorkspace;
const source = `job-${Date.now()}`;
const total = 2_500;

beforeAll(async () => {
  const config = parseConfig({ NODE_ENV: "test", LOG_LEVEL: "silent" });
  runtime = await startWorkers({
    connection: await testDatabase(),
    config,
    logger: createLogger(config),
    definitions: [runBulkOperation],
    loops: [],
    stopTimeoutMs: 1_000,
  });
  app = await createTestApp({ jobs: runtime });
  ws = await createTestWorkspace(app, "Bulk jobs");
  // Inserted in one statement: the test is about the bulk action, not about creating contacts.
  const { db } = await testDatabase();
  await db.execute(sql`insert into contacts (workspace_id, id, first_name, last_name, owner_id, created_by, source)
    select ${ws.id}, gen_random_uuid(), 'Job', 'Contact ' || n, ${ws.agent.userId}, ${ws.agent.userId}, ${source}
    from generate_series(1, ${total}) as n`);
}, 60_000);

afterAll(async () => {
  await app?.close();
  await runtime?.stop();
});

type Operation = { status: string; matched: number; done: number; updated: number; refusedCount: number };

async function waitForEnd(operationId: string): Promise<{ seen: Operation[]; last: Operation }> {
  const seen: Operation[] = [];
  for (let attempt = 0; attempt < 600; attempt++) {
    const operation = (await ws.manager.client.get(`/api/v1/bulk-operations/${operationId}`)).json<Operation>();
    seen.push(operation);
    if (operation.status === "completed" || operation.status === "failed") return { seen, last: operation };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("the bulk operation did not finish");
}

describe("a bulk action over 1,000 records", () => {
  it("runs as a job with progress to completion, and undoes as a whole", async () => {
    const response = await ws.manager.client.post("/api/v1/contacts/bulk", {
      action: "update",
      filter: { "filter[source]": source },
      fields: { lifecycle: "customer" },
    });
    expect(response.statusCode, response.body).toBe(202);
    const { operationId, status } = response.json();
    expect(status).toBe("queued");

    const { seen, last } = await waitForEnd(operationId);
    expect(last).toMatchObject({ status: "completed", matched: total, done: total, updated: total, refusedCount: 0 });
    for (const [index, operation] of seen.entries()) {
      expect(["queued", "running", "completed"]).toContain(operation.status);
      if (index > 0) expect(operation.done).toBeGreaterThanOrEqual(seen[index - 1]!.done);
    }
    const count = await ws.manager.client.get(
      `/api/v1/contacts/count?filter[source]=${source}&filter[lifecycle]=customer`,
    );
    expect(count.json().count).toBe(total);

    const { db } = await testDatabase();
    const [perRecord] = (
      (await db.execute(sql`select count(*)::int as n from audit_logs
        where workspace_id = ${ws.id} and action = 'contact.updated' and details->>'bulkOperationId' = ${operationId}`)) as unknown as {
        rows: { n: number }[];
      }
    ).rows;
    expect(perRecord?.n).toBe(total);
    const [entry] = await db
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.workspaceId, ws.id), eq(auditLogs.resourceId, operationId)));
    expect(entry).toMatchObject({
      action: "bulk_operation.completed",
      details: expect.objectContaining({ updated: total }),
    });

    const undone = await ws.manager.client.post(`/api/v1/bulk-operations/${operationId}/undo`);
    expect(undone.json()).toMatchObject({ reverted: total, refusedCount: 0 });
    const leads = await ws.manager.client.get(`/api/v1/contacts/count?filter[source]=${source}&filter[lifecycle]=lead`);
    expect(leads.json().count).toBe(total);
  }, 120_000);

  it("queues the job only once the request has committed, also with an Idempotency-Key", async () => {
    const body = { action: "addTags", filter: { "filter[source]": source }, tags: ["idempotent"] };
    const headers = { "idempotency-key": `bulk-${source}` };
    const response = await ws.manager.client.post("/api/v1/contacts/bulk", body, headers);
    expect(response.statusCode, response.body).toBe(202);
    const { last } = await waitForEnd(response.json().operationId);
    expect(last).toMatchObject({ status: "completed", matched: total, updated: total });
    const replay = await ws.manager.client.post("/api/v1/contacts/bulk", body, headers);
    expect(replay.json()).toEqual(response.json());
  }, 120_000);

  it("prunes the kept values of operations past the undo window, and only those", async () => {
    const ids = (await ws.manager.client.get(`/api/v1/contacts?filter[source]=${source}&limit=3`))
      .json()
      .data.map((c: { id: string }) => c.id);
    const recent = (
      await ws.manager.client.post("/api/v1/contacts/bulk", { action: "addTags", ids, tags: ["a"] })
    ).json();
    const old = (await ws.manager.client.post("/api/v1/contacts/bulk", { action: "addTags", ids, tags: ["b"] })).json();
    const { db } = await testDatabase();
    await db
      .update(bulkOperations)
      .set({ createdAt: sql`now() - interval '25 hours'` })
      .where(eq(bulkOperations.id, old.operationId));
    expect(await pruneBulkRecords(db)).toBeGreaterThanOrEqual(3);
    const kept = async (operationId: string) =>
      (await db.select().from(bulkOperationRecords).where(eq(bulkOperationRecords.operationId, operationId))).length;
    expect(await kept(old.operationId)).toBe(0);
    expect(await kept(recent.operationId)).toBe(3);
  });
});
