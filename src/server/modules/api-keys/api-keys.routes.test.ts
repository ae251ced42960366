import { createHash, randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import type { FastifyInstance, InjectOptions } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiKey, CreatedApiKey } from "../../../shared/schemas/api-key.ts";
import { buildApp } from "../../app.ts";
import { parseConfig } from "../../config.ts";
import { newId } from "../../lib/ids.ts";
import {
  createTestApp,
  createTestWorkspace,
  testDatabase,
  type Member,
  type TestWorkspace,
} from "../../test/create-test-app.ts";

let app: FastifyInstance;
let ws: TestWorkspace;
let other: TestWorkspace;

beforeAll(async () => {
  app = await createTestApp();
  ws = await createTestWorkspace(app);
  other = await createTestWorkspace(app, "Other");
});
afterAll(() => app.close());

const unique = (prefix: string) => `${prefix} ${Math.random().toString(36).slice(2, 10)}`;

async function execute(query: ReturnType<typeof sql>): Promise<Record<string, unknown>[]> {
  const { db } = await testDatabase();
  return ((await db.execute(query)) as unknown as { rows: Record<string, unknown>[] }).rows;
}

async function createKey(scopes: string[], admin: Member = ws.admin): Promise<CreatedApiKey> {
  const response = await admin.client.post("/api/v1/api-keys", { name: unique("Key"), scopes });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

/** A request with the key alone: no cookie, no X-Workspace-Id (the key's workspace is implied). */
function withKey(
  key: string,
  method: InjectOptions["method"],
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  return app.inject({
    method,
    url,
    ...(body === undefined ? {} : { payload: body as InjectOptions["payload"] }),
    headers: { authorization: `Bearer ${key}`, ...headers },
  });
}

const problemOf = (response: { json: () => unknown }) => {
  const { type, title, status, detail } = response.json() as Record<string, unknown>;
  return { type, title, status, detail };
};
const invalidKey = {
  type: "/problems/unauthenticated",
  title: "Not signed in",
  status: 401,
  detail: "The API key is not valid.",
};

describe("POST /api/v1/api-keys", () => {
  it("creates a key for an admin and shows it this once, with 256 random bits, stored as its SHA-256", async () => {
    const response = await ws.admin.client.post("/api/v1/api-keys", {
      name: "  Zapier ",
      scopes: ["contacts:read", "contacts:write", "contacts:read"],
    });
    expect(response.statusCode, response.body).toBe(201);
    const created: CreatedApiKey = response.json();
    expect(created.key).toMatch(/^keel_[A-Za-z0-9_-]{43}$/);
    expect(created).toEqual({
      id: expect.any(String),
      name: "Zapier",
      prefix: created.key.slice(0, 12),
      scopes: ["contacts:read", "contacts:write"],
      createdBy: ws.admin.userId,
      createdAt: expect.any(String),
      lastUsedAt: null,
      lastUsedIp: null,
      expiresAt: null,
      revokedAt: null,
      key: created.key,
    });
    const [row] = await execute(sql`select * from api_keys where id = ${created.id}`);
    expect(row?.key_hash).toBe(createHash("sha256").update(created.key).digest("hex"));
    expect(JSON.stringify(row)).not.toContain(created.key);
  });

  it("keeps an expiry in the future, and refuses one in the past (400 on expiresAt)", async () => {
    const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
    const response = await ws.admin.client.post("/api/v1/api-keys", { name: "Later", scopes: ["*:read"], expiresAt });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json().expiresAt).toBe(expiresAt);
    const past = await ws.admin.client.post("/api/v1/api-keys", {
      name: "Past",
      scopes: ["*:read"],
      expiresAt: "2020-01-01T00:00:00Z",
    });
    expect(past.statusCode).toBe(400);
    expect(past.json().errors).toEqual([{ path: "expiresAt", message: "Must be in the future" }]);
  });

  it("answers 400 naming an unknown scope by its index, and refuses a key without scopes", async () => {
    const unknown = await ws.admin.client.post("/api/v1/api-keys", {
      name: "Bad",
      scopes: ["contacts:read", "contacts:delete", "api-keys:write"],
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors.map((error: { path: string }) => error.path)).toEqual(["scopes.1", "scopes.2"]);
    const none = await ws.admin.client.post("/api/v1/api-keys", { name: "None", scopes: [] });
    expect(none.statusCode).toBe(400);
    expect(none.json().errors.map((error: { path: string }) => error.path)).toEqual(["scopes"]);
  });

  it.each(["manager", "agent", "viewer"] as const)(
    "is refused to a %s (403), like listing and revoking",
    async (role) => {
      const key = await createKey(["contacts:read"]);
      const { client } = ws[role];
      expect((await client.post("/api/v1/api-keys", { name: "Mine", scopes: ["contacts:read"] })).statusCode).toBe(403);
      expect((await client.get("/api/v1/api-keys")).statusCode).toBe(403);
      expect((await client.delete(`/api/v1/api-keys/${key.id}`)).statusCode).toBe(403);
      expect((await withKey(key.key, "GET", "/api/v1/contacts")).statusCode).toBe(200);
    },
  );
});

describe("GET /api/v1/api-keys", () => {
  it("lists the workspace's keys newest first, never the key or its hash", async () => {
    const first = await createKey(["tasks:read"]);
    const second = await createKey(["tasks:write"]);
    const response = await ws.admin.client.get("/api/v1/api-keys");
    expect(response.statusCode).toBe(200);
    const { data } = response.json() as { data: ApiKey[] };
    const ids = data.map((key) => key.id);
    expect(ids.indexOf(second.id)).toBeLessThan(ids.indexOf(first.id));
    expect(Object.keys(data[0] ?? {}).sort()).toEqual(
      [
        "createdAt",
        "createdBy",
        "expiresAt",
        "id",
        "lastUsedAt",
        "lastUsedIp",
        "name",
        "prefix",
        "revokedAt",
        "scopes",
      ].sort(),
    );
    expect(response.body).not.toContain(first.key);
    expect(response.body).not.toContain(createHash("sha256").update(first.key).digest("hex"));
    const others = (await other.admin.client.get("/api/v1/api-keys")).json().data.map((key: ApiKey) => key.id);
    expect(others).not.toContain(first.id);
  });
});

describe("DELETE /api/v1/api-keys/:id", () => {
  it("revokes a key at once: its next request answers 401", async () => {
    const key = await createKey(["contacts:read"]);
    expect((await withKey(key.key, "GET", "/api/v1/contacts")).statusCode).toBe(200);
    expect((await ws.admin.client.delete(`/api/v1/api-keys/${key.id}`)).statusCode).toBe(204);
    const refused = await withKey(key.key, "GET", "/api/v1/contacts");
    expect(refused.statusCode).toBe(401);
    expect(problemOf(refused)).toEqual(invalidKey);
    const listed = (await ws.admin.client.get("/api/v1/api-keys")).json().data.find((k: ApiKey) => k.id === key.id);
    expect(listed.revokedAt).toEqual(expect.any(String));
    expect((await ws.admin.client.delete(`/api/v1/api-keys/${key.id}`)).statusCode).toBe(204);
  });

  it("answers 404 for an unknown key and for another workspace's, which keeps working", async () => {
    expect((await ws.admin.client.delete(`/api/v1/api-keys/${newId()}`)).statusCode).toBe(404);
    const foreign = await createKey(["contacts:read"], other.admin);
    expect((await ws.admin.client.delete(`/api/v1/api-keys/${foreign.id}`)).statusCode).toBe(404);
    expect((await withKey(foreign.key, "GET", "/api/v1/contacts")).statusCode).toBe(200);
  });
});

describe("Authorization: Bearer", () => {
  it("creates records with a contacts:write key, created by the key's admin, and reads them (write implies read)", async () => {
    const key = await createKey(["contacts:write"]);
    const created = await withKey(key.key, "POST", "/api/v1/contacts", { firstName: "Keyed" });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ createdBy: ws.admin.userId, ownerId: ws.admin.userId });
    const read = await withKey(key.key, "GET", `/api/v1/contacts/${created.json().id}`);
    expect(read.statusCode).toBe(200);
    expect((await withKey(key.key, "GET", "/api/v1/companies")).statusCode).toBe(403);
  });

  it("reads with a contacts:read key and answers 403 naming contacts:write for a write", async () => {
    const key = await createKey(["contacts:read"]);
    expect((await withKey(key.key, "GET", "/api/v1/contacts")).statusCode).toBe(200);
    const refused = await withKey(key.key, "POST", "/api/v1/contacts", { firstName: "Nope" });
    expect(refused.statusCode).toBe(403);
    expect(refused.headers["content-type"]).toContain("application/problem+json");
    expect(refused.json().detail).toBe("This API key lacks the scope contacts:write.");
  });

  it("acts in its own workspace only: another's X-Workspace-Id answers 404, its records stay invisible", async () => {
    const key = await createKey(["*:write"]);
    const foreign = await other.admin.client.post("/api/v1/contacts", { firstName: "Foreign" });
    expect(foreign.statusCode).toBe(201);
    const header = { "x-workspace-id": other.id };
    expect((await withKey(key.key, "GET", "/api/v1/contacts", undefined, header)).statusCode).toBe(404);
    const own = { "x-workspace-id": ws.id };
    expect((await withKey(key.key, "GET", "/api/v1/contacts", undefined, own)).statusCode).toBe(200);
    expect((await withKey(key.key, "GET", `/api/v1/contacts/${foreign.json().id}`)).statusCode).toBe(404);
    const listed = await withKey(key.key, "GET", "/api/v1/contacts?limit=200&filter[firstName]=Foreign");
    expect(listed.json().data.map((c: { id: string }) => c.id)).not.toContain(foreign.json().id);
    expect(
      (await withKey(key.key, "PATCH", `/api/v1/contacts/${foreign.json().id}`, { lastName: "X" })).statusCode,
    ).toBe(404);
  });

  it("answers the same 401 to forged, malformed, empty and expired keys", async () => {
    const expired = await createKey(["contacts:read"]);
    await execute(sql`update api_keys set expires_at = now() - interval '1 second' where id = ${expired.id}`);
    const forged = `keel_${randomBytes(32).toString("base64url")}`;
    for (const token of [forged, "keel_xxx", "abc", "", expired.key, `${expired.key}x`]) {
      const response = await withKey(token, "GET", "/api/v1/contacts");
      expect(response.statusCode, token).toBe(401);
      expect(response.headers["content-type"]).toContain("application/problem+json");
      expect(response.headers["www-authenticate"]).toBe('Bearer error="invalid_token"');
      expect(problemOf(response), token).toEqual(invalidKey);
    }
  });

  it("authenticates by the key alone when a cookie of another user comes along", async () => {
    const key = await createKey(["contacts:write"]);
    const response = await other.viewer.client.post(
      "/api/v1/contacts",
      { firstName: "Both" },
      {
        authorization: `Bearer ${key.key}`,
        "x-workspace-id": ws.id,
      },
    );
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json().createdBy).toBe(ws.admin.userId);
    const me = await other.viewer.client.get("/api/v1/me", { authorization: `Bearer ${key.key}` });
    expect(me.statusCode).toBe(403);
  });

  it("leaves other schemes (a proxy's Basic credentials) to the cookie, and to the cross-site write check", async () => {
    const basic = { authorization: `Basic ${Buffer.from("proxy:secret").toString("base64")}` };
    expect((await ws.viewer.client.get("/api/v1/me", basic)).statusCode).toBe(200);
    const crossSite = await ws.admin.client.post(
      "/api/v1/contacts",
      { firstName: "Forged" },
      { ...basic, origin: "https://evil.example" },
    );
    expect(crossSite.statusCode).toBe(403);
    expect(crossSite.json().detail).toContain("https://evil.example");
  });

  it.each([
    ["GET", "/api/v1/me"],
    ["POST", "/api/v1/me/workspace"],
    ["POST", "/api/v1/auth/sign-out"],
    ["POST", "/api/v1/workspaces"],
    ["GET", "/api/v1/api-keys"],
    ["POST", "/api/v1/api-keys"],
  ] as const)("refuses %s %s to a key of every scope (403: API keys cannot…)", async (method, url) => {
    const key = await createKey(["*:write"]);
    const response = await withKey(key.key, method, url, method === "GET" ? undefined : {});
    expect(response.statusCode).toBe(403);
    expect(response.json().detail).toMatch(/^API keys cannot /);
  });

  it("needs the scopes of everything a lead conversion writes", async () => {
    const key = await createKey(["leads:write"]);
    const lead = await withKey(key.key, "POST", "/api/v1/leads", { title: "Convert me" });
    expect(lead.statusCode, lead.body).toBe(201);
    const refused = await withKey(key.key, "POST", `/api/v1/leads/${lead.json().id}/convert`, {});
    expect(refused.statusCode).toBe(403);
    expect(refused.json().detail).toBe("This API key lacks the scope deals:write.");
  });

  it("records when and from where a key was last used, at most once a minute", async () => {
    const key = await createKey(["dashboard:read"]);
    expect((await withKey(key.key, "GET", "/api/v1/dashboard")).statusCode).toBe(200);
    const [first] = await execute(sql`select last_used_at, last_used_ip from api_keys where id = ${key.id}`);
    expect(first?.last_used_at).not.toBeNull();
    expect(first?.last_used_ip).toBe("127.0.0.1");
    expect((await withKey(key.key, "GET", "/api/v1/dashboard")).statusCode).toBe(200);
    const [second] = await execute(sql`select last_used_at from api_keys where id = ${key.id}`);
    expect(String(second?.last_used_at)).toBe(String(first?.last_used_at));
    const listed = (await ws.admin.client.get("/api/v1/api-keys")).json().data.find((k: ApiKey) => k.id === key.id);
    expect(listed).toMatchObject({ lastUsedAt: expect.any(String), lastUsedIp: "127.0.0.1" });
  });

  it("replays an Idempotency-Key to the same key only, not to another key of the same admin", async () => {
    const [one, two] = [await createKey(["tasks:write"]), await createKey(["tasks:write"])];
    const headers = { "idempotency-key": unique("retry").replace(" ", "-") };
    const first = await withKey(one.key, "POST", "/api/v1/tasks", { title: "Once" }, headers);
    const replay = await withKey(one.key, "POST", "/api/v1/tasks", { title: "Once" }, headers);
    const otherKey = await withKey(two.key, "POST", "/api/v1/tasks", { title: "Once" }, headers);
    expect([first.statusCode, replay.statusCode, otherKey.statusCode]).toEqual([201, 201, 201]);
    expect(replay.headers["idempotent-replayed"]).toBe("true");
    expect(replay.json().id).toBe(first.json().id);
    expect(otherKey.headers["idempotent-replayed"]).toBeUndefined();
    expect(otherKey.json().id).not.toBe(first.json().id);
  });
});

