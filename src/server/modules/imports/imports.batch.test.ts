import { and, eq, sql } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, createTestWorkspace, testDatabase, type TestWorkspace } from "../../test/create-test-app.ts";
import { auditLogs } from "../audit/audit.table.ts";
import { dryRunToEnd, runToEnd, upload } from "./imports.test-helpers.ts";

/**
 * A row that fails writes nothing: not the company it names either. Its own fields are checked
 * first, on the set-based path and on the row-by-row one (a batch the database refused), and by
 * the dry run, which takes the same path.
 */

let app: FastifyInstance;

beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

type Member = TestWorkspace["admin"];

const zeroWidthSpace = "\u200B";
/** Two rows whose own fields fail ("Required": a zero-width space is no name, and no tag), each naming a new company. */
const failingRows = [`${zeroWidthSpace},X,zw1@example.com,Acme,a`, `Hangul,Z,zw3@example.com,Okco,${zeroWidthSpace}`];
const header = "First Name,Last Name,Email,Company,Tags";
const failures = [
  { line: 2, column: "First Name", message: "Required" },
  { line: 3, column: "Tags", message: "Required" },
];

async function uploaded(member: Member, csv: string, patch = {}): Promise<string> {
  const response = await upload(member, "contacts", "people.csv", csv);
  expect(response.statusCode, response.body).toBe(201);
  const { id } = response.json<{ id: string }>();
  if (Object.keys(patch).length > 0) {
    const patched = await member.client.patch(`/api/v1/imports/${id}`, patch);
    expect(patched.statusCode, patched.body).toBe(200);
  }
  return id;
}

async function run(ws: TestWorkspace, id: string) {
  const started = await ws.admin.client.post(`/api/v1/imports/${id}/start`);
  expect(started.statusCode, started.body).toBe(202);
  expect(await runToEnd(ws.id, id)).toBe("finished");
  return (await ws.admin.client.get(`/api/v1/imports/${id}`)).json();
}

const errorsOf = async (ws: TestWorkspace, id: string) =>
  (await ws.admin.client.get(`/api/v1/imports/${id}/errors?limit=100`)).json().data;

/** The workspace's companies by name, with the contacts linked to each (by e-mail). */
async function companiesOf(ws: TestWorkspace): Promise<Record<string, string[]>> {
  const companies = (await ws.admin.client.get("/api/v1/companies?limit=100")).json().data as {
    id: string;
    name: string;
  }[];
  const contacts = (await ws.admin.client.get("/api/v1/contacts?limit=100")).json().data as {
    email: string;
    companyId: string | null;
  }[];
  return Object.fromEntries(
    companies.map((company) => [
      company.name,
      contacts.filter((contact) => contact.companyId === company.id).map((contact) => contact.email),
    ]),
  );
}

/** The names of the companies whose company.created audit entry the workspace has. */
async function companiesAudited(ws: TestWorkspace): Promise<string[]> {
  const { db } = await testDatabase();
  const rows = await db
    .select({ name: sql<string>`${auditLogs.changes}->'name'->>1` })
    .from(auditLogs)
    .where(and(eq(auditLogs.workspaceId, ws.id), eq(auditLogs.action, "company.created")));
  return rows.map((row) => row.name).sort();
}

