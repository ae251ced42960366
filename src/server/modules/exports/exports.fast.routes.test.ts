import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RequestContext } from "../../lib/context.ts";
import { createTestApp, createTestWorkspace, testDatabase, type TestWorkspace } from "../../test/create-test-app.ts";
import { streamOf, type ExportFormat } from "./exports.output.ts";
import { copiesSafely, readFastCsvPages, readFastPages, type ReadMode } from "./exports.read.ts";
import { withIdKey } from "../../db/keyset.ts";
import { exportResources, exportTargets, type ExportResource } from "./exports.resources.ts";
import { prepareExport } from "./exports.stream.ts";

/**
 * The fast read (exports.read.ts) against the list use case it stands in for: the same file, byte
 * for byte, for every list and format, and the same rows in the same order across keyset pages
 * for every kind of sort the lists have (plain, grouped by owner name, enum order).
 */

let app: FastifyInstance;
let ws: TestWorkspace;

async function contextOf(member: TestWorkspace["admin"]): Promise<RequestContext> {
  const { db } = await testDatabase();
  return {
    db,
    workspaceId: ws.id,
    actor: { kind: "user", userId: member.userId, role: member.role },
    requestId: "test",
  };
}

async function fileOf(
  ctx: RequestContext,
  resource: ExportResource,
  format: ExportFormat,
  query: Record<string, string>,
  read: "list" | ReadMode,
): Promise<string> {
  const prepared = prepareExport(ctx, exportTargets[resource], query, { columns: undefined, format });
  if (read === "list") prepared.fast = null;
  else {
    expect(prepared.fast).not.toBeNull();
    prepared.readMode = read;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of streamOf(prepared, format, true)) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}

beforeAll(async () => {
  app = await createTestApp({ env: { RATE_LIMIT_EXPORT_PER_MINUTE: "0" } });
  ws = await createTestWorkspace(app, "Fast exports");
  const post = async (path: string, body: Record<string, unknown>, client = ws.admin.client) => {
    const response = await client.post(`/api/v1/${path}`, body);
    expect(response.statusCode, response.body).toBe(201);
    return response.json<{ id: string }>().id;
  };
  const acme = await post("companies", {
    name: '=Acme, "Inc."',
    domain: "acme.example",
    annualRevenue: "1250.50",
    employeeCount: 12,
    address: { line1: "1 Main St", city: "Springfield", country: "US" },
  });
  const people: string[] = [];
  for (let i = 0; i < 7; i++) {
    const client = i % 3 === 0 ? ws.agent.client : i % 3 === 1 ? ws.manager.client : ws.admin.client;
    people.push(
      await post(
        "contacts",
        {
          firstName: i === 2 ? "+Plus" : `Person${i}`,
          lastName: i === 4 ? "Line\nbreak" : `Last${i % 3}`,
          email: `person${i}@example.com`,
          jobTitle: i % 2 ? '@boss, "big"' : null,
          companyId: i % 2 ? acme : null,
          lifecycle: i % 2 ? "customer" : "lead",
          tags: i % 2 ? ["vip", "=x"] : [],
        },
        client,
      ),
    );
  }
  const deal = await post("deals", { name: "Big deal", value: "99.90", contactId: people[1], companyId: acme });
  await post("leads", { title: "A lead", estimatedValue: "10.00", currency: "EUR", companyId: acme });
  await post("activities", {
    type: "call",
    subject: "-Called",
    contactId: people[1],
    dealId: deal,
    occurredAt: "2026-02-03T04:05:06.789Z",
  });
  await post("tasks", {
    title: "Follow up",
    description: "\tTabbed",
    contactId: people[2],
    dueAt: "2026-03-01T10:00:00.000Z",
  });
  await ws.admin.client.delete(`/api/v1/contacts/${people[6]}`);
}, 120_000);
afterAll(() => app.close());

