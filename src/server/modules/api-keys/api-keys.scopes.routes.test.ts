import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import type { FastifyInstance, InjectOptions } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "../../lib/ids.ts";
import { createTestApp, createTestWorkspace, testDatabase, type TestWorkspace } from "../../test/create-test-app.ts";

/**
 * Every route of the API, as the OpenAPI document lists them, against API keys: a key without
 * scopes is refused everywhere (403), and a key that does not authenticate gets the same 401
 * everywhere, holding nothing but the problem.
 */

type Document = { paths: Record<string, Record<string, { security?: unknown[] }>> };

let app: FastifyInstance;
let ws: TestWorkspace;
let routes: { method: string; url: string }[];

beforeAll(async () => {
  app = await createTestApp();
  ws = await createTestWorkspace(app);
  const document: Document = (await app.inject({ url: "/api/openapi.json" })).json();
  routes = Object.entries(document.paths).flatMap(([path, item]) =>
    Object.keys(item).map((method) => ({
      method: method.toUpperCase(),
      url: path.replace(/\{[^}]+\}/g, () => newId()),
    })),
  );
});
afterAll(() => app.close());

function send(key: string, route: { method: string; url: string }) {
  return app.inject({
    method: route.method as InjectOptions["method"],
    url: route.url,
    ...(route.method === "GET" ? {} : { payload: {} }),
    headers: { authorization: `Bearer ${key}` },
  });
}

/** A key without any scope: the API refuses to create one, so its scopes are emptied afterwards. */
async function keyWithoutScopes(): Promise<string> {
  const response = await ws.admin.client.post("/api/v1/api-keys", { name: "Nothing", scopes: ["*:write"] });
  expect(response.statusCode, response.body).toBe(201);
  const { db } = await testDatabase();
  await db.execute(sql`update api_keys set scopes = '{}' where id = ${response.json().id}`);
  return response.json().key;
}

describe("API keys on every route", () => {
  it("lists every /api/v1 route of the document", () => {
    expect(routes.length).toBeGreaterThan(50);
    expect(routes.filter((route) => !route.url.startsWith("/api/v1/"))).toEqual([]);
  });

  it("refuses a key without scopes on every route (403 problem+json, nothing else)", async () => {
    const key = await keyWithoutScopes();
    const answers = await Promise.all(routes.map(async (route) => ({ route, response: await send(key, route) })));
    const notRefused = answers.filter(({ response }) => response.statusCode !== 403);
    expect(notRefused.map(({ route, response }) => `${route.method} ${route.url} → ${response.statusCode}`)).toEqual(
      [],
    );
    for (const { route, response } of answers) {
      expect(response.headers["content-type"], route.url).toContain("application/problem+json");
      expect(Object.keys(response.json()).sort()).toEqual([
        "detail",
        "instance",
        "requestId",
        "status",
        "title",
        "type",
      ]);
      expect(response.json().detail).toMatch(
        /^(This API key lacks the scope [a-z-]+:(read|write)( \(or another collection's\))?\.|API keys cannot .+)$/,
      );
    }
  });

  it("answers the same 401, with no data, to a key that does not authenticate, on every route", async () => {
    const forged = `keel_${randomBytes(32).toString("base64url")}`;
    for (const route of routes) {
      const response = await send(forged, route);
      expect(response.statusCode, `${route.method} ${route.url}`).toBe(401);
      const { type, title, status, detail, ...rest } = response.json();
      expect({ type, title, status, detail }).toEqual({
        type: "/problems/unauthenticated",
        title: "Not signed in",
        status: 401,
        detail: "The API key is not valid.",
      });
      expect(Object.keys(rest).sort()).toEqual(["instance", "requestId"]);
    }
  });

  it("lets a *:read key read every resource and write none", async () => {
    const response = await ws.admin.client.post("/api/v1/api-keys", { name: "Reader", scopes: ["*:read"] });
    const key: string = response.json().key;
    for (const resource of ["contacts", "companies", "leads", "deals", "pipelines", "activities", "tasks", "users"]) {
      const read = await send(key, { method: "GET", url: `/api/v1/${resource}` });
      expect(read.statusCode, resource).toBe(200);
      if (resource === "users") continue; // read-only
      const write = await send(key, { method: "POST", url: `/api/v1/${resource}` });
      expect(write.statusCode, resource).toBe(403);
      expect(write.json().detail).toBe(`This API key lacks the scope ${resource}:write.`);
    }
    expect((await send(key, { method: "GET", url: "/api/v1/views" })).statusCode).toBe(200);
    expect((await send(key, { method: "GET", url: "/api/v1/dashboard" })).statusCode).toBe(200);
  });
});
