import type { FastifyInstance, InjectOptions } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, createTestWorkspace, type TestWorkspace } from "../test/create-test-app.ts";

/**
 * Bulk operations and merges are about one collection or another: an API key follows, and undoes,
 * those of the collections its scopes name, and no others (api-key-scopes.ts lets their routes
 * through to the services, which check the scope once they know the collection).
 */

let app: FastifyInstance;
let ws: TestWorkspace;

beforeAll(async () => {
  app = await createTestApp();
  ws = await createTestWorkspace(app);
});
afterAll(() => app.close());

const unique = () => `${Date.now()}${Math.random().toString(36).slice(2, 8)}`;

async function createKey(scopes: string[]): Promise<string> {
  const response = await ws.admin.client.post("/api/v1/api-keys", { name: `Key ${unique()}`, scopes });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ key: string }>().key;
}

function withKey(key: string, method: InjectOptions["method"], url: string, body?: Record<string, unknown>) {
  return app.inject({
    method,
    url,
    ...(body === undefined ? {} : { payload: body }),
    headers: { authorization: `Bearer ${key}` },
  });
}

async function contact(): Promise<string> {
  const response = await ws.admin.client.post("/api/v1/contacts", {
    firstName: "Key",
    lastName: unique(),
    email: `${unique()}@example.com`,
    lifecycle: "lead",
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ id: string }>().id;
}

describe("API keys and bulk operations", () => {
  let writer: string;
  let reader: string;
  let other: string;
  let operationId: string;
  let ids: string[];

  beforeAll(async () => {
    writer = await createKey(["contacts:write"]);
    reader = await createKey(["contacts:read"]);
    other = await createKey(["deals:write"]);
    ids = [await contact(), await contact()];
    const bulk = await withKey(writer, "POST", "/api/v1/contacts/bulk", {
      action: "update",
      ids,
      fields: { lifecycle: "customer" },
    });
    expect(bulk.statusCode, bulk.body).toBe(200);
    operationId = bulk.json<{ operationId: string }>().operationId;
  });

  it("reads an operation with its collection's read scope, and lists only those it may read", async () => {
    for (const key of [writer, reader]) {
      const one = await withKey(key, "GET", `/api/v1/bulk-operations/${operationId}`);
      expect(one.statusCode, one.body).toBe(200);
      expect(one.json()).toMatchObject({ operationId, resource: "contacts", updated: 2 });
      const list = await withKey(key, "GET", "/api/v1/bulk-operations");
      expect(list.json<{ data: { operationId: string }[] }>().data.map((o) => o.operationId)).toContain(operationId);
    }
    const refused = await withKey(other, "GET", `/api/v1/bulk-operations/${operationId}`);
    expect(refused.statusCode).toBe(403);
    expect(refused.json<{ detail: string }>().detail).toBe("This API key lacks the scope contacts:read.");
    const list = await withKey(other, "GET", "/api/v1/bulk-operations");
    expect(list.statusCode).toBe(200);
    expect(list.json<{ data: { operationId: string }[] }>().data.map((o) => o.operationId)).not.toContain(operationId);
  });

  it("undoes an operation only with its collection's write scope", async () => {
    for (const key of [reader, other]) {
      const refused = await withKey(key, "POST", `/api/v1/bulk-operations/${operationId}/undo`);
      expect(refused.statusCode, refused.body).toBe(403);
    }
    const undone = await withKey(writer, "POST", `/api/v1/bulk-operations/${operationId}/undo`);
    expect(undone.statusCode, undone.body).toBe(200);
    expect(undone.json()).toMatchObject({ status: "undone", reverted: 2 });
    for (const id of ids) {
      const read = await withKey(reader, "GET", `/api/v1/contacts/${id}`);
      expect(read.json()).toMatchObject({ lifecycle: "lead" });
    }
  });
});

describe("API keys and merges", () => {
  it("undoes a merge of contacts with contacts:write, and not with another collection's scope", async () => {
    const writer = await createKey(["contacts:write"]);
    const other = await createKey(["companies:write"]);
    const [survivorId, mergedId] = [await contact(), await contact()];
    const merged = await withKey(writer, "POST", "/api/v1/contacts/merge", {
      survivorId,
      mergedIds: [mergedId],
      fields: {},
    });
    expect(merged.statusCode, merged.body).toBe(200);
    const { mergeId } = merged.json<{ mergeId: string }>();

    const refused = await withKey(other, "POST", `/api/v1/merges/${mergeId}/undo`);
    expect(refused.statusCode).toBe(403);
    expect(refused.json<{ detail: string }>().detail).toBe("This API key lacks the scope contacts:write.");
    const undone = await withKey(writer, "POST", `/api/v1/merges/${mergeId}/undo`);
    expect(undone.statusCode, undone.body).toBe(200);
    expect((await withKey(writer, "GET", `/api/v1/contacts/${mergedId}`)).statusCode).toBe(200);
  });
});

describe("API keys and export jobs", () => {
  it("start, follow and read an export of contacts with contacts:read, and not with another list's scope", async () => {
    const reader = await createKey(["contacts:read"]);
    const other = await createKey(["deals:read"]);
    const started = await withKey(reader, "POST", "/api/v1/contacts/exports?format=csv");
    expect(started.statusCode, started.body).toBe(202);
    const { id } = started.json<{ id: string }>();

    const progress = await withKey(reader, "GET", `/api/v1/exports/${id}`);
    expect(progress.statusCode, progress.body).toBe(200);
    expect(progress.json()).toMatchObject({ id, resource: "contacts" });
    const refused = await withKey(other, "GET", `/api/v1/exports/${id}`);
    expect(refused.statusCode).toBe(403);
    expect(refused.json<{ detail: string }>().detail).toBe("This API key lacks the scope contacts:read.");
    expect((await withKey(other, "POST", "/api/v1/contacts/exports?format=csv")).statusCode).toBe(403);
  });
});
