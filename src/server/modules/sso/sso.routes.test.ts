import { eq, sql } from "drizzle-orm";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../app.ts";
import { parseConfig } from "../../config.ts";
import { newId } from "../../lib/ids.ts";
import {
  Client,
  anonymous,
  createTestApp,
  createTestWorkspace,
  createUser,
  testDatabase,
  type TestWorkspace,
} from "../../test/create-test-app.ts";
import { memberships, users } from "../users/users.table.ts";
import { freePort } from "../../test/ports.ts";
import { ssoLoginStates, ssoProviders } from "./sso.table.ts";
import { startTestProvider, type TestAccount, type TestProvider } from "./sso.test-provider.ts";

/**
 * Signing in through a workspace's OpenID Connect provider, against a real one (oidc-provider on
 * loopback, allowed by SSO_ALLOWED_HOSTS): Keel is driven with inject, and Keel's discovery and
 * code exchange are real HTTP.
 */

let app: FastifyInstance;
let provider: TestProvider;
/** The test providers listen on 127.0.0.1, which Keel calls only when it is an allowed host. */
const allowLoopback = { SSO_ALLOWED_HOSTS: "127.0.0.1" };

beforeAll(async () => {
  app = await createTestApp({ env: allowLoopback });
  provider = await startTestProvider();
});
afterAll(async () => {
  await app.close();
  await provider.close();
});

type Sso = { slug: string; redirectUri: string };
type Settings = { allowedDomains?: string[]; defaultRole?: string; enabled?: boolean };

/** Registers the workspace's redirect URI at `idp` and sets single sign-on up with it. */
async function setUpSso(ws: TestWorkspace, settings: Settings = {}, idp: TestProvider = provider): Promise<Sso> {
  const links = (await ws.admin.client.get("/api/v1/sso/links")).json<{ redirectUri: string; signInUrl: string }>();
  const client = await idp.registerClient(links.redirectUri);
  const saved = await ws.admin.client.request("PUT", "/api/v1/sso", {
    issuer: idp.issuer,
    clientId: client.clientId,
    clientSecret: client.clientSecret,
    allowedDomains: [],
    defaultRole: "agent",
    enabled: true,
    ...settings,
  });
  expect(saved.statusCode, saved.body).toBe(200);
  const slug = /\/auth\/oidc\/([^/]+)\/start$/.exec(links.signInUrl)?.[1] ?? "";
  return { slug, redirectUri: links.redirectUri };
}

/** A person at the provider, with a unique e-mail at `domain`. */
function person(claims: TestAccount & { domain?: string } = {}): { id: string; email: string } {
  const id = newId();
  const { domain = "sso.keel.test", ...rest } = claims;
  const email = `person-${id}@${domain}`;
  provider.accounts.set(id, { email, email_verified: true, name: "Grace Hopper", ...rest });
  return { id, email };
}

type Attempt = { start: LightMyRequestResponse; callbackPath: string; stateCookie: string };

/** The browser's trip: Keel's start, the provider's sign-in as `accountId`, up to the callback URL. */
async function startAndLogIn(
  slug: string,
  accountId: string,
  options: { redirect?: string; deny?: boolean; idp?: TestProvider } = {},
): Promise<Attempt> {
  const query = options.redirect ? `?redirect=${encodeURIComponent(options.redirect)}` : "";
  const start = await app.inject({ url: `/api/v1/auth/oidc/${slug}/start${query}` });
  expect(start.statusCode, start.body).toBe(302);
  const stateCookie = start.cookies.find((c) => c.name === "keel_sso_state")?.value ?? "";
  const callback = await (options.idp ?? provider).login(String(start.headers.location), accountId, options);
  return { start, callbackPath: callback.pathname + callback.search, stateCookie };
}

const callback = (attempt: Attempt, cookie = attempt.stateCookie) =>
  app.inject({ url: attempt.callbackPath, cookies: cookie ? { keel_sso_state: cookie } : {} });

/** Signs in through the provider as `accountId`; answers the callback's response. */
async function signIn(slug: string, accountId: string, options: { redirect?: string; idp?: TestProvider } = {}) {
  return callback(await startAndLogIn(slug, accountId, options));
}

/** The client of the session a callback's response set. */
function sessionOf(response: LightMyRequestResponse): Client {
  const token = response.cookies.find((c) => c.name === "keel_session")?.value;
  if (!token) throw new Error(`no session cookie: ${response.statusCode} ${String(response.headers.location)}`);
  return new Client(app, token, null);
}

