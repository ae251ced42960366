import { sql } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Dashboard } from "../../../shared/schemas/dashboard.ts";
import type { Pipeline } from "../../../shared/schemas/pipeline.ts";
import { withWorkspaceTransaction } from "../../db/transaction.ts";
import { createTestApp, createTestWorkspace, testDatabase, type TestWorkspace } from "../../test/create-test-app.ts";
import { compactDashboardTallies } from "./dashboard.jobs.ts";

/**
 * The dashboard's lead and deal figures come from tallies kept by triggers (dashboard.table.ts).
 * After every kind of write — one by one, in bulk, deleted, restored, moved between stages, their
 * values changed, undone — and after compaction, they must equal a count of the rows themselves.
 */

let app: FastifyInstance;
let ws: TestWorkspace;
let stages: Record<string, string>;
let pipelineId: string;

beforeAll(async () => {
  app = await createTestApp();
  ws = await createTestWorkspace(app, "Tallied");
  const [sales] = (await ws.admin.client.get("/api/v1/pipelines?filter[isDefault]=true")).json().data as Pipeline[];
  pipelineId = sales!.id;
  stages = Object.fromEntries((sales?.stages ?? []).map((stage) => [stage.name, stage.id]));
});
afterAll(() => app.close());

type Row = Record<string, unknown>;
const rowsOf = async (query: ReturnType<typeof sql>) =>
  ((await (await testDatabase()).db.execute(query)) as unknown as { rows: Row[] }).rows;

/** What the dashboard shows of leads and deals, as the API answers it. */
async function shown() {
  const response = await ws.admin.client.get("/api/v1/dashboard");
  expect(response.statusCode, response.body).toBe(200);
  const dashboard = response.json<Dashboard>();
  return {
    leadsByStatus: dashboard.leadsByStatus,
    openDeals: dashboard.totals.openDeals,
    stages: dashboard.pipeline?.stages.map(({ id, count, amounts }) => ({ id, count, amounts })),
  };
}

/** The same figures counted from the rows themselves. */
async function counted() {
  const leads = await rowsOf(sql`select status, count(*)::int as count from leads
    where workspace_id = ${ws.id} and deleted_at is null group by status`);
  const statuses = ["new", "contacted", "qualified", "converted", "lost"];
  const amounts = (where: ReturnType<typeof sql>, by: string) =>
    rowsOf(sql`select ${sql.raw(by)}, count(*)::int as count, round(sum(value), 2)::text as value,
      round(sum(value * probability) / 100, 2)::text as weighted_value
      from deals where workspace_id = ${ws.id} and deleted_at is null and ${where}
      group by ${sql.raw(by)} order by ${sql.raw(by)}`);
  const open = await amounts(sql`status = 'open'`, "currency");
  const perStage = await amounts(sql`pipeline_id = ${pipelineId}`, "stage_id, currency");
  const [sales] = (await ws.admin.client.get("/api/v1/pipelines?filter[isDefault]=true")).json().data as Pipeline[];
  // Alphabetical by currency, the workspace's base currency first (as the dashboard shows them).
  const [{ base } = { base: "" }] = await rowsOf(sql`select base_currency as base from workspaces where id = ${ws.id}`);
  const baseFirst = <T extends { currency: unknown }>(amounts: T[]) =>
    [...amounts].sort((a, b) => Number(b.currency === base) - Number(a.currency === base));
  return {
    leadsByStatus: statuses.map((status) => ({
      status,
      count: leads.find((row) => row.status === status)?.count ?? 0,
    })),
    openDeals: {
      count: open.reduce((sum, row) => sum + Number(row.count), 0),
      amounts: baseFirst(
        open.map((row) => ({ currency: row.currency, value: row.value, weightedValue: row.weighted_value })),
      ),
    },
    stages: sales!.stages
      .filter((stage) => !stage.archivedAt)
      .map((stage) => {
        const rows = perStage.filter((row) => row.stage_id === stage.id);
        return {
          id: stage.id,
          count: rows.reduce((sum, row) => sum + Number(row.count), 0),
          amounts: baseFirst(
            rows.map((row) => ({ currency: row.currency, value: row.value, weightedValue: row.weighted_value })),
          ),
        };
      }),
  };
}

async function created(path: string, body: Record<string, unknown>): Promise<string> {
  const response = await ws.admin.client.post(`/api/v1/${path}`, body);
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ id: string }>().id;
}

async function expectTalliesTrue(): Promise<Awaited<ReturnType<typeof counted>>> {
  const truth = await counted();
  expect(await shown()).toEqual(truth);
  return truth;
}

