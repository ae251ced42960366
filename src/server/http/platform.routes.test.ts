import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../app.ts";
import { parseConfig } from "../config.ts";
import type { Database } from "../db/client.ts";
import { createTestApp, testDatabase } from "../test/create-test-app.ts";

let app: FastifyInstance;

beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe("GET /healthz and /readyz", () => {
  it("answers 200 on /healthz", async () => {
    const response = await app.inject({ url: "/healthz" });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: "ok" });
  });

  it("answers 200 on /readyz when the database answers", async () => {
    const response = await app.inject({ url: "/readyz" });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: "ok", database: "ok" });
  });

  it("answers 503 on /readyz when the database does not answer, while /healthz stays 200", async () => {
    const brokenDb = {
      execute: () => Promise.reject(new Error("connection refused")),
    } as unknown as Database;
    const broken = await buildApp(parseConfig({ NODE_ENV: "test", LOG_LEVEL: "silent" }), { db: brokenDb });
    try {
      const ready = await broken.inject({ url: "/readyz" });
      expect(ready.statusCode).toBe(503);
      expect(ready.json()).toMatchObject({ status: "unavailable", database: "unreachable" });
      expect(ready.body).not.toContain("connection refused");
      expect((await broken.inject({ url: "/healthz" })).statusCode).toBe(200);
    } finally {
      await broken.close();
    }
  });
});