const refusedWith = (response: LightMyRequestResponse, code: string) => {
  expect(response.statusCode).toBe(303);
  expect(response.headers.location).toBe(`/sign-in?sso_error=${code}`);
  expect(response.cookies.some((c) => c.name === "keel_session")).toBe(false);
};

async function userByEmail(email: string) {
  const { db } = await testDatabase();
  const [row] = await db
    .select({ id: users.id, name: users.name, passwordHash: users.passwordHash, verified: users.emailVerifiedAt })
    .from(users)
    .where(eq(sql`lower(${users.email})`, email.toLowerCase()));
  return row;
}

describe("GET /api/v1/auth/oidc/:workspaceSlug/start", () => {
  it("redirects to the provider with state, nonce and PKCE (S256), and ties the state to the browser", async () => {
    const ws = await createTestWorkspace(app);
    const { slug, redirectUri } = await setUpSso(ws);
    const start = await app.inject({ url: `/api/v1/auth/oidc/${slug}/start` });
    expect(start.statusCode).toBe(302);
    const location = new URL(String(start.headers.location));
    expect(location.origin).toBe(provider.issuer);
    const params = Object.fromEntries(location.searchParams);
    expect(params).toMatchObject({
      response_type: "code",
      redirect_uri: redirectUri,
      code_challenge_method: "S256",
      scope: "openid email profile",
    });
    expect(params.state?.length).toBeGreaterThanOrEqual(32);
    expect(params.nonce?.length).toBeGreaterThanOrEqual(32);
    expect(params.code_challenge?.length).toBe(43);
    const cookie = start.cookies.find((c) => c.name === "keel_sso_state");
    expect(cookie).toMatchObject({ value: params.state, httpOnly: true, sameSite: "Lax", path: "/api/v1/auth/oidc/" });
    // Stored hashed, with the nonce and the verifier, for 10 minutes.
    const { db } = await testDatabase();
    const rows = await db.select().from(ssoLoginStates).where(eq(ssoLoginStates.targetWorkspaceId, ws.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]?.stateHash).not.toBe(params.state);
    expect(rows[0]?.nonce).toBe(params.nonce);
    const minutes = ((rows[0]?.expiresAt.getTime() ?? 0) - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(9);
    expect(minutes).toBeLessThanOrEqual(10);
  });

  it("answers 404 problem+json for an unknown slug and for a workspace whose single sign-on is off", async () => {
    const unknown = await app.inject({ url: "/api/v1/auth/oidc/no-such-workspace-1234/start" });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers["content-type"]).toMatch(/^application\/problem\+json/);
    const ws = await createTestWorkspace(app);
    const { slug } = await setUpSso(ws, { enabled: false });
    expect((await app.inject({ url: `/api/v1/auth/oidc/${slug}/start` })).statusCode).toBe(404);
    const withoutSso = await createTestWorkspace(app);
    const links = (await withoutSso.admin.client.get("/api/v1/sso/links")).json<{ signInUrl: string }>();
    expect((await app.inject({ url: new URL(links.signInUrl).pathname })).statusCode).toBe(404);
  });

  it("sends the browser to the sign-in page when the provider cannot be reached", async () => {
    const ws = await createTestWorkspace(app);
    const { slug } = await setUpSso(ws);
    const { db } = await testDatabase();
    await db
      .update(ssoProviders)
      .set({ issuer: `http://127.0.0.1:${await freePort()}` })
      .where(eq(ssoProviders.workspaceId, ws.id));
    const start = await app.inject({ url: `/api/v1/auth/oidc/${slug}/start` });
    expect(start.statusCode).toBe(303);
    expect(start.headers.location).toBe("/sign-in?sso_error=provider-error");
  });

  it("refuses a provider whose host resolves to an internal address, before connecting to it", async () => {
    // A working provider named by a host name for loopback: allowed, people sign in through it;
    // not allowed, Keel neither saves it nor, when it is stored already, calls it.
    const named = await startTestProvider({ hostname: "localhost" });
    const allowing = await createTestApp({ env: { SSO_ALLOWED_HOSTS: "127.0.0.1,localhost" } });
    try {
      const ws = await createTestWorkspace(allowing);
      const links = (await ws.admin.client.get("/api/v1/sso/links")).json<{ redirectUri: string; signInUrl: string }>();
      const client = await named.registerClient(links.redirectUri);
      const body = { issuer: named.issuer, ...client, allowedDomains: [], defaultRole: "agent", enabled: true };
      const requestsBefore = named.requestCount;
      // The same admin, through the app that does not allow localhost.
      const refused = await new Client(app, ws.admin.client.token, ws.id).request("PUT", "/api/v1/sso", body);
      expect(refused.statusCode, refused.body).toBe(400);
      expect(refused.json().errors).toEqual([
        { path: "issuer", message: "The issuer's host resolves to a loopback address, which Keel does not call." },
      ]);
      expect(named.requestCount).toBe(requestsBefore);
      expect((await ws.admin.client.request("PUT", "/api/v1/sso", body)).statusCode).toBe(200);

      const slug = /\/auth\/oidc\/([^/]+)\/start$/.exec(links.signInUrl)?.[1] ?? "";
      const atConnect = named.requestCount;
      const start = await app.inject({ url: `/api/v1/auth/oidc/${slug}/start` });
      expect(start.statusCode).toBe(303);
      expect(start.headers.location).toBe("/sign-in?sso_error=provider-error");
      expect(named.requestCount).toBe(atConnect);
      const allowed = await allowing.inject({ url: `/api/v1/auth/oidc/${slug}/start` });
      expect(allowed.statusCode).toBe(302);
      expect(new URL(String(allowed.headers.location)).origin).toBe(named.issuer);
    } finally {
      await allowing.close();
      await named.close();
    }
  });

  it.each(["https://evil.example/", "//evil.example/", "/\\evil.example", "deals"])(
    "refuses %s as the page to land on (400): no open redirect",
    async (redirect) => {
      const ws = await createTestWorkspace(app);
      const { slug } = await setUpSso(ws);
      const start = await app.inject({
        url: `/api/v1/auth/oidc/${slug}/start?redirect=${encodeURIComponent(redirect)}`,
      });
      expect(start.statusCode).toBe(400);
      expect(start.json().errors[0].path).toBe("redirect");
    },
  );
});