describe("importing rows that fail", () => {
  it("creates no company for them, and creates and links the company of a valid row", async () => {
    const ws = await createTestWorkspace(app);
    const csv = [header, ...failingRows, "Valid,Y,zw2@example.com,Newco,b"].join("\n");
    const done = await run(ws, await uploaded(ws.admin, csv));
    expect(done).toMatchObject({ status: "completed", created: 1, failed: 2 });
    expect(await errorsOf(ws, done.id)).toEqual(failures);
    expect(await companiesOf(ws)).toEqual({ Newco: ["zw2@example.com"] });
    expect(await companiesAudited(ws)).toEqual(["Newco"]);
  });

  it("reports the same in a dry run", async () => {
    const ws = await createTestWorkspace(app);
    const id = await uploaded(ws.admin, [header, ...failingRows, "Valid,Y,zw2@example.com,Newco,b"].join("\n"));
    expect((await ws.admin.client.post(`/api/v1/imports/${id}/dry-run`)).statusCode).toBe(202);
    expect(await dryRunToEnd(ws.id, id)).toBe("finished");
    const checked = (await ws.admin.client.get(`/api/v1/imports/${id}`)).json();
    expect(checked.dryRun).toMatchObject({ rowsTotal: 3, wouldCreate: 1, wouldUpdate: 0, wouldSkip: 0, failed: 2 });
    expect(await errorsOf(ws, id)).toEqual(failures);
    expect(await companiesOf(ws)).toEqual({});
  });

  it("creates no company for them when the batch is written row by row, nor for a row the database refuses", async () => {
    const ws = await createTestWorkspace(app);
    const taken = await ws.admin.client.post("/api/v1/contacts", { firstName: "Taken", email: "taken@example.com" });
    expect(taken.statusCode, taken.body).toBe(201);
    // The taken e-mail address fails the set-based statement: the batch is written again row by row.
    const csv = [
      header,
      ...failingRows,
      "Twin,T,taken@example.com,Refused Co,c",
      "Valid,Y,zw2@example.com,Newco,b",
    ].join("\n");
    const done = await run(ws, await uploaded(ws.admin, csv, { onDuplicate: "create" }));
    expect(done).toMatchObject({ status: "completed", created: 1, failed: 3 });
    expect(await errorsOf(ws, done.id)).toEqual([
      ...failures,
      { line: 4, column: "Email", message: expect.stringMatching(/already exists/) },
    ]);
    expect(await companiesOf(ws)).toEqual({ Newco: ["zw2@example.com"] });
    expect(await companiesAudited(ws)).toEqual(["Newco"]);
  });

  it("creates no company for a row whose phone number the write refuses", async () => {
    const ws = await createTestWorkspace(app);
    const csv = "First Name,Email,Phone,Company\nBad,bad@example.com,12,Phoneco\nOk,ok@example.com,,Okayco\n";
    const done = await run(ws, await uploaded(ws.admin, csv));
    expect(done).toMatchObject({ status: "completed", created: 1, failed: 1 });
    expect(await errorsOf(ws, done.id)).toEqual([
      { line: 2, column: "Phone", message: expect.stringMatching(/^Must start with \+/) },
    ]);
    expect(await companiesOf(ws)).toEqual({ Okayco: ["ok@example.com"] });
  });

  it("creates no company for a row skipped as a duplicate", async () => {
    const ws = await createTestWorkspace(app);
    const csv = [header, "Ann,A,ann@example.com,Annco,a", "Anne,A,ANN@example.com,Skipco,a"].join("\n");
    const done = await run(ws, await uploaded(ws.admin, csv));
    expect(done).toMatchObject({ status: "completed", created: 1, skipped: 1, failed: 0 });
    expect(await companiesOf(ws)).toEqual({ Annco: ["ann@example.com"] });
  });

  it("fails only the row whose company the API refuses, and skips no later row for it", async () => {
    const ws = await createTestWorkspace(app);
    const csv = [header, `Long,L,dup@example.com,${"L".repeat(201)},a`, "Second,S,dup@example.com,Secondco,b"].join(
      "\n",
    );
    const done = await run(ws, await uploaded(ws.admin, csv, { onDuplicate: "skip" }));
    expect(done).toMatchObject({ status: "completed", created: 1, skipped: 0, failed: 1 });
    expect(await errorsOf(ws, done.id)).toEqual([
      { line: 2, column: "Company", message: expect.stringMatching(/^The company L+ cannot be created: /) },
    ]);
    expect(await companiesOf(ws)).toEqual({ Secondco: ["dup@example.com"] });
  });

  it("fails only the row whose company the API refuses when the batch is written row by row", async () => {
    const ws = await createTestWorkspace(app);
    const taken = await ws.admin.client.post("/api/v1/contacts", { firstName: "Taken", email: "taken2@example.com" });
    expect(taken.statusCode, taken.body).toBe(201);
    const csv = [
      header,
      `Long,L,long@example.com,${"L".repeat(201)},a`,
      // A taken e-mail fails the set-based statement: the batch is written again row by row.
      "Twin,T,taken2@example.com,Twinco,c",
      "Valid,V,valid@example.com,Validco,b",
    ].join("\n");
    const done = await run(ws, await uploaded(ws.admin, csv, { onDuplicate: "create" }));
    expect(done).toMatchObject({ status: "completed", created: 1, failed: 2 });
    expect(await errorsOf(ws, done.id)).toEqual([
      { line: 2, column: "Company", message: expect.stringMatching(/^The company L+ cannot be created: /) },
      { line: 3, column: "Email", message: expect.stringMatching(/already exists/) },
    ]);
    expect(await companiesOf(ws)).toEqual({ Validco: ["valid@example.com"] });
  });
});