describe("GET /api/openapi.json and /api/docs", () => {
  it("serves an OpenAPI 3 document describing the API", async () => {
    const response = await app.inject({ url: "/api/openapi.json" });
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toContain("application/json");
    const document = response.json();
    expect(document.openapi).toMatch(/^3\.\d+\.\d+$/);
    expect(document.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    expect(Object.keys(document.paths["/api/v1/contacts"] ?? {})).toEqual(expect.arrayContaining(["get", "post"]));
    expect(Object.keys(document.paths["/api/v1/contacts/{id}"] ?? {})).toEqual(
      expect.arrayContaining(["get", "patch", "delete"]),
    );
    expect(document.paths["/api/v1/auth/sign-in"]?.post).toBeDefined();
    expect(document.paths["/api/v1/me"]?.get).toBeDefined();
  });

  it("documents every resource and action of the API contract", async () => {
    const paths = (await app.inject({ url: "/api/openapi.json" })).json().paths as Record<
      string,
      Record<string, unknown>
    >;
    const methodsOf = (path: string) => Object.keys(paths[path] ?? {});
    for (const resource of ["companies", "contacts", "leads", "deals", "pipelines", "activities", "tasks"]) {
      expect(methodsOf(`/api/v1/${resource}`), resource).toEqual(expect.arrayContaining(["get", "post"]));
      expect(methodsOf(`/api/v1/${resource}/count`), resource).toContain("get");
      expect(methodsOf(`/api/v1/${resource}/{id}`), resource).toEqual(
        expect.arrayContaining(["get", "patch", "delete"]),
      );
      expect(methodsOf(`/api/v1/${resource}/{id}/restore`), resource).toContain("post");
      if (resource !== "pipelines") expect(methodsOf(`/api/v1/${resource}/bulk`), resource).toContain("post");
    }
    expect(methodsOf("/api/v1/dashboard")).toContain("get");
    expect(methodsOf("/api/v1/views")).toEqual(expect.arrayContaining(["get", "post"]));
    expect(methodsOf("/api/v1/views/{id}")).toEqual(expect.arrayContaining(["get", "patch", "delete"]));
    expect(methodsOf("/api/v1/users")).toContain("get");
    expect(methodsOf("/api/v1/users/count")).toContain("get");
    expect(methodsOf("/api/v1/users/{id}")).toContain("get");
    expect(methodsOf("/api/v1/leads/{id}/convert")).toContain("post");
    expect(methodsOf("/api/v1/tasks/{id}/complete")).toContain("post");
    expect(methodsOf("/api/v1/tasks/{id}/reopen")).toContain("post");
    expect(methodsOf("/api/v1/workspaces")).toContain("post");
    expect(methodsOf("/api/v1/me/workspace")).toContain("post");
    expect(methodsOf("/api/v1/auth/sign-out")).toContain("post");
  });

  it("documents request bodies and problem responses of an operation", async () => {
    const document = (await app.inject({ url: "/api/openapi.json" })).json();
    const create = document.paths["/api/v1/contacts"].post;
    expect(create.requestBody?.content?.["application/json"]?.schema).toBeDefined();
    expect(Object.keys(create.responses)).toEqual(expect.arrayContaining(["201", "400", "401"]));
  });

  it("keeps operational endpoints out of the API document", async () => {
    const paths = Object.keys((await app.inject({ url: "/api/openapi.json" })).json().paths);
    expect(paths).not.toContain("/healthz");
    expect(paths).not.toContain("/readyz");
    expect(paths).not.toContain("/api/openapi.json");
  });

  it("serves the interactive documentation as HTML", async () => {
    const response = await app.inject({ url: "/api/docs" });
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toContain("text/html");
    expect(response.body).toMatch(/<html/i);
  });
});

describe("unknown routes", () => {
  it("answers 404 problem+json for an unknown /api route", async () => {
    const response = await app.inject({ method: "GET", url: "/api/v1/nothing-here?x=1" });
    expect(response.statusCode).toBe(404);
    expect(response.headers["content-type"]).toContain("application/problem+json");
    expect(response.json()).toMatchObject({
      type: "/problems/not-found",
      title: expect.any(String),
      status: 404,
      instance: "/api/v1/nothing-here",
    });
  });

  it("answers 405 problem+json with Allow for an unknown method on a known /api path", async () => {
    const response = await app.inject({ method: "PUT", url: "/api/v1/me" });
    expect(response.statusCode).toBe(405);
    expect(response.headers.allow).toBe("GET, HEAD, PATCH");
    expect(response.headers["content-type"]).toContain("application/problem+json");
  });

  it("answers any other page with the web app, whose router shows it (or its own not-found)", async () => {
    const response = await app.inject({ url: "/contacts/no-such-page" });
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toContain("text/html");
    expect(response.body).toContain('<div id="root">');
  });

  it("answers a missing script with 404, not with the page", async () => {
    const response = await app.inject({ url: "/assets/no-such-chunk.js" });
    expect(response.statusCode).toBe(404);
    expect(response.headers["content-type"]).toContain("application/problem+json");
  });

  it("answers other methods outside /api with a problem+json 404", async () => {
    const response = await app.inject({ method: "POST", url: "/no-such-page", payload: {} });
    expect(response.statusCode).toBe(404);
    expect(response.headers["content-type"]).toContain("application/problem+json");
    expect(response.json()).toMatchObject({ status: 404, type: "/problems/not-found" });
  });
});

describe("request ids", () => {
  it("gives every response an x-request-id, the same one problems carry", async () => {
    const response = await app.inject({ url: "/api/v1/me" });
    expect(response.statusCode).toBe(401);
    const id = response.headers["x-request-id"];
    expect(id).toMatch(uuid);
    expect(response.json().requestId).toBe(id);
    const other = await app.inject({ url: "/healthz" });
    expect(other.headers["x-request-id"]).toMatch(uuid);
    expect(other.headers["x-request-id"]).not.toBe(id);
  });

  it("keeps a caller's well-formed x-request-id", async () => {
    const given = "trace-0123456789abcdef";
    const response = await app.inject({ url: "/api/v1/me", headers: { "x-request-id": given } });
    expect(response.headers["x-request-id"]).toBe(given);
    expect(response.json().requestId).toBe(given);
  });

  it.each([
    ["too short", "abc"],
    ["with spaces", "not a valid id"],
    ["with markup", "<script>alert(1)</script>"],
    ["too long", "a".repeat(65)],
  ])("replaces a caller's x-request-id that is %s", async (_name, given) => {
    const response = await app.inject({ url: "/healthz", headers: { "x-request-id": given } });
    expect(response.headers["x-request-id"]).toMatch(uuid);
  });
});

describe("security headers", () => {
  it.each(["/healthz", "/api/v1/me", "/api/docs", "/"])(
    "sends CSP, frame denial, HSTS and nosniff on %s",
    async (url) => {
      const response = await app.inject({ url });
      const csp = String(response.headers["content-security-policy"] ?? "");
      expect(csp).toContain("default-src");
      expect(csp).toContain("object-src 'none'");
      const frameOptions = String(response.headers["x-frame-options"] ?? "").toUpperCase();
      expect(["DENY", "SAMEORIGIN"].includes(frameOptions) || /frame-ancestors '(none|self)'/.test(csp)).toBe(true);
      expect(response.headers["strict-transport-security"]).toMatch(/max-age=\d{6,}/);
      expect(response.headers["x-content-type-options"]).toBe("nosniff");
    },
  );

  it("does not advertise the server framework", async () => {
    const response = await app.inject({ url: "/healthz" });
    expect(response.headers["x-powered-by"]).toBeUndefined();
  });
});

describe("request bodies", () => {
  it("answers 413 problem+json for a body over the limit", async () => {
    const response = await app.inject({
      method: "POST",
      url: "/api/v1/auth/sign-in",
      headers: { "content-type": "application/json" },
      payload: JSON.stringify({ email: "a@example.com", password: "x".repeat(1024 * 1024) }),
    });
    expect(response.statusCode).toBe(413);
    expect(response.headers["content-type"]).toContain("application/problem+json");
    expect(response.json()).toMatchObject({ type: "/problems/payload-too-large", status: 413 });
  });

  it("honours a configured body limit", async () => {
    const { db } = await testDatabase();
    const small = await buildApp(parseConfig({ NODE_ENV: "test", LOG_LEVEL: "silent", BODY_LIMIT_BYTES: "1024" }), {
      db,
    });
    try {
      const body = JSON.stringify({ email: "a@example.com", password: "x".repeat(1100) });
      const response = await small.inject({
        method: "POST",
        url: "/api/v1/auth/sign-in",
        headers: { "content-type": "application/json" },
        payload: body,
      });
      expect(response.statusCode).toBe(413);
    } finally {
      await small.close();
    }
  });

  it.each(["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml"])(
    "answers 415 problem+json for a %s body",
    async (type) => {
      const response = await app.inject({
        method: "POST",
        url: "/api/v1/auth/sign-in",
        headers: { "content-type": type },
        payload: "email=a@example.com&password=x",
      });
      expect(response.statusCode).toBe(415);
      expect(response.headers["content-type"]).toContain("application/problem+json");
      expect(response.json()).toMatchObject({ type: "/problems/unsupported-media-type", status: 415 });
    },
  );

  it("answers 400 problem+json for malformed JSON", async () => {
    const response = await app.inject({
      method: "POST",
      url: "/api/v1/auth/sign-in",
      headers: { "content-type": "application/json" },
      payload: '{"email": ',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ type: "/problems/validation", status: 400 });
  });
});
