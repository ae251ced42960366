import { and, eq, sql } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestApp, createTestWorkspace, testDatabase, type TestWorkspace } from "../../test/create-test-app.ts";
import { auditLogs } from "../audit/audit.table.ts";
import { companies } from "../companies/index.ts";
import { contacts } from "../contacts/contacts.table.ts";
import * as createMany from "../records/records.create-many.ts";
import { batchRows, runImportSlice } from "./imports.run.ts";
import { runToEnd, upload } from "./imports.test-helpers.ts";

let app: FastifyInstance;

beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

type Member = TestWorkspace["admin"];

/** Uploads, maps as suggested, starts and runs an import to its end; answers the finished import. */
async function importCsv(member: Member, workspaceId: string, resource: string, csv: string, patch = {}) {
  const uploaded = await upload(member, resource, "file.csv", csv);
  expect(uploaded.statusCode, uploaded.body).toBe(201);
  const { id } = uploaded.json();
  if (Object.keys(patch).length > 0) {
    const patched = await member.client.patch(`/api/v1/imports/${id}`, patch);
    expect(patched.statusCode, patched.body).toBe(200);
  }
  const started = await member.client.post(`/api/v1/imports/${id}/start`);
  expect(started.statusCode, started.body).toBe(202);
  await runToEnd(workspaceId, id);
  return (await member.client.get(`/api/v1/imports/${id}`)).json();
}

/** Every live contact and company of a workspace, as the tables hold them (versions aside). */
async function snapshot(workspaceId: string) {
  const { db } = await testDatabase();
  const strip = <T extends { version: number; updatedAt: Date }>({ version: _v, updatedAt: _u, ...rest }: T) => rest;
  const contactRows = await db
    .select()
    .from(contacts)
    .where(and(eq(contacts.workspaceId, workspaceId), sql`deleted_at is null`))
    .orderBy(contacts.id);
  const companyRows = await db
    .select()
    .from(companies)
    .where(and(eq(companies.workspaceId, workspaceId), sql`deleted_at is null`))
    .orderBy(companies.id);
  return { contacts: contactRows.map(strip), companies: companyRows.map(strip) };
}

