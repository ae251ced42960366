import { and, eq, sql } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, createTestWorkspace, testDatabase } from "../../test/create-test-app.ts";
import { abandonedAfterMs, failAbandonedImports, pruneImportFiles } from "./imports.jobs.ts";
import { importChunks, importRowErrors, imports } from "./imports.table.ts";
import { runToEnd, upload } from "./imports.test-helpers.ts";

let app: FastifyInstance;

beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

/** How many stored slices of its file an import still has. */
async function storedSlices(workspaceId: string, importId: string): Promise<number> {
  const { db } = await testDatabase();
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(importChunks)
    .where(and(eq(importChunks.workspaceId, workspaceId), eq(importChunks.importId, importId)));
  return row!.count;
}

describe("the stored file of an import", () => {
  it("is deleted when the import completes, while errors.csv and undo keep working", async () => {
    const ws = await createTestWorkspace(app);
    const csv = "First Name,Email\nAda,ada@files.test\n,nameless@files.test\n";
    const { id } = (await upload(ws.admin, "contacts", "people.csv", csv)).json();
    expect(await storedSlices(ws.id, id)).toBe(1);
    expect((await ws.admin.client.post(`/api/v1/imports/${id}/start`)).statusCode).toBe(202);
    expect(await runToEnd(ws.id, id)).toBe("finished");
    expect((await ws.admin.client.get(`/api/v1/imports/${id}`)).json()).toMatchObject({
      status: "completed",
      created: 1,
      failed: 1,
    });
    expect(await storedSlices(ws.id, id)).toBe(0);
    const errors = await ws.admin.client.get(`/api/v1/imports/${id}/errors.csv`);
    expect(errors.statusCode).toBe(200);
    expect(errors.body).toContain("nameless@files.test");
    const undo = await ws.admin.client.post(`/api/v1/imports/${id}/undo`);
    expect(undo.statusCode, undo.body).toBe(200);
    expect((await ws.admin.client.get("/api/v1/contacts")).json().data).toEqual([]);
  });

  it("is deleted when the import is cancelled", async () => {
    const ws = await createTestWorkspace(app);
    const { id } = (await upload(ws.admin, "contacts", "c.csv", "First Name\nA\n")).json();
    await ws.admin.client.post(`/api/v1/imports/${id}/start`);
    expect((await ws.admin.client.post(`/api/v1/imports/${id}/cancel`)).json().status).toBe("cancelled");
    expect(await storedSlices(ws.id, id)).toBe(0);
    expect(await runToEnd(ws.id, id)).toBe("stopped");
  });

  it("of an import never started is pruned after the retention, and the import can no longer start", async () => {
    const ws = await createTestWorkspace(app);
    const stale = (await upload(ws.admin, "contacts", "old.csv", "First Name\nOld\n")).json();
    const fresh = (await upload(ws.admin, "contacts", "new.csv", "First Name\nNew\n")).json();
    const { db } = await testDatabase();
    await db
      .update(imports)
      .set({ createdAt: sql`now() - interval '8 days'` })
      .where(and(eq(imports.workspaceId, ws.id), eq(imports.id, stale.id)));
    expect(await pruneImportFiles(db)).toBeGreaterThanOrEqual(1);
    const pruned = (await ws.admin.client.get(`/api/v1/imports/${stale.id}`)).json();
    expect(pruned).toMatchObject({ status: "cancelled", errorSummary: expect.stringContaining("7 days") });
    expect(await storedSlices(ws.id, stale.id)).toBe(0);
    expect((await ws.admin.client.post(`/api/v1/imports/${stale.id}/start`)).statusCode).toBe(409);
    expect(await storedSlices(ws.id, fresh.id)).toBe(1);
    expect((await ws.admin.client.get(`/api/v1/imports/${fresh.id}`)).json().status).toBe("uploaded");
    expect((await ws.admin.client.post(`/api/v1/imports/${fresh.id}/start`)).statusCode).toBe(202);
  });
  it("of an import whose job stopped for good is marked failed after an hour without progress, and pruned", async () => {
    const ws = await createTestWorkspace(app);
    const stuck = (await upload(ws.admin, "contacts", "stuck.csv", "First Name\nStuck\n")).json();
    const live = (await upload(ws.admin, "contacts", "live.csv", "First Name\nLive\n")).json();
    for (const { id } of [stuck, live]) {
      expect((await ws.admin.client.post(`/api/v1/imports/${id}/start`)).statusCode).toBe(202);
    }
    const { db } = await testDatabase();
    await db
      .update(imports)
      .set({ updatedAt: sql`now() - interval '61 minutes'` })
      .where(and(eq(imports.workspaceId, ws.id), eq(imports.id, stuck.id)));
    const ended = await failAbandonedImports(db, new Date(Date.now() - abandonedAfterMs));
    expect(ended.failed).toBeGreaterThanOrEqual(1);
    const failed = (await ws.admin.client.get(`/api/v1/imports/${stuck.id}`)).json();
    expect(failed).toMatchObject({ status: "failed", errorSummary: expect.stringContaining("can be undone") });
    expect((await ws.admin.client.get(`/api/v1/imports/${live.id}`)).json().status).toBe("running");
    await pruneImportFiles(db);
    expect(await storedSlices(ws.id, stuck.id)).toBe(0);
    expect(await storedSlices(ws.id, live.id)).toBe(1);
  });

  it("of a dry run whose job stopped for good returns the import to uploaded after an hour, ready to check or start", async () => {
    const ws = await createTestWorkspace(app);
    const csv = "First Name,E-mail\nStuck,not-an-email\n";
    const stuck = (await upload(ws.admin, "contacts", "stuck.csv", csv)).json();
    const live = (await upload(ws.admin, "contacts", "live.csv", csv)).json();
    for (const { id } of [stuck, live]) {
      expect((await ws.admin.client.post(`/api/v1/imports/${id}/dry-run`)).statusCode).toBe(202);
    }
    // The stuck one had checked its rows (an error stored) when its worker stopped for good.
    const { db } = await testDatabase();
    await db.insert(importRowErrors).values({
      workspaceId: ws.id,
      importId: stuck.id,
      line: 2,
      seq: 0,
      column: "E-mail",
      message: "Must be an e-mail address",
      raw: {},
    });
    await db
      .update(imports)
      .set({ updatedAt: sql`now() - interval '61 minutes'`, rowsDone: 1 })
      .where(and(eq(imports.workspaceId, ws.id), eq(imports.id, stuck.id)));
    const ended = await failAbandonedImports(db, new Date(Date.now() - abandonedAfterMs));
    expect(ended.dryRunsEnded).toBeGreaterThanOrEqual(1);
    expect((await ws.admin.client.get(`/api/v1/imports/${stuck.id}`)).json()).toMatchObject({
      status: "uploaded",
      rowsDone: 0,
      dryRun: null,
      errorSummary: expect.stringContaining("The dry run stopped before it finished"),
    });
    expect((await ws.admin.client.get(`/api/v1/imports/${stuck.id}/errors`)).json().data).toEqual([]);
    expect((await ws.admin.client.get(`/api/v1/imports/${live.id}`)).json().status).toBe("validating");
    expect(await storedSlices(ws.id, stuck.id)).toBe(1);
    expect((await ws.admin.client.post(`/api/v1/imports/${stuck.id}/start`)).statusCode).toBe(202);
  });
});
