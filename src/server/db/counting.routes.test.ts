import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contactsListSpec } from "../modules/contacts/index.ts";
import { createTestApp, createTestWorkspace, testDatabase, type TestWorkspace } from "../test/create-test-app.ts";
import { countRows, parseListRequest } from "./listing.ts";
import { withWorkspaceTransaction } from "./transaction.ts";

let app: FastifyInstance;
let ws: TestWorkspace;

beforeAll(async () => {
  app = await createTestApp();
  ws = await createTestWorkspace(app, "Counting");
  for (const [index, lifecycle] of ["lead", "lead", "customer", "lead", "customer", "lead"].entries()) {
    const response = await ws.admin.client.post("/api/v1/contacts", { firstName: `Count ${index}`, lifecycle });
    expect(response.statusCode).toBe(201);
  }
});
afterAll(() => app.close());

/** The count of a contacts list query, counting exactly up to `exactUpTo`. */
async function countContacts(query: Record<string, unknown>, exactUpTo: number) {
  const { db } = await testDatabase();
  const request = parseListRequest(contactsListSpec, query, ws.admin.userId, "count");
  return withWorkspaceTransaction(db, ws.id, (tx) => countRows(tx, contactsListSpec, ws.id, request, [], exactUpTo));
}

describe("list counts", () => {
  it("answers exact counts, with the list's filters and search, and no estimate mark", async () => {
    expect((await ws.viewer.client.get("/api/v1/contacts/count")).json()).toEqual({ count: 6 });
    expect((await ws.viewer.client.get("/api/v1/contacts/count?filter[lifecycle]=customer")).json()).toEqual({
      count: 2,
    });
    expect((await ws.viewer.client.get("/api/v1/contacts/count?q=Count")).json()).toEqual({ count: 6 });
  });

  it("counts exactly up to the limit and estimates past it, marked as an estimate", async () => {
    expect(await countContacts({}, 6)).toEqual({ count: 6 });
    const estimated = await countContacts({}, 3);
    expect(estimated.isEstimate).toBe(true);
    // Never below what was seen: past the limit means at least limit + 1.
    expect(estimated.count).toBeGreaterThanOrEqual(4);
    expect(await countContacts({ "filter[lifecycle]": "customer" }, 3)).toEqual({ count: 2 });
    const searched = await countContacts({ q: "Count" }, 2);
    expect(searched).toMatchObject({ isEstimate: true });
    expect(searched.count).toBeGreaterThanOrEqual(3);
  });

  it("answers the estimate mark through the API schema of every count", async () => {
    const document = (await app.inject({ method: "GET", url: "/api/docs/json" })).json();
    const count = document.paths["/api/v1/contacts/count"].get.responses["200"].content["application/json"].schema;
    expect(JSON.stringify(count)).toContain("isEstimate");
  });
});
