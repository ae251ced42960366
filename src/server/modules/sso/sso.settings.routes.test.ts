import { eq, sql } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SsoSettings } from "../../../shared/schemas/sso.ts";
import { buildApp } from "../../app.ts";
import { parseConfig } from "../../config.ts";
import { withWorkspaceTransaction } from "../../db/transaction.ts";
import {
  anonymous,
  createTestApp,
  createTestWorkspace,
  testDatabase,
  type TestWorkspace,
} from "../../test/create-test-app.ts";
import { freePort } from "../../test/ports.ts";
import { ssoProviders } from "./sso.table.ts";
import { startTestProvider, type TestProvider } from "./sso.test-provider.ts";

/** The workspace's single sign-on settings: admins only, the client secret sealed and never answered. */

let app: FastifyInstance;
let provider: TestProvider;

beforeAll(async () => {
  // The test provider on 127.0.0.1, and localhost (a name for it), are allowed; other internal addresses are not.
  app = await createTestApp({ env: { SSO_ALLOWED_HOSTS: "127.0.0.1,localhost" } });
  provider = await startTestProvider();
});
afterAll(async () => {
  await app.close();
  await provider.close();
});

const secret = "s3cret-of-the-client-at-the-provider";

function settings(overrides: Record<string, unknown> = {}) {
  return {
    issuer: provider.issuer,
    clientId: "keel-client",
    clientSecret: secret,
    allowedDomains: ["Example.COM", "example.com", "mail.example.org"],
    defaultRole: "agent",
    enabled: true,
    ...overrides,
  };
}

const save = (ws: TestWorkspace, body: unknown, member = ws.admin) =>
  member.client.request("PUT", "/api/v1/sso", body as never);

async function storedSecret(workspaceId: string): Promise<string | undefined> {
  const { db } = await testDatabase();
  const [row] = await db
    .select({ clientSecret: ssoProviders.clientSecret })
    .from(ssoProviders)
    .where(eq(ssoProviders.workspaceId, workspaceId));
  return row?.clientSecret;
}