describe("the API rate limit", () => {
  it("counts a key's requests as the key's own, apart from its admin and their other keys", async () => {
    const { db } = await testDatabase();
    const env = { NODE_ENV: "test", LOG_LEVEL: "silent", RATE_LIMIT_API_PER_MINUTE: "2" };
    const limited = await buildApp(parseConfig(env), { db });
    try {
      const [one, two] = [await createKey(["contacts:read"]), await createKey(["contacts:read"])];
      const get = (headers: Record<string, string>) =>
        limited.inject({ url: "/api/v1/contacts", headers }).then((response) => response.statusCode);
      const byKey = (key: string) => get({ authorization: `Bearer ${key}` });
      expect([await byKey(one.key), await byKey(one.key), await byKey(one.key)]).toEqual([200, 200, 429]);
      expect(await byKey(two.key)).toBe(200);
      expect(await get({ cookie: `keel_session=${ws.admin.client.token ?? ""}`, "x-workspace-id": ws.id })).toBe(200);
    } finally {
      await limited.close();
    }
  });
});

describe("keys of an admin who is no longer one", () => {
  it("are revoked for good when the admin gets another role, or their account is disabled", async () => {
    const team = await createTestWorkspace(app, "Demoted");
    const key = await createKey(["contacts:read"], team.admin);
    expect((await withKey(key.key, "GET", "/api/v1/contacts")).statusCode).toBe(200);
    const membership = sql`workspace_id = ${team.id} and user_id = ${team.admin.userId}`;
    await execute(sql`update memberships set role = 'manager' where ${membership}`);
    expect((await withKey(key.key, "GET", "/api/v1/contacts")).statusCode).toBe(401);
    await execute(sql`update memberships set role = 'admin' where ${membership}`);
    expect((await withKey(key.key, "GET", "/api/v1/contacts")).statusCode).toBe(401);
    const [row] = await execute(sql`select revoked_at from api_keys where id = ${key.id}`);
    expect(row?.revoked_at).not.toBeNull();

    const later = await createKey(["contacts:read"], team.admin);
    await execute(sql`update users set disabled_at = now() where id = ${team.admin.userId}`);
    expect((await withKey(later.key, "GET", "/api/v1/contacts")).statusCode).toBe(401);
  });
});