describe("running an import", () => {
  it("links contacts to companies by name or domain, creating each company once, and owners by e-mail", async () => {
    const ws = await createTestWorkspace(app);
    const rows = Array.from(
      { length: 30 },
      (_, i) => `P${i},p${i}@x.test,${i % 2 ? "acme.test" : "Globex"},${ws.agent.email}`,
    );
    const done = await importCsv(ws.admin, ws.id, "contacts", ["First Name,Email,Company,Owner", ...rows].join("\n"));
    expect(done).toMatchObject({ status: "completed", rowsDone: 30, created: 30, failed: 0, rowsPerSecond: null });
    const state = await snapshot(ws.id);
    expect(state.companies.map((c) => [c.name, c.domain]).sort()).toEqual([
      ["Globex", null],
      ["acme.test", "acme.test"],
    ]);
    const acme = state.companies.find((c) => c.domain === "acme.test")!;
    expect(state.contacts.filter((c) => c.companyId === acme.id)).toHaveLength(15);
    expect(state.contacts.every((c) => c.ownerId === ws.agent.userId && c.createdBy === ws.admin.userId)).toBe(true);
    const { db } = await testDatabase();
    const entries = await db
      .select({ action: auditLogs.action, count: sql<number>`count(*)::int` })
      .from(auditLogs)
      .where(eq(auditLogs.workspaceId, ws.id))
      .groupBy(auditLogs.action);
    expect(Object.fromEntries(entries.map((e) => [e.action, e.count]))).toMatchObject({
      "contact.created": 30,
      "company.created": 2,
      "import.started": 1,
      "import.completed": 1,
    });
  });

  it("skips, updates or creates duplicates by e-mail (then phone) as the policy says", async () => {
    const ws = await createTestWorkspace(app);
    const existing = await ws.admin.client.post("/api/v1/contacts", {
      firstName: "Old",
      email: "dup@x.test",
      jobTitle: "Clerk",
    });
    const byPhone = await ws.admin.client.post("/api/v1/contacts", { firstName: "Phoned", phone: "+4915100000001" });
    const csv =
      "First Name,Email,Phone,Job Title\nNew,DUP@x.test,,Boss\nPhil,,+49 151 00000001,Chief\nFresh,fresh@x.test,,\n";
    const skipped = await importCsv(ws.admin, ws.id, "contacts", csv);
    expect(skipped).toMatchObject({ created: 1, skipped: 2, updated: 0 });
    const updated = await importCsv(ws.admin, ws.id, "contacts", csv, { onDuplicate: "update" });
    expect(updated).toMatchObject({ created: 0, updated: 3, skipped: 0 });
    const old = (await ws.admin.client.get(`/api/v1/contacts/${existing.json().id}`)).json();
    expect(old).toMatchObject({ firstName: "New", jobTitle: "Boss", email: "DUP@x.test" });
    expect((await ws.admin.client.get(`/api/v1/contacts/${byPhone.json().id}`)).json()).toMatchObject({
      firstName: "Phil",
      jobTitle: "Chief",
    });
    const created = await importCsv(ws.admin, ws.id, "contacts", "First Name\nSolo\nSolo\n", { onDuplicate: "create" });
    expect(created).toMatchObject({ created: 2 });
    const createDup = await importCsv(ws.admin, ws.id, "contacts", csv, { onDuplicate: "create" });
    // The e-mail and phone are unique among live contacts: the API answers 409 for them, so do the rows.
    expect(createDup).toMatchObject({ created: 0, failed: 3 });
  });

  it("treats a row duplicating an earlier row of its batch as a duplicate, and fails only a row with a bad phone", async () => {
    const ws = await createTestWorkspace(app);
    const csv =
      "First Name,Email,Phone,Job Title\nAnn,ann@x.test,,One\nAnne,ANN@x.test,,Two\nBad,,12,\nOk,ok@x.test,,\n";
    const skipped = await importCsv(ws.admin, ws.id, "contacts", csv);
    expect(skipped).toMatchObject({ created: 2, skipped: 1, failed: 1 });
    const errors = await ws.admin.client.get(`/api/v1/imports/${skipped.id}/errors.csv`);
    expect(errors.body).toMatch(/\n4,"Phone: Must start with \+/);
    const other = await createTestWorkspace(app);
    const updated = await importCsv(other.admin, other.id, "contacts", csv, { onDuplicate: "update" });
    expect(updated).toMatchObject({ created: 2, updated: 1, failed: 1 });
    const list = (await other.admin.client.get("/api/v1/contacts?sort=firstName")).json().data;
    expect(list.map((c: { firstName: string; jobTitle: string | null }) => [c.firstName, c.jobTitle])).toEqual([
      ["Anne", "Two"],
      ["Ok", null],
    ]);
  });

  it("dedupes companies by domain, then name", async () => {
    const ws = await createTestWorkspace(app);
    await ws.admin.client.post("/api/v1/companies", { name: "Initech", domain: "initech.test" });
    const done = await importCsv(
      ws.admin,
      ws.id,
      "companies",
      "Name,Domain,Industry\nInitech Corp,initech.test,Software\ninitech,,Paper\nHooli,hooli.test,Search\n",
      { onDuplicate: "update" },
    );
    expect(done).toMatchObject({ created: 1, updated: 2 });
  });

  it("puts deals in the stage named, in the default pipeline", async () => {
    const ws = await createTestWorkspace(app);
    const pipelines = (await ws.admin.client.get("/api/v1/pipelines")).json().data;
    const pipeline = pipelines.find((p: { isDefault: boolean }) => p.isDefault) ?? pipelines[0];
    const stage = pipeline.stages[1];
    const done = await importCsv(
      ws.admin,
      ws.id,
      "deals",
      `Deal Name,Stage,Amount\nBig,${stage.name.toUpperCase()},1200.50\nOdd,Nowhere,1\n`,
    );
    expect(done).toMatchObject({ created: 1, failed: 1 });
    const deals = (await ws.admin.client.get("/api/v1/deals")).json().data;
    expect(deals).toEqual([expect.objectContaining({ name: "Big", stageId: stage.id, value: "1200.50" })]);
  });

  it("undo restores the tables to what they were, and is for admins and managers", async () => {
    const ws = await createTestWorkspace(app);
    await ws.admin.client.post("/api/v1/contacts", { firstName: "Keep", email: "keep@x.test", jobTitle: "Was" });
    await ws.admin.client.post("/api/v1/companies", { name: "Existing" });
    const before = await snapshot(ws.id);
    const csv = "First Name,Email,Job Title,Company\nKept,keep@x.test,Now,Existing\nNew,new@x.test,,NewCo\n";
    const done = await importCsv(ws.admin, ws.id, "contacts", csv, { onDuplicate: "update" });
    expect(done).toMatchObject({ created: 1, updated: 1 });
    expect(await snapshot(ws.id)).not.toEqual(before);
    const agent = await ws.agent.client.post(`/api/v1/imports/${done.id}/undo`);
    expect(agent.statusCode).toBe(403);
    const undo = await ws.manager.client.post(`/api/v1/imports/${done.id}/undo`);
    expect(undo.statusCode, undo.body).toBe(200);
    expect(undo.json().status).toBe("undone");
    expect(await snapshot(ws.id)).toEqual(before);
    const again = await ws.manager.client.post(`/api/v1/imports/${done.id}/undo`);
    expect(again.statusCode).toBe(409);
  });

  it("cancel stops a running import before its next batch", async () => {
    const ws = await createTestWorkspace(app);
    const { id } = (await upload(ws.admin, "contacts", "c.csv", "First Name\nA\nB\n")).json();
    await ws.admin.client.post(`/api/v1/imports/${id}/start`);
    const cancelled = await ws.admin.client.post(`/api/v1/imports/${id}/cancel`);
    expect(cancelled.json()).toMatchObject({ status: "cancelled" });
    expect(await runToEnd(ws.id, id)).toBe("stopped");
    expect((await ws.admin.client.get(`/api/v1/imports/${id}`)).json()).toMatchObject({ rowsDone: 0, created: 0 });
    expect((await ws.admin.client.post(`/api/v1/imports/${id}/start`)).statusCode).toBe(409);
  });

  it("lets agents import records they own only, and see only their imports", async () => {
    const ws = await createTestWorkspace(app);
    const csv = `First Name,Owner\nMine,${ws.agent.email}\nTheirs,${ws.manager.email}\nDefault,\n`;
    const done = await importCsv(ws.agent, ws.id, "contacts", csv);
    expect(done).toMatchObject({ created: 2, failed: 1 });
    const errors = await ws.agent.client.get(`/api/v1/imports/${done.id}/errors.csv`);
    expect(errors.body, errors.body).toContain("3,Owner: Must be yourself");
    const managers = await upload(ws.manager, "contacts", "m.csv", "First Name\nX\n");
    expect((await ws.agent.client.get(`/api/v1/imports/${managers.json().id}`)).statusCode).toBe(404);
    const listed = (await ws.agent.client.get("/api/v1/imports")).json().data;
    expect(listed.map((i: { id: string }) => i.id)).toEqual([done.id]);
    expect((await ws.manager.client.get("/api/v1/imports")).json().data).toHaveLength(2);
  });
});

describe("resuming", () => {
  it("continues from the last committed batch, writing each row once", async () => {
    const ws = await createTestWorkspace(app);
    const total = batchRows + 200;
    const rows = Array.from({ length: total }, (_, i) => `R${i},r${i}@resume.test`);
    const { id } = (await upload(ws.admin, "contacts", "r.csv", ["First Name,Email", ...rows].join("\n"))).json();
    await ws.admin.client.post(`/api/v1/imports/${id}/start`);
    const { db } = await testDatabase();
    // A run whose time is up after one batch stops there, as a killed worker's last commit would.
    expect(await runImportSlice(db, ws.id, id, 0)).toBe("more");
    expect((await ws.admin.client.get(`/api/v1/imports/${id}`)).json()).toMatchObject({ rowsDone: batchRows });
    expect(await runImportSlice(db, ws.id, id, 60_000)).toBe("finished");
    const done = (await ws.admin.client.get(`/api/v1/imports/${id}`)).json();
    expect(done).toMatchObject({ status: "completed", rowsDone: total, created: total });
    const count = await db
      .select({ count: sql<number>`count(*)::int` })
      .from(contacts)
      .where(and(eq(contacts.workspaceId, ws.id), sql`email like '%@resume.test'`));
    expect(count[0]!.count).toBe(total);
  });
});

describe("a set-based batch that fails", () => {
  const failures = {
    "a bug": () => new TypeError("values.filter is not a function"),
    "the lost connection": () =>
      Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" }),
  };

  it.each(Object.keys(failures) as (keyof typeof failures)[])(
    "fails the run on %s, rather than writing the batch again row by row, and the retry writes it",
    async (cause) => {
      const ws = await createTestWorkspace(app);
      const csv = "First Name,Email\nAda,ada@set.test\nBob,bob@set.test\n";
      const { id } = (await upload(ws.admin, "contacts", "set.csv", csv)).json();
      await ws.admin.client.post(`/api/v1/imports/${id}/start`);
      const failing = vi.spyOn(createMany, "createRecordsIn").mockRejectedValueOnce(failures[cause]());
      try {
        await expect(runToEnd(ws.id, id)).rejects.toThrow(failures[cause]().message);
        expect(failing).toHaveBeenCalledTimes(1);
      } finally {
        failing.mockRestore();
      }
      const stopped = (await ws.admin.client.get(`/api/v1/imports/${id}`)).json();
      expect(stopped).toMatchObject({ status: "running", rowsDone: 0, created: 0, failed: 0 });
      expect(await runToEnd(ws.id, id)).toBe("finished");
      expect((await ws.admin.client.get(`/api/v1/imports/${id}`)).json()).toMatchObject({
        status: "completed",
        created: 2,
        failed: 0,
      });
    },
  );

  it("writes a batch the database refuses again row by row, failing only the refused row", async () => {
    const ws = await createTestWorkspace(app);
    await ws.admin.client.post("/api/v1/contacts", { firstName: "Taken", email: "taken@set.test" });
    const csv = "First Name,Email\nAda,ada@set.test\nTwin,TAKEN@set.test\nBob,bob@set.test\n";
    const done = await importCsv(ws.admin, ws.id, "contacts", csv, { onDuplicate: "create" });
    expect(done).toMatchObject({ status: "completed", created: 2, failed: 1 });
    const errors = await ws.admin.client.get(`/api/v1/imports/${done.id}/errors.csv`);
    expect(errors.body).toMatch(/\n3,"?Email: A contact with this e-mail already exists/);
  });
});

/** How many times the contacts table's statistics were refreshed by ANALYZE (autovacuum's aside). */
async function contactAnalyses(): Promise<number> {
  const { db } = await testDatabase();
  const { rows } = (await db.execute(
    sql`select analyze_count::int as count from pg_stat_user_tables where relname = 'contacts'`,
  )) as unknown as { rows: { count: number }[] };
  return rows[0]!.count;
}

describe("a 20,000-row import", () => {
  it(
    "imports every row, refreshing the statistics of what it grows, and reports its speed",
    { timeout: 600_000 },
    async () => {
      const analysesBefore = await contactAnalyses();
      const ws = await createTestWorkspace(app);
      const rows = Array.from({ length: 20_000 }, (_, i) => `Person${i},Last${i},p${i}@bulk.test,Co${i % 50}`);
      const started = Date.now();
      const done = await importCsv(
        ws.admin,
        ws.id,
        "contacts",
        ["First Name,Last Name,Email,Company", ...rows].join("\n"),
      );
      const seconds = (Date.now() - started) / 1000;
      console.info(`20,000-row contact import: ${seconds.toFixed(1)} s, ${Math.round(20_000 / seconds)} rows/s`);
      expect(done).toMatchObject({ status: "completed", created: 20_000, failed: 0 });
      // At 10,000 rows and at 20,000: the planner then knows the rows exist (db/statistics.ts).
      await vi.waitFor(async () => expect(await contactAnalyses()).toBeGreaterThanOrEqual(analysesBefore + 2));
    },
  );
});
