import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createTestApp,
  createTestWorkspace,
  testDatabase,
  type Member,
  type TestWorkspace,
} from "../../test/create-test-app.ts";
import { importLimits } from "./imports.service.ts";
import { dryRunSlice } from "./imports.dry-run.ts";
import { batchRows } from "./imports.run.ts";
import { dryRunToEnd, multipart, runToEnd, upload } from "./imports.test-helpers.ts";
import { loadExcelJs } from "../../lib/exceljs.ts";

let app: FastifyInstance;
let ws: TestWorkspace;
let other: TestWorkspace;

beforeAll(async () => {
  app = await createTestApp();
  ws = await createTestWorkspace(app, "Imports");
  other = await createTestWorkspace(app, "Other imports");
});
afterAll(() => app.close());

const unique = () => Math.random().toString(36).slice(2, 8);

/**
 * Dry-runs an import as the web app does: POST answers 202 validating, the job (run here as a
 * worker would) checks the rows, GET follows the import until it is uploaded again. Answers the
 * import's dry-run counts and its errors (GET /errors).
 */
async function dryRun(member: Member, id: string) {
  const accepted = await member.client.post(`/api/v1/imports/${id}/dry-run`);
  expect(accepted.statusCode, accepted.body).toBe(202);
  expect(accepted.json()).toMatchObject({ id, status: "validating", rowsDone: 0, errorSummary: null });
  expect(await dryRunToEnd(ws.id, id)).toBe("finished");
  const done = (await member.client.get(`/api/v1/imports/${id}`)).json();
  expect(done).toMatchObject({ status: "uploaded", rowsDone: 0, rowsPerSecond: null, eta: null });
  const errors = await member.client.get(`/api/v1/imports/${id}/errors?limit=100`);
  expect(errors.statusCode, errors.body).toBe(200);
  return { ...done.dryRun, errors: errors.json().data };
}