describe("the fast export read", () => {
  for (const resource of exportResources) {
    it(`writes the ${resource} list exactly as the list use case does, in every format`, async () => {
      const ctx = await contextOf(ws.admin);
      const prepared = prepareExport(ctx, exportTargets[resource], {}, { columns: undefined, format: "csv" });
      // Leads (their contacts) and tasks (their dependencies) have columns only the list reads.
      if (!prepared.fast) {
        expect(["leads", "tasks"]).toContain(resource);
        return;
      }
      for (const format of ["csv", "json", "ndjson"] as const) {
        for (const query of [{}, { "filter[deleted]": "true" }] as Record<string, string>[]) {
          if (resource === "activities" && "filter[deleted]" in query) continue;
          const list = await fileOf(ctx, resource, format, query, "list");
          expect(await fileOf(ctx, resource, format, query, "pages"), `${resource} ${format}`).toBe(list);
          if (format === "csv") {
            expect(await fileOf(ctx, resource, format, query, "snapshot"), `${resource} ${format}`).toBe(list);
          }
        }
      }
    });
  }

  it("writes tasks and leads by the fast read when the chosen columns allow it", async () => {
    const ctx = await contextOf(ws.admin);
    const columns = "id,title,description,dueAt,assigneeEmail,contactName";
    const prepared = prepareExport(ctx, exportTargets.tasks, {}, { columns, format: "csv" });
    expect(prepared.fast).not.toBeNull();
    const response = await ws.admin.client.get(`/api/v1/tasks/export?columns=${columns}&bom=false`);
    expect(response.body).toContain("'\tTabbed");
    expect(response.body).toContain("+Plus");
  });

  it.each([
    ["-createdAt"],
    ["lastName,-firstName"],
    ["ownerId"],
    ["-ownerId,createdAt"],
    ["lifecycle,lastName"],
    ["-lifecycle"],
  ])("reads sort=%s in the list's order, by pages of two (cells and CSV) and in one snapshot", async (sort) => {
    const ctx = await contextOf(ws.manager);
    const prepared = prepareExport(ctx, exportTargets.contacts, { sort }, { columns: "id", format: "csv" });
    const { request, selects } = prepared.fast!;
    const list = await ws.manager.client.get(`/api/v1/contacts?sort=${sort}&limit=200`);
    const listed = list.json<{ data: { id: string }[] }>().data.map((contact) => contact.id);
    expect(listed).toHaveLength(6);
    const paged: string[] = [];
    for await (const page of readFastPages(ctx, exportTargets.contacts, request, selects, 2)) {
      expect(page.length).toBeLessThanOrEqual(2);
      for (const row of page) paged.push(String(row[0]));
    }
    expect(paged).toEqual(listed);
    for (const [mode, pageSize] of [
      ["snapshot", undefined],
      ["pages", 2],
    ] as const) {
      let lines = "";
      for await (const page of readFastCsvPages(
        ctx,
        exportTargets.contacts,
        request,
        selects,
        prepared.columns,
        mode,
        pageSize,
      )) {
        if (mode === "pages") expect(page.rows).toBeLessThanOrEqual(2);
        lines += page.text.toString();
      }
      expect(lines, mode).toBe(listed.map((id) => `${id}\r\n`).join(""));
    }
  });

  it("applies the list's filters and 'me', as GET /contacts does", async () => {
    for (const query of ["filter[ownerId]=me", "filter[lifecycle]=customer&sort=lastName", "filter[tags]=vip"]) {
      const list = await ws.manager.client.get(`/api/v1/contacts?${query}&limit=200`);
      const exported = await ws.manager.client.get(`/api/v1/contacts/export?${query}&format=json&columns=id`);
      expect(exported.json<{ id: string }[]>().map((row) => row.id)).toEqual(
        list.json<{ data: { id: string }[] }>().data.map((row) => row.id),
      );
    }
  });

  it("copies only statements whose written-in values no person typed: ids, numbers, instants, enum values", async () => {
    const ctx = await contextOf(ws.admin);
    const copies = (query: Record<string, string>) => {
      const { request } = prepareExport(ctx, exportTargets.contacts, query, { columns: "id", format: "csv" }).fast!;
      const keys = withIdKey(request.sortKeys, exportTargets.contacts.listSpec.table.id);
      return copiesSafely(exportTargets.contacts.listSpec, request, keys);
    };
    expect(copies({})).toBe(true);
    expect(copies({ "filter[lifecycle]": "customer", sort: "-createdAt" })).toBe(true);
    expect(copies({ "filter[ownerId]": ws.agent.userId, sort: "ownerId" })).toBe(true);
    expect(copies({ "filter[lifecycle][in]": "customer,lead" })).toBe(true);
    expect(copies({ "filter[email]": "person1@example.com" })).toBe(false);
    expect(copies({ "filter[tags]": "vip" })).toBe(false);
    expect(copies({ sort: "lastName" })).toBe(false);
  });

  it("writes a one-column CSV of a value that is exactly \\. as it is, by every read", async () => {
    const own = await createTestWorkspace(app, "Fast exports, one column");
    const created = await own.admin.client.post("/api/v1/contacts", { firstName: "\\.", lastName: "Dot" });
    expect(created.statusCode).toBe(201);
    const ctx = { ...(await contextOf(own.admin)), workspaceId: own.id };
    const files = [];
    for (const read of ["list", "pages", "snapshot"] as const) {
      const prepared = prepareExport(ctx, exportTargets.contacts, {}, { columns: "firstName", format: "csv" });
      if (read === "list") prepared.fast = null;
      else prepared.readMode = read;
      const chunks: Buffer[] = [];
      for await (const chunk of streamOf(prepared, "csv", false)) chunks.push(Buffer.from(chunk as Buffer));
      files.push(Buffer.concat(chunks).toString("utf8"));
    }
    expect(files).toEqual(["firstName\r\n\\.\r\n", "firstName\r\n\\.\r\n", "firstName\r\n\\.\r\n"]);
  });
});