describe("PUT /api/v1/sso", () => {
  it("sets single sign-on up, answers it without the secret, and stores the secret encrypted", async () => {
    const ws = await createTestWorkspace(app);
    const response = await save(ws, settings());
    expect(response.statusCode, response.body).toBe(200);
    const answered: SsoSettings = response.json();
    expect(answered).toEqual({
      issuer: provider.issuer,
      clientId: "keel-client",
      hasClientSecret: true,
      allowedDomains: ["example.com", "mail.example.org"],
      defaultRole: "agent",
      enabled: true,
      redirectUri: expect.stringMatching(
        /^http:\/\/localhost\/api\/v1\/auth\/oidc\/test-workspace-[a-z0-9]{8}\/callback$/,
      ),
      signInUrl: expect.stringMatching(/^http:\/\/localhost\/api\/v1\/auth\/oidc\/test-workspace-[a-z0-9]{8}\/start$/),
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect(response.body).not.toContain(secret);
    const stored = await storedSecret(ws.id);
    expect(stored).toBeDefined();
    expect(stored).not.toContain(secret);
    expect(app.secretBox.open(stored ?? "")).toBe(secret);
    expect((await ws.admin.client.get("/api/v1/sso")).json()).toEqual(answered);
  });

  it("keeps the stored secret when none is sent, and replaces it when one is", async () => {
    const ws = await createTestWorkspace(app);
    await save(ws, settings());
    const first = await storedSecret(ws.id);
    const withoutSecret: Record<string, unknown> = settings({ clientId: "renamed", defaultRole: "viewer" });
    delete withoutSecret.clientSecret;
    const kept = await save(ws, withoutSecret);
    expect(kept.statusCode, kept.body).toBe(200);
    expect(kept.json()).toMatchObject({ clientId: "renamed", defaultRole: "viewer", hasClientSecret: true });
    expect(await storedSecret(ws.id)).toBe(first);
    await save(ws, settings({ clientSecret: "another-secret" }));
    expect(app.secretBox.open((await storedSecret(ws.id)) ?? "")).toBe("another-secret");
  });

  it("requires the client secret when setting up (400 naming clientSecret)", async () => {
    const ws = await createTestWorkspace(app);
    const withoutSecret: Record<string, unknown> = settings();
    delete withoutSecret.clientSecret;
    const response = await save(ws, withoutSecret);
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual([{ path: "clientSecret", message: expect.any(String) }]);
    expect((await ws.admin.client.get("/api/v1/sso")).statusCode).toBe(404);
  });

  it.each([
    ["issuer", { issuer: "ftp://login.example.com" }, "issuer"],
    ["issuer", { issuer: "https://login.example.com/?tenant=1" }, "issuer"],
    ["issuer", { issuer: "login.example.com" }, "issuer"],
    ["allowedDomains", { allowedDomains: ["example"] }, "allowedDomains.0"],
    ["allowedDomains", { allowedDomains: ["ex ample.com"] }, "allowedDomains.0"],
    ["allowedDomains", { allowedDomains: ["@example.com"] }, "allowedDomains.0"],
    ["defaultRole", { defaultRole: "owner" }, "defaultRole"],
    ["clientId", { clientId: " " }, "clientId"],
  ])("refuses a bad %s: %j", async (_field, overrides, path) => {
    const ws = await createTestWorkspace(app);
    const response = await save(ws, settings(overrides));
    expect(response.statusCode).toBe(400);
    expect(response.json().errors.map((e: { path: string }) => e.path)).toContain(path);
  });

  it.each([
    ["https://10.0.0.5:8080", "is a private address (10.0.0.5)"],
    ["http://169.254.169.254", "is a cloud metadata address (169.254.169.254)"],
    ["https://[fd00:ec2::254]", "is a cloud metadata address (fd00:ec2::254)"],
    ["https://127.0.0.2:5432", "is a loopback address (127.0.0.2)"],
    ["https://[::1]", "is a loopback address (::1)"],
    ["https://[::ffff:127.0.0.1]", "is a loopback address (::ffff:7f00:1)"],
    ["https://0x7f.0.0.2", "is a loopback address (127.0.0.2)"],
    ["https://192.168.1.20/realms/keel", "is a private address (192.168.1.20)"],
  ])("refuses the internal issuer %s (400 naming issuer), also while disabled", async (issuer, reason) => {
    const ws = await createTestWorkspace(app);
    const message = `The issuer ${reason}, which Keel does not call.`;
    for (const enabled of [true, false]) {
      const response = await save(ws, settings({ issuer, enabled }));
      expect(response.statusCode, response.body).toBe(400);
      expect(response.headers["content-type"]).toMatch(/^application\/problem\+json/);
      expect(response.json()).toMatchObject({ detail: message, errors: [{ path: "issuer", message }] });
    }
    expect((await ws.admin.client.get("/api/v1/sso")).statusCode).toBe(404);
  });

  it("checks the issuer's discovery document while enabled (422 naming issuer), not while disabled", async () => {
    const ws = await createTestWorkspace(app);
    const unreachable = `http://127.0.0.1:${await freePort()}`;
    const refused = await save(ws, settings({ issuer: unreachable }));
    expect(refused.statusCode).toBe(422);
    expect(refused.json().errors).toEqual([
      { path: "issuer", message: `Keel could not read ${unreachable}/.well-known/openid-configuration` },
    ]);
    // The provider's document names itself with 127.0.0.1: localhost is another issuer.
    const mismatched = await save(ws, settings({ issuer: provider.issuer.replace("127.0.0.1", "localhost") }));
    expect(mismatched.statusCode).toBe(422);
    expect(mismatched.json().errors[0].message).toMatch(/names another issuer/);
    // A lone trailing slash is dropped: the same issuer.
    const slashed = await save(ws, settings({ issuer: `${provider.issuer}/` }));
    expect(slashed.json().issuer).toBe(provider.issuer);
    const disabled = await save(ws, settings({ issuer: unreachable, enabled: false }));
    expect(disabled.statusCode, disabled.body).toBe(200);
  });

  it("builds the links on PUBLIC_URL when it is set", async () => {
    const { db } = await testDatabase();
    const env = { NODE_ENV: "test", LOG_LEVEL: "silent", PUBLIC_URL: "https://crm.example.com/" };
    const configured = await buildApp(parseConfig(env), { db });
    try {
      const ws = await createTestWorkspace(configured);
      const links = (await ws.admin.client.get("/api/v1/sso/links")).json();
      expect(links.redirectUri).toMatch(/^https:\/\/crm\.example\.com\/api\/v1\/auth\/oidc\/[a-z0-9-]+\/callback$/);
      expect(links.signInUrl).toMatch(/^https:\/\/crm\.example\.com\/api\/v1\/auth\/oidc\/[a-z0-9-]+\/start$/);
    } finally {
      await configured.close();
    }
  });
});

describe("who may read and change single sign-on", () => {
  let ws: TestWorkspace;
  let other: TestWorkspace;
  beforeAll(async () => {
    ws = await createTestWorkspace(app);
    other = await createTestWorkspace(app, "Other");
    expect((await save(ws, settings())).statusCode).toBe(200);
  });

  it.each(["manager", "agent", "viewer"] as const)("refuses a %s (403) every operation", async (role) => {
    const { client } = ws[role];
    expect((await client.get("/api/v1/sso")).statusCode).toBe(403);
    expect((await client.get("/api/v1/sso/links")).statusCode).toBe(403);
    expect((await save(ws, settings({ clientId: "taken-over" }), ws[role])).statusCode).toBe(403);
    expect((await client.delete("/api/v1/sso")).statusCode).toBe(403);
    expect((await ws.admin.client.get("/api/v1/sso")).json().clientId).toBe("keel-client");
  });

  it("refuses anonymous callers (401) and API keys, even an admin's with every scope (403)", async () => {
    expect((await anonymous(app).get("/api/v1/sso")).statusCode).toBe(401);
    const created = await ws.admin.client.post("/api/v1/api-keys", { name: "Everything", scopes: ["*:write"] });
    const headers = { authorization: `Bearer ${created.json().key as string}` };
    expect((await app.inject({ url: "/api/v1/sso", headers })).statusCode).toBe(403);
    expect((await app.inject({ method: "DELETE", url: "/api/v1/sso", headers })).statusCode).toBe(403);
  });

  it("keeps each workspace's settings to its own admins", async () => {
    // Another workspace's admin sees their own workspace's (none), and cannot name this one.
    expect((await other.admin.client.get("/api/v1/sso")).statusCode).toBe(404);
    const named = { "x-workspace-id": ws.id };
    expect((await other.admin.client.get("/api/v1/sso", named)).statusCode).toBe(404);
    expect((await other.admin.client.request("PUT", "/api/v1/sso", settings(), named)).statusCode).toBe(404);
    expect((await other.admin.client.request("DELETE", "/api/v1/sso", undefined, named)).statusCode).toBe(404);
    // Setting their own up changes nothing here.
    expect((await save(other, settings({ clientId: "other-client" }))).statusCode).toBe(200);
    expect((await ws.admin.client.get("/api/v1/sso")).json().clientId).toBe("keel-client");
    expect((await other.admin.client.get("/api/v1/sso")).json().clientId).toBe("other-client");
  });

  it("lets keel_app, which serves admins, see only its workspace's row and never a client secret", async () => {
    const { db } = await testDatabase();
    const rows = await withWorkspaceTransaction(db, ws.id, (tx) =>
      tx.select({ workspaceId: ssoProviders.workspaceId }).from(ssoProviders),
    );
    expect(rows).toEqual([{ workspaceId: ws.id }]);
    await expect(
      withWorkspaceTransaction(db, ws.id, (tx) => tx.execute(sql`select client_secret from sso_providers`)),
    ).rejects.toMatchObject({ cause: { code: "42501" } });
  });
});

describe("DELETE /api/v1/sso", () => {
  it("forgets the settings: 404 afterwards, and no sign-in can start", async () => {
    const ws = await createTestWorkspace(app);
    const saved = (await save(ws, settings())).json<SsoSettings>();
    expect((await ws.admin.client.delete("/api/v1/sso")).statusCode).toBe(204);
    expect((await ws.admin.client.get("/api/v1/sso")).statusCode).toBe(404);
    expect((await app.inject({ url: new URL(saved.signInUrl).pathname })).statusCode).toBe(404);
    expect((await ws.admin.client.delete("/api/v1/sso")).statusCode).toBe(404);
    expect(await storedSecret(ws.id)).toBeUndefined();
  });
});