describe("POST /api/v1/imports", () => {
  it("stores a CSV and answers its columns, first rows and a suggested mapping", async () => {
    const csv = "First Name,Last Name,E-mail,Company,Notes\nAda,Lovelace,ada@x.test,Analytical,hi\nBob,Babbage,,,\n";
    const response = await upload(ws.manager, "contacts", "people.csv", csv);
    expect(response.statusCode).toBe(201);
    const body = response.json();
    expect(body).toMatchObject({
      status: "uploaded",
      resource: "contacts",
      format: "csv",
      delimiter: ",",
      encoding: "utf-8",
      rowsTotal: 2,
      columns: ["First Name", "Last Name", "E-mail", "Company", "Notes"],
      mapping: {
        "First Name": "firstName",
        "Last Name": "lastName",
        "E-mail": "email",
        Company: "company",
        Notes: null,
      },
    });
    expect(body.sampleRows[0]).toEqual({
      "First Name": "Ada",
      "Last Name": "Lovelace",
      "E-mail": "ada@x.test",
      Company: "Analytical",
      Notes: "hi",
    });
    const read = await ws.manager.client.get(`/api/v1/imports/${body.id}`);
    expect(read.json()).toMatchObject({ id: body.id, status: "uploaded", sizeBytes: Buffer.byteLength(csv) });
  });

  it("detects a semicolon file with a BOM, and Windows-1252 text", async () => {
    const bom = await upload(ws.admin, "contacts", "bom.csv", "\ufeffVorname;Nachname\nJürgen;Groß\n");
    expect(bom.json()).toMatchObject({ delimiter: ";", encoding: "utf-8", columns: ["Vorname", "Nachname"] });
    expect(bom.json().sampleRows).toEqual([{ Vorname: "Jürgen", Nachname: "Groß" }]);
    const cp1252 = Buffer.concat([
      Buffer.from("First Name\tCity\nZo"),
      Buffer.from([0xeb]),
      Buffer.from("\tK"),
      Buffer.from([0xf6]),
      Buffer.from("ln\n"),
    ]);
    const legacy = await upload(ws.admin, "contacts", "legacy.txt", cp1252);
    expect(legacy.json()).toMatchObject({ delimiter: "\t", encoding: "windows-1252" });
    expect(legacy.json().sampleRows).toEqual([{ "First Name": "Zoë", City: "Köln" }]);
  });

  it("reads an XLSX workbook's first sheet", async () => {
    const workbook = new (await loadExcelJs()).Workbook();
    const sheet = workbook.addWorksheet("People");
    sheet.addRow(["Company Name", "Website", "Employees"]);
    sheet.addRow(["Acme", "acme.test", 12]);
    sheet.addRow(["Globex", "globex.test", 300]);
    const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
    const response = await upload(ws.admin, "companies", "companies.xlsx", bytes);
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({
      format: "xlsx",
      rowsTotal: 2,
      mapping: { "Company Name": "name", Website: "domain", Employees: "employeeCount" },
      sampleRows: [{ "Company Name": "Acme", Website: "acme.test", Employees: "12" }, expect.any(Object)],
    });
    await ws.admin.client.post(`/api/v1/imports/${response.json().id}/start`);
    await runToEnd(ws.id, response.json().id);
    const done = await ws.admin.client.get(`/api/v1/imports/${response.json().id}`);
    expect(done.json()).toMatchObject({ status: "completed", created: 2, failed: 0 });
  });

  it("refuses a bad upload with problem+json naming the field, and keeps nothing", async () => {
    const before = (await ws.admin.client.get("/api/v1/imports?limit=100")).json().data.length;
    const unknown = await upload(ws.admin, "planets", "a.csv", "a\n1\n");
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors).toEqual([expect.objectContaining({ path: "resource" })]);
    const binary = await upload(ws.admin, "contacts", "photo.png", Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1, 2]));
    expect(binary.statusCode).toBe(400);
    expect(binary.json().errors).toEqual([expect.objectContaining({ path: "file" })]);
    const empty = await upload(ws.admin, "contacts", "empty.csv", "");
    expect(empty.statusCode).toBe(400);
    const noFile = multipart({ resource: "contacts" });
    const missing = await ws.admin.client.post("/api/v1/imports", noFile.body, noFile.headers);
    expect(missing.statusCode).toBe(400);
    expect(missing.json().errors).toEqual([expect.objectContaining({ path: "file" })]);
    // Two resources: which one was meant? Refused, rather than the last taken.
    const twice = multipart({ resource: "contacts" }, { name: "a.csv", bytes: "First Name\nAda\n" });
    const boundary = /boundary=(.+)$/.exec(twice.headers["content-type"])?.[1] ?? "";
    const again = `--${boundary}\r\nContent-Disposition: form-data; name="resource"\r\n\r\ncompanies\r\n`;
    const twiceBody = Buffer.concat([Buffer.from(again), twice.body]);
    const doubled = await ws.admin.client.post("/api/v1/imports", twiceBody, twice.headers);
    expect(doubled.statusCode).toBe(400);
    expect(doubled.json().errors).toEqual([{ path: "resource", message: "Sent twice" }]);
    // More fields than an upload has any use for, before the resource: refused as such, not as a missing resource.
    const junk = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`extra${i}`, "x"]));
    const crowded = multipart({ ...junk, resource: "contacts" }, { name: "a.csv", bytes: "First Name\nAda\n" });
    const tooManyFields = await ws.admin.client.post("/api/v1/imports", crowded.body, crowded.headers);
    expect(tooManyFields.statusCode).toBe(400);
    expect(tooManyFields.json().errors).toEqual([{ path: "file", message: "Too many form fields" }]);
    const tenFields = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`extra${i}`, "x"]));
    const noResource = multipart(tenFields, { name: "a.csv", bytes: "First Name\nAda\n" });
    const tenWithoutResource = await ws.admin.client.post("/api/v1/imports", noResource.body, noResource.headers);
    expect(tenWithoutResource.statusCode).toBe(400);
    expect(tenWithoutResource.json().errors).toEqual([{ path: "resource", message: "Required, before file" }]);
    const json = await ws.admin.client.post("/api/v1/imports", { resource: "contacts" });
    expect(json.statusCode).toBe(415);
    const badXlsx = await upload(ws.admin, "contacts", "x.xlsx", Buffer.from([0x50, 0x4b, 0x03, 0x04, 9, 9, 9, 9]));
    expect(badXlsx.statusCode).toBe(400);
    // A quote never closed, past the five sample rows: the row count reads the whole file.
    const rows = Array.from({ length: 8 }, (_, i) => `Name ${i},n${i}@x.test`).join("\n");
    const unclosed = await upload(
      ws.admin,
      "contacts",
      "open.csv",
      `First Name,E-mail\n${rows}\n"Never closed,z@x.test\n`,
    );
    expect(unclosed.statusCode).toBe(400);
    expect(unclosed.json().errors).toEqual([expect.objectContaining({ path: "file" })]);
    // A few kilobytes of zip that inflate into a cell of millions of characters.
    const workbook = new (await loadExcelJs()).Workbook();
    workbook.addWorksheet("Bomb").addRow(["First Name", "x".repeat(3_000_000)]);
    const bomb = Buffer.from(await workbook.xlsx.writeBuffer());
    expect(bomb.length).toBeLessThan(50_000);
    const tooLong = await upload(ws.admin, "contacts", "bomb.xlsx", bomb);
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().errors).toEqual([{ path: "file", message: "A cell is too long" }]);
    expect((await ws.admin.client.get("/api/v1/imports?limit=100")).json().data).toHaveLength(before);
  });

  it("counts rows whose quoted cells hold line breaks and delimiters as one row each", async () => {
    const csv = 'First Name,Notes\r\nAda,"line one\r\nline two, still"\r\n\r\nGrace,"say ""hi"""\r\nLin,plain\r\n';
    const uploaded = await upload(ws.admin, "contacts", "quoted.csv", csv);
    expect(uploaded.statusCode, uploaded.body).toBe(201);
    expect(uploaded.json()).toMatchObject({ rowsTotal: 3 });
  });

  it("answers 413 past the size limit", async () => {
    const limit = importLimits.maxFileBytes;
    importLimits.maxFileBytes = 1000;
    try {
      const response = await upload(ws.admin, "contacts", "big.csv", `First Name\n${"Ada\n".repeat(400)}`);
      expect(response.statusCode).toBe(413);
      expect(response.headers["content-type"]).toContain("application/problem+json");
    } finally {
      importLimits.maxFileBytes = limit;
    }
  });

  it("is refused to viewers, and to another workspace's members", async () => {
    const viewer = await upload(ws.viewer, "contacts", "a.csv", "First Name\nAda\n");
    expect(viewer.statusCode).toBe(403);
    const mine = await upload(ws.admin, "contacts", "a.csv", "First Name\nAda\n");
    const stranger = await other.admin.client.get(`/api/v1/imports/${mine.json().id}`);
    expect(stranger.statusCode).toBe(404);
    const listed = (await other.admin.client.get("/api/v1/imports")).json().data;
    expect(listed.map((i: { id: string }) => i.id)).not.toContain(mine.json().id);
  });
});