describe("GET /api/v1/auth/oidc/:workspaceSlug/callback", () => {
  it("creates the user with the default role and signs them in to this workspace", async () => {
    const ws = await createTestWorkspace(app);
    const { slug } = await setUpSso(ws, { defaultRole: "manager", allowedDomains: ["sso.keel.test"] });
    const { id, email } = person({ name: "Grace Hopper" });

    const response = await signIn(slug, id, { redirect: "/deals?mode=kanban" });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe("/deals?mode=kanban");
    // The state cookie is spent.
    expect(response.cookies.find((c) => c.name === "keel_sso_state")?.value).toBe("");

    const created = await userByEmail(email);
    expect(created).toMatchObject({ name: "Grace Hopper", passwordHash: null });
    expect(created?.verified).toBeInstanceOf(Date);
    const me = await sessionOf(response).get("/api/v1/me");
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({
      user: { id: created?.id, email, name: "Grace Hopper" },
      activeWorkspaceId: ws.id,
      role: "manager",
      workspaces: [{ id: ws.id, role: "manager" }],
    });
    // The session works for the workspace's data.
    expect((await sessionOf(response).get("/api/v1/contacts")).statusCode).toBe(200);
  });

  it("names a new user after their e-mail when the provider gives no name, and lands on / by default", async () => {
    const ws = await createTestWorkspace(app);
    const { slug } = await setUpSso(ws);
    const { id, email } = person({ name: undefined });
    provider.accounts.set(id, { email, email_verified: true });
    const response = await signIn(slug, id);
    expect(response.headers.location).toBe("/");
    expect((await userByEmail(email))?.name).toBe(email);
  });

  it("matches an existing user by e-mail, whatever its case, who joins with the default role", async () => {
    const ws = await createTestWorkspace(app);
    const { slug } = await setUpSso(ws, { defaultRole: "viewer" });
    const existing = await createUser("Existing user");
    const id = newId();
    provider.accounts.set(id, { email: existing.email.toUpperCase(), email_verified: true, name: "Other name" });

    const me = await sessionOf(await signIn(slug, id)).get("/api/v1/me");
    expect(me.json()).toMatchObject({ user: { id: existing.id, name: "Existing user" }, role: "viewer" });
  });

  it("signs an existing member in with their own role", async () => {
    const ws = await createTestWorkspace(app);
    const { slug } = await setUpSso(ws, { defaultRole: "viewer" });
    const id = newId();
    provider.accounts.set(id, { email: ws.manager.email, email_verified: true });
    const me = await sessionOf(await signIn(slug, id)).get("/api/v1/me");
    expect(me.json()).toMatchObject({ user: { id: ws.manager.userId }, activeWorkspaceId: ws.id, role: "manager" });
  });

  it("refuses an account that belongs to another workspace not signing in with this provider", async () => {
    const ws = await createTestWorkspace(app);
    const { slug } = await setUpSso(ws);
    const elsewhere = await createTestWorkspace(app);
    const id = newId();
    provider.accounts.set(id, { email: elsewhere.agent.email, email_verified: true });
    refusedWith(await signIn(slug, id), "other-workspaces");
  });

  it("lets in an account whose other workspaces trust the same provider, into the workspace signed in to", async () => {
    // Named so that the workspace signed in to sorts last: a new session starts in the first.
    const first = await createTestWorkspace(app, "Aardvark workspace");
    const ws = await createTestWorkspace(app, "Zebra workspace");
    await setUpSso(first);
    const { slug } = await setUpSso(ws, { defaultRole: "viewer" });
    const id = newId();
    provider.accounts.set(id, { email: first.agent.email, email_verified: true });
    const me = (await sessionOf(await signIn(slug, id)).get("/api/v1/me")).json();
    expect(me).toMatchObject({ user: { id: first.agent.userId }, activeWorkspaceId: ws.id, role: "viewer" });
    expect(me.workspaces).toHaveLength(2);
  });

  it("refuses a state used before: each sign-in is single use", async () => {
    const ws = await createTestWorkspace(app);
    const { slug } = await setUpSso(ws);
    const attempt = await startAndLogIn(slug, person().id);
    expect((await callback(attempt)).statusCode).toBe(303);
    refusedWith(await callback(attempt), "invalid-state");
  });

  it("refuses a state that expired", async () => {
    const ws = await createTestWorkspace(app);
    const { slug } = await setUpSso(ws);
    const attempt = await startAndLogIn(slug, person().id);
    const { db } = await testDatabase();
    await db
      .update(ssoLoginStates)
      .set({ expiresAt: sql`now() - interval '1 second'` })
      .where(eq(ssoLoginStates.targetWorkspaceId, ws.id));
    refusedWith(await callback(attempt), "expired-state");
  });

  it("refuses a callback without the browser's state cookie, or with another state", async () => {
    const ws = await createTestWorkspace(app);
    const { slug } = await setUpSso(ws);
    const attempt = await startAndLogIn(slug, person().id);
    // A callback link forwarded to someone else (login CSRF): their browser has no such cookie.
    refusedWith(await callback(attempt, ""), "invalid-state");
    refusedWith(await callback(attempt, "forged-state"), "invalid-state");
    const tampered = { ...attempt, callbackPath: attempt.callbackPath.replace(/state=[^&]+/, "state=forged-state") };
    refusedWith(await callback(tampered, "forged-state"), "invalid-state");
    refusedWith(await app.inject({ url: `/api/v1/auth/oidc/${slug}/callback` }), "invalid-state");
  });

  it("refuses a callback at another workspace's address", async () => {
    const ws = await createTestWorkspace(app);
    const other = await createTestWorkspace(app);
    const { slug } = await setUpSso(ws);
    const { slug: otherSlug } = await setUpSso(other);
    const attempt = await startAndLogIn(slug, person().id);
    const moved = { ...attempt, callbackPath: attempt.callbackPath.replace(`/oidc/${slug}/`, `/oidc/${otherSlug}/`) };
    refusedWith(await callback(moved), "invalid-state");
  });

  it("refuses when the person refuses at the provider", async () => {
    const ws = await createTestWorkspace(app);
    const { slug } = await setUpSso(ws);
    refusedWith(await callback(await startAndLogIn(slug, person().id, { deny: true })), "provider-error");
  });

  it("refuses an e-mail the provider has not verified, or no e-mail at all, and creates nobody", async () => {
    const ws = await createTestWorkspace(app);
    const { slug } = await setUpSso(ws);
    const unverified = person({ email_verified: false });
    refusedWith(await signIn(slug, unverified.id), "email-not-verified");
    expect(await userByEmail(unverified.email)).toBeUndefined();
    const noEmail = newId();
    provider.accounts.set(noEmail, { name: "Nobody" });
    refusedWith(await signIn(slug, noEmail), "email-not-verified");
  });

  it("refuses an e-mail of a domain the workspace does not allow", async () => {
    const ws = await createTestWorkspace(app);
    const { slug } = await setUpSso(ws, { allowedDomains: ["acme.test"] });
    const outsider = person({ domain: "sso.keel.test" });
    refusedWith(await signIn(slug, outsider.id), "domain-not-allowed");
    expect(await userByEmail(outsider.email)).toBeUndefined();
    // A subdomain is another domain.
    refusedWith(await signIn(slug, person({ domain: "mail.acme.test" }).id), "domain-not-allowed");
    expect((await signIn(slug, person({ domain: "acme.test" }).id)).headers.location).toBe("/");
  });

  it.each([
    ["a deactivated member", "deactivate"],
    ["a removed member", "remove"],
    ["a disabled account", "disable"],
  ] as const)("refuses %s", async (_label, how) => {
    const ws = await createTestWorkspace(app);
    const { slug } = await setUpSso(ws);
    const { db } = await testDatabase();
    if (how === "deactivate") {
      expect((await ws.admin.client.patch(`/api/v1/users/${ws.agent.userId}`, { active: false })).statusCode).toBe(200);
    } else if (how === "remove") {
      expect((await ws.admin.client.delete(`/api/v1/users/${ws.agent.userId}`)).statusCode).toBe(204);
    } else {
      await db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, ws.agent.userId));
    }
    const id = newId();
    provider.accounts.set(id, { email: ws.agent.email, email_verified: true });
    refusedWith(await signIn(slug, id), "account-refused");
    const [membership] = await db
      .select({ deactivatedAt: memberships.deactivatedAt, removedAt: memberships.removedAt })
      .from(memberships)
      .where(eq(memberships.userId, ws.agent.userId));
    // Refused as they were: not revived by signing in.
    expect(membership?.deactivatedAt ?? membership?.removedAt ?? how === "disable").toBeTruthy();
  });

  it("refuses when single sign-on was turned off after the sign-in started", async () => {
    const ws = await createTestWorkspace(app);
    const { slug } = await setUpSso(ws);
    const attempt = await startAndLogIn(slug, person().id);
    const settings = (await ws.admin.client.get("/api/v1/sso")).json();
    const off = await ws.admin.client.request("PUT", "/api/v1/sso", {
      issuer: settings.issuer,
      clientId: settings.clientId,
      allowedDomains: [],
      defaultRole: "agent",
      enabled: false,
    });
    expect(off.statusCode).toBe(200);
    refusedWith(await callback(attempt), "sso-unavailable");
  });

  it("takes the e-mail from UserInfo when the ID token carries none", async () => {
    const conforming = await startTestProvider({ idTokenClaims: false });
    try {
      const ws = await createTestWorkspace(app);
      const { slug } = await setUpSso(ws, {}, conforming);
      const id = newId();
      const email = `userinfo-${id}@sso.keel.test`;
      conforming.accounts.set(id, { email, email_verified: true, name: "Ada Lovelace" });
      const response = await signIn(slug, id, { idp: conforming });
      expect(response.headers.location).toBe("/");
      expect((await userByEmail(email))?.name).toBe("Ada Lovelace");
    } finally {
      await conforming.close();
    }
  });

  it("uses a __Secure- state cookie where cookies are Secure, and signs in with the __Host- session cookie", async () => {
    const { db } = await testDatabase();
    const env = {
      NODE_ENV: "test",
      LOG_LEVEL: "silent",
      COOKIE_SECURE: "true",
      RATE_LIMIT_AUTH_PER_MINUTE: "0",
      ...allowLoopback,
    };
    const secureApp = await buildApp(parseConfig(env), { db });
    try {
      const ws = await createTestWorkspace(app);
      const { slug } = await setUpSso(ws);
      const start = await secureApp.inject({ url: `/api/v1/auth/oidc/${slug}/start` });
      const cookie = start.cookies.find((c) => c.name === "__Secure-keel_sso_state");
      expect(cookie).toMatchObject({ secure: true, httpOnly: true });
      expect(start.cookies.some((c) => c.name === "keel_sso_state")).toBe(false);
      const back = await provider.login(String(start.headers.location), person().id);
      const path = back.pathname + back.search;
      // The plain name does not count where cookies are Secure.
      refusedWith(
        await secureApp.inject({ url: path, cookies: { keel_sso_state: cookie?.value ?? "" } }),
        "invalid-state",
      );
      const attempt = await startAndLogIn(slug, person().id);
      const response = await secureApp.inject({
        url: attempt.callbackPath,
        cookies: { "__Secure-keel_sso_state": attempt.stateCookie },
      });
      expect(response.statusCode).toBe(303);
      expect(response.headers.location).toBe("/");
      expect(response.cookies.find((c) => c.name === "__Host-keel_session")).toMatchObject({ secure: true });
    } finally {
      await secureApp.close();
    }
  });

  it("answers 400 for a malformed slug, and never signs in an anonymous caller otherwise", async () => {
    const response = await anonymous(app).get("/api/v1/auth/oidc/Not%20A%20Slug/callback");
    expect(response.statusCode).toBe(400);
    expect(response.json().errors[0].path).toBe("workspaceSlug");
  });
});