describe("the dashboard's tallies of leads and deals", () => {
  it("stay equal to a count of the rows through every kind of write, and through compaction", async () => {
    const statuses = ["new", "contacted", "qualified", "lost", "new", "contacted"];
    const leads = [];
    for (const [i, status] of statuses.entries())
      leads.push(
        await created("leads", { title: `Lead ${i}`, status, ...(status === "lost" ? { lostReason: "Budget" } : {}) }),
      );
    const deals = [];
    for (const [i, [stage, currency, value]] of (
      [
        ["Lead", "EUR", "1000.50"],
        ["Lead", "USD", "250.00"],
        ["Qualified", "EUR", "99.99"],
        ["Proposal", "GBP", "12000.00"],
        ["Qualified", "EUR", "0.01"],
      ] as const
    ).entries())
      deals.push(await created("deals", { name: `Deal ${i}`, stageId: stages[stage], currency, value }));
    const first = await expectTalliesTrue();
    expect(first.openDeals.count).toBe(5);

    // One by one: a status, a stage (and with it probability and status), a value, a currency.
    await ws.admin.client.patch(`/api/v1/leads/${leads[0]}`, { status: "qualified" });
    await ws.admin.client.patch(`/api/v1/leads/${leads[1]}`, { title: "Only the title" });
    await ws.admin.client.patch(`/api/v1/deals/${deals[0]}`, { stageId: stages["Closed won"] });
    await ws.admin.client.patch(`/api/v1/deals/${deals[1]}`, { value: "300.25" });
    await ws.admin.client.patch(`/api/v1/deals/${deals[2]}`, { currency: "USD" });
    await expectTalliesTrue();

    // Deleted and restored.
    expect((await ws.admin.client.delete(`/api/v1/leads/${leads[2]}`)).statusCode).toBe(204);
    expect((await ws.admin.client.delete(`/api/v1/deals/${deals[3]}`)).statusCode).toBe(204);
    expect((await ws.admin.client.delete(`/api/v1/deals/${deals[4]}`)).statusCode).toBe(204);
    expect((await ws.admin.client.post(`/api/v1/deals/${deals[4]}/restore`)).statusCode).toBe(200);
    await expectTalliesTrue();

    // In bulk (one statement for many rows), then undone.
    const bulk = await ws.admin.client.post("/api/v1/leads/bulk", {
      action: "update",
      ids: leads,
      fields: { status: "contacted" },
    });
    expect(bulk.statusCode, bulk.body).toBe(200);
    await expectTalliesTrue();
    const moved = await ws.admin.client.post("/api/v1/deals/bulk", {
      action: "update",
      ids: deals,
      fields: { stageId: stages["Qualified"] },
    });
    expect(moved.statusCode, moved.body).toBe(200);
    await expectTalliesTrue();
    const undone = await ws.admin.client.post(`/api/v1/bulk-operations/${bulk.json().operationId}/undo`);
    expect(undone.statusCode, undone.body).toBeLessThan(300);
    await expectTalliesTrue();

    // Compaction folds each key's rows into one and changes no figure.
    const rowsBefore = await rowsOf(
      sql`select count(*)::int as rows from dashboard_tallies where workspace_id = ${ws.id}`,
    );
    const before = await shown();
    await compactDashboardTallies((await testDatabase()).db);
    expect(await shown()).toEqual(before);
    await expectTalliesTrue();
    const [piled] = await rowsOf(sql`select count(*)::int as keys from (
        select 1 from dashboard_tallies where workspace_id = ${ws.id}
        group by kind, status, pipeline_id, stage_id, currency having count(*) > 1) piled`);
    expect(piled?.keys).toBe(0);
    const [after] = await rowsOf(
      sql`select count(*)::int as rows from dashboard_tallies where workspace_id = ${ws.id}`,
    );
    expect(Number(after?.rows)).toBeLessThan(Number(rowsBefore[0]?.rows));
  });

  it("are written by the app role only for the writer's own workspace (row-level security)", async () => {
    const { db } = await testDatabase();
    const other = await createTestWorkspace(app, "Not mine");
    await expect(
      withWorkspaceTransaction(db, ws.id, (tx) =>
        tx.execute(
          sql`insert into dashboard_tallies (workspace_id, kind, status, count) values (${other.id}, 'lead', 'new', 1)`,
        ),
      ),
    ).rejects.toMatchObject({ cause: expect.objectContaining({ code: "42501" }) });
    const seen = await withWorkspaceTransaction(db, ws.id, (tx) =>
      tx.execute(sql`select distinct workspace_id from dashboard_tallies`),
    );
    expect((seen as unknown as { rows: Row[] }).rows.map((row) => row.workspace_id)).toEqual([ws.id]);
  });
});