describe("mapping, dry run and errors.csv", () => {
  it("refuses a mapping to a field contacts cannot import, naming the header", async () => {
    const { id } = (await upload(ws.admin, "contacts", "a.csv", "Name,Mail\nAda,a@x.test\n")).json();
    const bad = await ws.admin.client.patch(`/api/v1/imports/${id}`, { mapping: { Mail: "emailAddress" } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors).toEqual([{ path: "mapping.Mail", message: expect.stringContaining("emailAddress") }]);
    const unmapped = await ws.admin.client.post(`/api/v1/imports/${id}/start`);
    expect(unmapped.statusCode).toBe(400);
    expect(unmapped.json().detail).toContain("First name");
    const fixed = await ws.admin.client.patch(`/api/v1/imports/${id}`, {
      mapping: { Name: "firstName", Mail: "email" },
      onDuplicate: "update",
    });
    expect(fixed.json()).toMatchObject({ mapping: { Name: "firstName", Mail: "email" }, onDuplicate: "update" });
  });

  it("reports every bad row by line and column, writes nothing, and serves errors.csv", async () => {
    const email = `ok.${unique()}@x.test`;
    const csv = [
      "First Name,E-mail,Phone,Owner",
      `Ada,${email},,`,
      ",nobody@x.test,,", // line 3: no first name
      "Bob,not-an-email,n/a,", // line 4: bad e-mail and phone
      `Cy,cy.${unique()}@x.test,,ghost@nowhere.test`, // line 5: no such owner
    ].join("\n");
    const { id } = (await upload(ws.admin, "contacts", "bad.csv", csv)).json();
    const dry = await dryRun(ws.admin, id);
    expect(dry).toMatchObject({ rowsTotal: 4, wouldCreate: 1, wouldUpdate: 0, wouldSkip: 0, failed: 3 });
    expect(dry.errors).toEqual([
      { line: 3, column: "First Name", message: "Required" },
      { line: 4, column: "E-mail", message: "Must be an e-mail address" },
      { line: 4, column: "Phone", message: expect.any(String) },
      { line: 5, column: "Owner", message: expect.stringContaining("ghost@nowhere.test") },
    ]);
    const created = await ws.admin.client.get(`/api/v1/contacts?filter[email][eq]=${email}`);
    expect(created.json().data).toHaveLength(0);
    const csvFile = await ws.admin.client.get(`/api/v1/imports/${id}/errors.csv`);
    expect(csvFile.statusCode).toBe(200);
    expect(csvFile.headers["content-type"]).toContain("text/csv");
    const lines = csvFile.body
      .replace(/^\ufeff/, "")
      .trim()
      .split("\r\n");
    expect(lines[0]).toBe("line,errors,First Name,E-mail,Phone,Owner");
    expect(lines[1]).toBe("3,First Name: Required,,nobody@x.test,,");
    expect(lines[2]).toMatch(/^4,"?E-mail: Must be an e-mail address; Phone: [^"]*"?,Bob,not-an-email,n\/a,$/);
    expect(lines).toHaveLength(4);
  });

  it("checks a changed mapping as merged with the rest: a field already mapped from another column is refused", async () => {
    const { id } = (
      await upload(ws.admin, "contacts", "nick.csv", "First Name,Last Name,Nick\nAda,Lovelace,A\n")
    ).json();
    const twice = await ws.admin.client.patch(`/api/v1/imports/${id}`, { mapping: { Nick: "firstName" } });
    expect(twice.statusCode).toBe(400);
    expect(twice.json().errors).toEqual([{ path: "mapping.Nick", message: expect.stringContaining("First Name") }]);
    const read = await ws.admin.client.get(`/api/v1/imports/${id}`);
    expect(read.json().mapping).toEqual({ "First Name": "firstName", "Last Name": "lastName", Nick: null });
    const moved = await ws.admin.client.patch(`/api/v1/imports/${id}`, {
      mapping: { "First Name": null, Nick: "firstName" },
    });
    expect(moved.statusCode).toBe(200);
    expect(moved.json().mapping).toEqual({ "First Name": null, "Last Name": "lastName", Nick: "firstName" });
  });

  it("takes headers named __proto__ and constructor as columns, and their mapping back as the web app sends it", async () => {
    const csv = "First Name,__proto__,constructor,E-mail\nAda,x,y,not-an-email\n";
    const response = await upload(ws.admin, "contacts", "proto.csv", csv);
    expect(response.statusCode).toBe(201);
    const body = response.json();
    // No JSON body may hold the key __proto__ (the input guard refuses it): that column is named by its position.
    expect(body.columns).toEqual(["First Name", "__proto__ (column 2)", "constructor", "E-mail"]);
    expect(Object.entries(body.mapping).sort()).toEqual([
      ["E-mail", "email"],
      ["First Name", "firstName"],
      ["__proto__ (column 2)", null],
      ["constructor", null],
    ]);
    expect(Object.entries(body.sampleRows[0])).toContainEqual(["__proto__ (column 2)", "x"]);
    const saved = await ws.admin.client.patch(`/api/v1/imports/${body.id}`, {
      mapping: { ...body.mapping, constructor: "jobTitle" },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const dry = await dryRun(ws.admin, body.id);
    expect(dry).toMatchObject({ failed: 1, errors: [{ line: 2, column: "E-mail" }] });
    const errorsCsv = await ws.admin.client.get(`/api/v1/imports/${body.id}/errors.csv`);
    const lines = errorsCsv.body
      .replace(/^\ufeff/, "")
      .trim()
      .split("\r\n");
    expect(lines[0]).toBe("line,errors,First Name,__proto__ (column 2),constructor,E-mail");
    expect(lines[1]).toBe("2,E-mail: Must be an e-mail address,Ada,x,y,not-an-email");
  });

  it("refuses a row with a NUL character far into the file as that row's error, and imports the others", async () => {
    const good = Array.from({ length: 3_000 }, (_, i) => `Good ${i},job`);
    const csv = ["First Name,Job Title", ...good, "Nul\u0000ly,job", "Last,j\u0000ob"].join("\n");
    const { id } = (await upload(ws.admin, "contacts", "nul.csv", csv)).json();
    const dry = await dryRun(ws.admin, id);
    expect(dry).toMatchObject({ rowsTotal: 3_002, wouldCreate: 3_000, failed: 2 });
    expect(dry.errors).toEqual([
      { line: 3_002, column: "First Name", message: "Must not contain NUL characters" },
      { line: 3_003, column: "Job Title", message: "Must not contain NUL characters" },
    ]);
    expect((await ws.admin.client.post(`/api/v1/imports/${id}/start`)).statusCode).toBe(202);
    await runToEnd(ws.id, id);
    const done = (await ws.admin.client.get(`/api/v1/imports/${id}`)).json();
    expect(done).toMatchObject({ status: "completed", created: 3_000, failed: 2 });
    const errorsCsv = await ws.admin.client.get(`/api/v1/imports/${id}/errors.csv`);
    const lines = errorsCsv.body
      .replace(/^\ufeff/, "")
      .trim()
      .split("\r\n");
    expect(lines.slice(1)).toEqual([
      "3002,First Name: Must not contain NUL characters,Nul\ufffdly,job",
      "3003,Job Title: Must not contain NUL characters,Last,j\ufffdob",
    ]);
  });
});

describe("the dry run as a background job", () => {
  /** A contacts file of `batchRows + 5` rows, two of them bad, one in each batch. */
  const twoBatches = () => {
    const rows = Array.from({ length: batchRows + 5 }, (_, i) => `Row${i},row${i}.${unique()}@x.test`);
    rows[9] = ",nobody@x.test"; // line 11: no first name
    rows[batchRows + 2] = "Late,not-an-email"; // line 1004: bad e-mail
    return ["First Name,E-mail", ...rows].join("\n");
  };

  it("shows its progress batch by batch, and cancel returns the import to uploaded without its counts", async () => {
    const { id } = (await upload(ws.admin, "contacts", "progress.csv", twoBatches())).json();
    expect((await ws.admin.client.post(`/api/v1/imports/${id}/dry-run`)).statusCode).toBe(202);
    const { db } = await testDatabase();
    // A slice whose time is up after one batch, as a worker between two batches.
    expect(await dryRunSlice(db, ws.id, id, 0)).toBe("more");
    const midway = (await ws.admin.client.get(`/api/v1/imports/${id}`)).json();
    expect(midway).toMatchObject({
      status: "validating",
      rowsDone: batchRows,
      rowsTotal: batchRows + 5,
      rowsPerSecond: expect.any(Number),
      eta: expect.any(String),
      dryRun: { rowsTotal: batchRows, wouldCreate: batchRows - 1, failed: 1 },
      startedAt: null,
    });
    const found = (await ws.admin.client.get(`/api/v1/imports/${id}/errors`)).json();
    expect(found).toEqual({ data: [{ line: 11, column: "First Name", message: "Required" }], nextCursor: null });

    // While it validates, the mapping stays as it checks it, and the import waits for it.
    const patched = await ws.admin.client.patch(`/api/v1/imports/${id}`, { onDuplicate: "update" });
    expect(patched.statusCode).toBe(409);
    expect(patched.json().detail).toBe("A dry run is checking the import's rows: wait for it to end, or cancel it.");
    expect((await ws.admin.client.post(`/api/v1/imports/${id}/start`)).statusCode).toBe(409);

    const cancelled = await ws.admin.client.post(`/api/v1/imports/${id}/cancel`);
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(cancelled.json()).toMatchObject({ status: "uploaded", rowsDone: 0, dryRun: null, finishedAt: null });
    // The job's next batch sees the dry run gone and stops without counting it.
    expect(await dryRunSlice(db, ws.id, id, 60_000)).toBe("stopped");
    expect((await ws.admin.client.get(`/api/v1/imports/${id}`)).json()).toMatchObject({
      status: "uploaded",
      rowsDone: 0,
      dryRun: null,
    });
    expect((await ws.admin.client.get(`/api/v1/imports/${id}/errors`)).json().data).toEqual([]);

    // It can be checked again, then started.
    const again = await dryRun(ws.admin, id);
    expect(again).toMatchObject({ rowsTotal: batchRows + 5, wouldCreate: batchRows + 3, failed: 2 });
    expect(again.errors.map((e: { line: number }) => e.line)).toEqual([11, batchRows + 4]);
    expect((await ws.admin.client.post(`/api/v1/imports/${id}/start`)).statusCode).toBe(202);
  });

  it("starts over when asked again while it validates, from the first row with no errors or counts", async () => {
    const { id } = (await upload(ws.admin, "contacts", "again.csv", twoBatches())).json();
    const { db } = await testDatabase();
    expect((await ws.admin.client.post(`/api/v1/imports/${id}/dry-run`)).statusCode).toBe(202);
    expect(await dryRunSlice(db, ws.id, id, 0)).toBe("more");
    const restarted = await ws.admin.client.post(`/api/v1/imports/${id}/dry-run`);
    expect(restarted.json()).toMatchObject({
      status: "validating",
      rowsDone: 0,
      dryRun: { rowsTotal: 0, wouldCreate: 0, wouldUpdate: 0, wouldSkip: 0, failed: 0 },
    });
    expect((await ws.admin.client.get(`/api/v1/imports/${id}/errors`)).json().data).toEqual([]);
    expect(await dryRunToEnd(ws.id, id)).toBe("finished");
    expect((await ws.admin.client.get(`/api/v1/imports/${id}`)).json().dryRun).toEqual({
      rowsTotal: batchRows + 5,
      wouldCreate: batchRows + 3,
      wouldUpdate: 0,
      wouldSkip: 0,
      failed: 2,
    });
  });

  it("is refused without a required field mapped, to viewers and to another workspace", async () => {
    const { id } = (await upload(ws.admin, "contacts", "nofirst.csv", "Name,Mail\nAda,a@x.test\n")).json();
    const unmapped = await ws.admin.client.post(`/api/v1/imports/${id}/dry-run`);
    expect(unmapped.statusCode).toBe(400);
    expect((await ws.admin.client.get(`/api/v1/imports/${id}`)).json().status).toBe("uploaded");
    expect((await ws.viewer.client.post(`/api/v1/imports/${id}/dry-run`)).statusCode).toBe(403);
    expect((await other.admin.client.post(`/api/v1/imports/${id}/dry-run`)).statusCode).toBe(404);
    expect((await other.admin.client.get(`/api/v1/imports/${id}/errors`)).statusCode).toBe(404);
  });
});

describe("GET /api/v1/imports/:id/errors", () => {
  it("pages through the errors by line, then by column on a line, with a cursor", async () => {
    const csv = [
      "First Name,E-mail,Phone",
      ",bad-1,", // line 2: two errors
      "Ok,,",
      ",,", // line 4
      "Bad,bad-2,n/a", // line 5: two errors
      ",,", // line 6
    ].join("\n");
    const { id } = (await upload(ws.admin, "contacts", "paged.csv", csv)).json();
    const all = await dryRun(ws.admin, id);
    expect(all.failed).toBe(4);
    expect(all.errors.map((e: { line: number; column: string }) => [e.line, e.column])).toEqual([
      [2, "First Name"],
      [2, "E-mail"],
      [4, "First Name"],
      [5, "E-mail"],
      [5, "Phone"],
      [6, "First Name"],
    ]);
    const pages = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `limit=2&cursor=${cursor}` : "limit=2";
      const page = await ws.admin.client.get(`/api/v1/imports/${id}/errors?${query}`);
      expect(page.statusCode, page.body).toBe(200);
      pages.push(page.json().data);
      cursor = page.json().nextCursor;
    } while (cursor);
    expect(pages.map((page) => page.length)).toEqual([2, 2, 2]);
    expect(pages.flat()).toEqual(all.errors);
    const bad = await ws.admin.client.get(`/api/v1/imports/${id}/errors?cursor=nonsense`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors).toEqual([expect.objectContaining({ path: "cursor" })]);
    expect((await ws.admin.client.get(`/api/v1/imports/${id}/errors?limit=501`)).statusCode).toBe(400);
  });
});
