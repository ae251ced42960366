import { randomUUID } from "node:crypto";
import { parse } from "csv-parse/sync";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { createTestApp, createTestWorkspace, testDatabase, type TestWorkspace } from "../../test/create-test-app.ts";
import { loadExcelJs } from "../../lib/exceljs.ts";

let app: FastifyInstance;
let ws: TestWorkspace;

const bom = "\uFEFF";
/** Rows of a CSV answer, header first (its BOM removed). */
const rowsOf = (body: string): string[][] => parse(body.replace(/^\uFEFF/, ""), { relax_column_count: false });

async function contact(body: Record<string, unknown>, client = ws.admin.client): Promise<{ id: string }> {
  const response = await client.post("/api/v1/contacts", body);
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

/** Events of a workspace in the outbox: an export must add none. */
async function eventCount(workspaceId: string): Promise<number> {
  const { db } = await testDatabase();
  const result = (await db.execute(
    sql`select count(*)::int as count from outbox_events where workspace_id = ${workspaceId}`,
  )) as unknown as { rows: { count: number }[] };
  return result.rows[0]?.count ?? -1;
}

beforeAll(async () => {
  // No export limit here; its own app below checks the limit.
  app = await createTestApp({ env: { RATE_LIMIT_EXPORT_PER_MINUTE: "0" } });
  ws = await createTestWorkspace(app, "Exports");
  const company = await ws.admin.client.post("/api/v1/companies", { name: "Acme, Inc." });
  const companyId = company.json<{ id: string }>().id;
  await contact({ firstName: "Ada", lastName: "Lovelace", email: "ada@example.com", companyId, tags: ["vip"] });
  await contact({ firstName: "Grace", lastName: "Hopper", jobTitle: "Rear admiral", tags: ["vip", "navy"] });
  await contact({ firstName: "Alan", lastName: "Turing", lifecycle: "customer" });
  await contact({ firstName: "Agnes", lastName: "Agent" }, ws.agent.client);
});
afterAll(() => app.close());

describe("GET /<resource>/export as CSV", () => {
  it("streams the filtered, sorted list with the chosen columns, a header and a BOM, as an attachment", async () => {
    const response = await ws.manager.client.get(
      "/api/v1/contacts/export?filter[tags]=vip&sort=lastName&columns=lastName,firstName,email,companyName,tags",
    );
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(response.headers["content-disposition"]).toMatch(/^attachment; filename="contacts-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(response.body.startsWith(bom)).toBe(true);
    expect(response.body).toContain("\r\n");
    expect(rowsOf(response.body)).toEqual([
      ["lastName", "firstName", "email", "companyName", "tags"],
      ["Hopper", "Grace", "", "", "vip;navy"],
      ["Lovelace", "Ada", "ada@example.com", "Acme, Inc.", "vip"],
    ]);
  });

  it("omits the BOM with bom=false, and answers every column by default, dates in ISO 8601", async () => {
    const response = await ws.admin.client.get("/api/v1/contacts/export?bom=false&filter[lifecycle]=customer");
    expect(response.statusCode).toBe(200);
    expect(response.body.startsWith(bom)).toBe(false);
    const [header = [], alan = []] = rowsOf(response.body);
    expect(header.slice(0, 4)).toEqual(["id", "firstName", "lastName", "email"]);
    expect(header).toContain("ownerEmail");
    expect(alan[header.indexOf("ownerEmail")]).toBe(ws.admin.email);
    expect(alan[header.indexOf("createdAt")]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it("neutralises every formula-like text cell, and quotes commas, quotes and line breaks", async () => {
    const descriptions = ["=1+1", "+1", "-2", "@SUM(A1)", "\tTab", "\rReturn", 'a, "quoted"\nline'];
    for (const [index, description] of descriptions.entries()) {
      const created = await ws.admin.client.post("/api/v1/tasks", { title: `Injection ${index}`, description });
      expect(created.statusCode, created.body).toBe(201);
    }
    const response = await ws.admin.client.get("/api/v1/tasks/export?sort=title&columns=title,description");
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('"a, ""quoted""\nline"');
    expect(rowsOf(response.body)).toEqual([
      ["title", "description"],
      ["Injection 0", "'=1+1"],
      ["Injection 1", "'+1"],
      ["Injection 2", "'-2"],
      ["Injection 3", "'@SUM(A1)"],
      ["Injection 4", "'\tTab"],
      ["Injection 5", "'\rReturn"],
      ["Injection 6", 'a, "quoted"\nline'],
    ]);
  });

  it("writes money as decimal strings and numbers as numbers, never neutralised", async () => {
    await ws.admin.client.post("/api/v1/deals", { name: "Big deal", value: "1250.50" });
    const response = await ws.admin.client.get("/api/v1/deals/export?columns=name,value,probability,ownerEmail");
    expect(response.statusCode).toBe(200);
    const [, deal = []] = rowsOf(response.body);
    expect(deal[0]).toBe("Big deal");
    expect(deal[1]).toBe("1250.50");
    expect(deal[2]).toMatch(/^\d+$/);
  });
});

describe("other formats", () => {
  it("writes an XLSX workbook that exceljs reads back with the same values", async () => {
    const response = await ws.admin.client.get(
      "/api/v1/contacts/export?format=xlsx&sort=firstName&columns=firstName,lastName,email,tags,createdAt",
    );
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-disposition"]).toMatch(/\.xlsx"$/);
    const workbook = new (await loadExcelJs()).Workbook();
    await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet("contacts");
    const values =
      sheet
        ?.getSheetValues()
        .slice(1)
        .map((row) => (row as unknown[]).slice(1)) ?? [];
    expect(values[0]).toEqual(["firstName", "lastName", "email", "tags", "createdAt"]);
    const list = await ws.admin.client.get("/api/v1/contacts?sort=firstName&limit=200");
    const contacts = list.json<{
      data: { firstName: string; lastName: string; email: string | null; tags: string[]; createdAt: string }[];
    }>().data;
    expect(values.slice(1)).toEqual(
      contacts.map((c) => {
        const row: unknown[] = [c.firstName, c.lastName, c.email ?? undefined, c.tags.join(";") || undefined];
        row.push(new Date(c.createdAt));
        return row;
      }),
    );
  });

  it("writes JSON as one array and NDJSON as one object a line", async () => {
    const json = await ws.admin.client.get("/api/v1/contacts/export?format=json&sort=firstName&columns=firstName,tags");
    expect(json.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(json.json()).toEqual([
      { firstName: "Ada", tags: ["vip"] },
      { firstName: "Agnes", tags: [] },
      { firstName: "Alan", tags: [] },
      { firstName: "Grace", tags: ["vip", "navy"] },
    ]);
    const ndjson = await ws.admin.client.get("/api/v1/contacts/export?format=ndjson&sort=firstName&columns=firstName");
    expect(
      ndjson.body
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line) as unknown),
    ).toEqual([{ firstName: "Ada" }, { firstName: "Agnes" }, { firstName: "Alan" }, { firstName: "Grace" }]);
    const empty = await ws.admin.client.get("/api/v1/contacts/export?format=json&q=nobodyatall");
    expect(empty.json()).toEqual([]);
  });
});

describe("who may export what", () => {
  it("gives a manager exactly what their list shows, 'me' included", async () => {
    await contact({ firstName: "Mona", lastName: "Manager" }, ws.manager.client);
    for (const query of ["filter[ownerId]=me", "sort=lastName"]) {
      const list = await ws.manager.client.get(`/api/v1/contacts?${query}&limit=200`);
      const exported = await ws.manager.client.get(`/api/v1/contacts/export?${query}&format=json&columns=id`);
      expect(exported.statusCode).toBe(200);
      expect(exported.json<{ id: string }[]>().map((row) => row.id)).toEqual(
        list.json<{ data: { id: string }[] }>().data.map((row) => row.id),
      );
    }
    const own = await ws.manager.client.get("/api/v1/contacts/export?filter[ownerId]=me&format=json&columns=lastName");
    expect(own.json()).toEqual([{ lastName: "Manager" }]);
  });

  it("refuses agents and viewers, who may read the list but not export it (PRODUCT.md §2)", async () => {
    for (const member of [ws.agent, ws.viewer]) {
      for (const url of ["/api/v1/contacts/export?format=csv", "/api/v1/deals/export?format=json"]) {
        const refused = await member.client.get(url);
        expect(refused.statusCode, url).toBe(403);
        expect(refused.headers["content-type"]).toMatch(/^application\/problem\+json/);
        expect(refused.json()).toMatchObject({ detail: "Only admins and managers can export lists." });
      }
      const job = await member.client.post("/api/v1/contacts/exports?format=csv");
      expect(job.statusCode).toBe(403);
      // Still readable on screen.
      expect((await member.client.get("/api/v1/contacts")).statusCode).toBe(200);
    }
  });

  it("answers 401 without a session", async () => {
    const response = await app.inject({ method: "GET", url: "/api/v1/contacts/export" });
    expect(response.statusCode).toBe(401);
  });
});

describe("validation", () => {
  it("answers 400 naming an unknown column, before sending anything", async () => {
    const response = await ws.admin.client.get("/api/v1/contacts/export?columns=firstName,salary");
    expect(response.statusCode).toBe(400);
    expect(response.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(response.json().errors).toEqual([{ path: "columns", message: 'Unknown column "salary"' }]);
  });

  it.each([
    ["filter[constructor]=x", "filter[constructor]"],
    ["filter[__proto__]=x", "filter[__proto__]"],
    ["columns=__proto__", "columns"],
    ["columns=constructor", "columns"],
    ["q=a%00b", "q"],
    ["sort=salary", "sort"],
    ["cursor=abc", "cursor"],
    ["format=exe", "format"],
  ])("refuses %s with a 400 naming %s", async (query, path) => {
    const response = await ws.admin.client.get(`/api/v1/contacts/export?${query}`);
    expect(response.statusCode, response.body).toBe(400);
    expect(JSON.stringify(response.json())).toContain(path);
  });

  it("answers a HEAD with 405 and Allow: GET, without running or auditing the export", async () => {
    const before = await ws.admin.client.get("/api/v1/audit-logs?action=contact.exported&limit=200");
    for (const url of [
      "/api/v1/contacts/export?format=csv",
      "/api/v1/deals/export",
      `/api/v1/exports/${randomUUID()}/download`,
    ]) {
      const response = await ws.admin.client.request("HEAD", url);
      expect(response.statusCode, url).toBe(405);
      expect(response.headers.allow, url).toBe("GET");
    }
    const after = await ws.admin.client.get("/api/v1/audit-logs?action=contact.exported&limit=200");
    expect(after.json<{ data: unknown[] }>().data).toHaveLength(before.json<{ data: unknown[] }>().data.length);
  });

  it("offers vCard for contacts only", async () => {
    const response = await ws.admin.client.get("/api/v1/companies/export?format=vcf");
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual([{ path: "format", message: "vcf exports contacts only" }]);
  });
});

describe("audit", () => {
  it("writes one entry per export with its format, parameters and row count, and no event", async () => {
    const events = () => eventCount(ws.id);
    const eventsBefore = await events();
    const response = await ws.manager.client.get("/api/v1/contacts/export?filter[tags]=vip&format=json&columns=id");
    expect(response.json()).toHaveLength(2);
    expect(await events()).toBe(eventsBefore);
    const log = await ws.admin.client.get("/api/v1/audit-logs?action=contact.exported");
    const entries = log.json<{ data: { actor: { id: string }; details: Record<string, unknown> }[] }>().data;
    const entry = entries.find((e) => e.actor.id === ws.manager.userId);
    expect(entry?.details).toEqual({
      format: "json",
      parameters: { "filter[tags]": "vip" },
      columns: ["id"],
      rowCount: 2,
      complete: true,
    });
  });
});

describe("the export rate limit", () => {
  it("answers 429 past the export limit, while the list still answers", async () => {
    const limited = await createTestApp({ env: { RATE_LIMIT_EXPORT_PER_MINUTE: "2" } });
    try {
      const member = await createTestWorkspace(limited, "Export limit");
      const get = (url: string) => member.admin.client.get(url);
      expect((await get("/api/v1/contacts/export")).statusCode).toBe(200);
      expect((await get("/api/v1/deals/export")).statusCode).toBe(200);
      const refused = await get("/api/v1/contacts/export");
      expect(refused.statusCode).toBe(429);
      expect(refused.headers["retry-after"]).toBeDefined();
      expect((await get("/api/v1/contacts")).statusCode).toBe(200);
    } finally {
      await limited.close();
    }
  });
});
