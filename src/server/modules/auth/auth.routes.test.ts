import { eq, sql } from "drizzle-orm";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  Client,
  anonymous,
  createTestApp,
  createTestWorkspace,
  createUser,
  testDatabase,
  testPassword,
  type TestWorkspace,
} from "../../test/create-test-app.ts";
import { users } from "../users/users.table.ts";
import { addMember } from "../workspaces/index.ts";
import { sessions } from "./auth.table.ts";
import { createSession, hashToken } from "./sessions.ts";

let app: FastifyInstance;
let ws: TestWorkspace;
let other: TestWorkspace;

beforeAll(async () => {
  app = await createTestApp();
  ws = await createTestWorkspace(app, "Alpha workspace");
  other = await createTestWorkspace(app, "Beta workspace");
});
afterAll(() => app.close());

const signIn = (body: unknown, headers: Record<string, string> = {}) =>
  app.inject({ method: "POST", url: "/api/v1/auth/sign-in", payload: body as object, headers });

function sessionCookieOf(response: LightMyRequestResponse) {
  return response.cookies.find((cookie) => cookie.name === "keel_session");
}

/** A client holding the session cookie a sign-in answered with, without a workspace header. */
function clientFrom(response: LightMyRequestResponse): Client {
  const cookie = sessionCookieOf(response);
  if (!cookie) throw new Error("no session cookie");
  return new Client(app, cookie.value, null);
}

/** A fresh signed-in session for a user, without a workspace header. */
async function sessionFor(userId: string): Promise<Client> {
  const { db } = await testDatabase();
  const { token } = await createSession(db, { userId, ipAddress: "127.0.0.1", userAgent: "test", ttlHours: 1 });
  return new Client(app, token, null);
}

/** A problem without its request id, to compare two answers. */
const withoutRequestId = (body: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(body).filter(([key]) => key !== "requestId"));

describe("POST /api/v1/auth/sign-in", () => {
  it("signs in, sets an httpOnly SameSite=Lax session cookie on / and answers the caller's /me", async () => {
    const response = await signIn({ email: ws.manager.email, password: testPassword });
    expect(response.statusCode).toBe(200);
    const cookie = sessionCookieOf(response);
    expect(cookie).toBeDefined();
    expect(cookie?.value.length).toBeGreaterThanOrEqual(32);
    expect(cookie?.httpOnly).toBe(true);
    expect(String(cookie?.sameSite).toLowerCase()).toBe("lax");
    expect(cookie?.path).toBe("/");
    expect(cookie?.expires?.getTime()).toBeGreaterThan(Date.now());
    const raw = String(response.headers["set-cookie"]);
    expect(raw).toMatch(/HttpOnly/i);
    expect(raw).toMatch(/SameSite=Lax/i);

    const me = response.json();
    expect(me).toEqual({
      user: { id: ws.manager.userId, email: ws.manager.email, name: "Manager", locale: null },
      workspaces: [{ id: ws.id, name: "Alpha workspace", role: "manager" }],
      activeWorkspaceId: ws.id,
      role: "manager",
    });
    const again = await clientFrom(response).get("/api/v1/me");
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(me);
  });

  it("stores only a hash of the session token, with the caller's IP and user agent", async () => {
    const response = await signIn({ email: ws.viewer.email, password: testPassword }, { "user-agent": "KeelTest/1.0" });
    const token = sessionCookieOf(response)?.value ?? "";
    const { db } = await testDatabase();
    const [row] = await db
      .select()
      .from(sessions)
      .where(eq(sessions.tokenHash, hashToken(token)));
    expect(row).toMatchObject({ userId: ws.viewer.userId, userAgent: "KeelTest/1.0", revokedAt: null });
    expect(row?.ipAddress).toBeTruthy();
    const stored = await db.select({ id: sessions.id }).from(sessions).where(eq(sessions.tokenHash, token));
    expect(stored).toEqual([]);
  });

  it("matches the e-mail whatever its case and surrounding spaces", async () => {
    const upper = await signIn({ email: ` ${ws.agent.email.toUpperCase()} `, password: testPassword });
    expect(upper.statusCode).toBe(200);
    expect(upper.json().user.id).toBe(ws.agent.userId);
  });

  it("answers 401 with the same problem for a wrong password and for an unknown e-mail, and sets no cookie", async () => {
    const wrongPassword = await signIn({ email: ws.admin.email, password: "not-the-password" });
    const unknownEmail = await signIn({ email: `nobody.${Date.now()}@test.keel.test`, password: testPassword });
    for (const response of [wrongPassword, unknownEmail]) {
      expect(response.statusCode).toBe(401);
      expect(response.headers["content-type"]).toContain("application/problem+json");
      expect(sessionCookieOf(response)).toBeUndefined();
    }
    expect(wrongPassword.json()).toMatchObject({ type: "/problems/unauthenticated", status: 401 });
    expect(withoutRequestId(wrongPassword.json())).toEqual(withoutRequestId(unknownEmail.json()));
  });

  it("answers 401 for an account that has no password yet", async () => {
    const invited = await createUser("Invited");
    const { db } = await testDatabase();
    await db.update(users).set({ passwordHash: null }).where(eq(users.id, invited.id));
    expect((await signIn({ email: invited.email, password: testPassword })).statusCode).toBe(401);
  });

  it("answers 401 for a disabled account with the right password", async () => {
    const user = await createUser("Disabled");
    const { db } = await testDatabase();
    await db
      .update(users)
      .set({ disabledAt: sql`now()` })
      .where(eq(users.id, user.id));
    const response = await signIn({ email: user.email, password: testPassword });
    expect(response.statusCode).toBe(401);
    expect(sessionCookieOf(response)).toBeUndefined();
  });

  it("signs in a user who belongs to no workspace, with no active workspace and no role", async () => {
    const loner = await createUser("Loner");
    const response = await signIn({ email: loner.email, password: testPassword });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ workspaces: [], activeWorkspaceId: null, role: null });
    const contacts = await clientFrom(response).get("/api/v1/contacts");
    expect(contacts.statusCode).toBe(403);
  });

  it.each([
    ["an empty body", {}, ["email", "password"]],
    ["a missing password", { email: "a@example.com" }, ["password"]],
    ["an empty e-mail and password", { email: "  ", password: "" }, ["email", "password"]],
    ["an oversize e-mail", { email: `${"a".repeat(250)}@example.com`, password: "x" }, ["email"]],
    ["an oversize password", { email: "a@example.com", password: "x".repeat(1025) }, ["password"]],
    ["fields of the wrong type", { email: 42, password: ["x"] }, ["email", "password"]],
    ["an unknown field", { email: "a@example.com", password: "x", remember: true }, ["remember"]],
  ])("answers 400 naming the fields for %s", async (_name, body, paths) => {
    const response = await signIn(body);
    expect(response.statusCode).toBe(400);
    expect(response.headers["content-type"]).toContain("application/problem+json");
    expect(response.json().type).toBe("/problems/validation");
    expect(
      response
        .json()
        .errors.map((e: { path: string }) => e.path)
        .sort(),
    ).toEqual([...paths].sort());
    expect(sessionCookieOf(response)).toBeUndefined();
  });
});

describe("POST /api/v1/auth/sign-out", () => {
  it("revokes the session: the same cookie then answers 401 on /me", async () => {
    const signedIn = await signIn({ email: ws.agent.email, password: testPassword });
    const client = clientFrom(signedIn);
    expect((await client.get("/api/v1/me")).statusCode).toBe(200);

    const response = await client.post("/api/v1/auth/sign-out");
    expect(response.statusCode).toBe(204);
    const cleared = sessionCookieOf(response);
    expect(cleared?.value).toBe("");
    expect(cleared?.expires?.getTime() ?? Date.now()).toBeLessThanOrEqual(Date.now());

    const after = await client.get("/api/v1/me");
    expect(after.statusCode).toBe(401);
    expect(after.json().type).toBe("/problems/unauthenticated");
    expect((await client.get("/api/v1/contacts")).statusCode).toBe(401);

    const { db } = await testDatabase();
    const [row] = await db
      .select({ revokedAt: sessions.revokedAt })
      .from(sessions)
      .where(eq(sessions.tokenHash, hashToken(client.token ?? "")));
    expect(row?.revokedAt).toBeInstanceOf(Date);
  });

  it("leaves the user's other sessions signed in", async () => {
    const first = clientFrom(await signIn({ email: ws.viewer.email, password: testPassword }));
    const second = clientFrom(await signIn({ email: ws.viewer.email, password: testPassword }));
    expect((await first.post("/api/v1/auth/sign-out")).statusCode).toBe(204);
    expect((await first.get("/api/v1/me")).statusCode).toBe(401);
    expect((await second.get("/api/v1/me")).statusCode).toBe(200);
  });

  it("answers 204 without a session", async () => {
    expect((await anonymous(app).post("/api/v1/auth/sign-out")).statusCode).toBe(204);
  });
});

describe("GET /api/v1/me", () => {
  it("answers each member with their user, workspaces and role", async () => {
    for (const member of [ws.admin, ws.manager, ws.agent, ws.viewer]) {
      const response = await member.client.get("/api/v1/me");
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({
        user: { id: member.userId, email: member.email, name: expect.any(String), locale: null },
        workspaces: [{ id: ws.id, name: "Alpha workspace", role: member.role }],
        activeWorkspaceId: ws.id,
        role: member.role,
      });
    }
  });

  it("never exposes password hashes or session tokens", async () => {
    const response = await ws.admin.client.get("/api/v1/me");
    expect(response.body).not.toMatch(/argon2|passwordHash|password_hash|tokenHash/);
    expect(response.body).not.toContain(ws.admin.client.token ?? "-");
  });

  it("answers 401 problem+json without a session", async () => {
    const response = await anonymous(app).get("/api/v1/me");
    expect(response.statusCode).toBe(401);
    expect(response.headers["content-type"]).toContain("application/problem+json");
    expect(response.json()).toMatchObject({ type: "/problems/unauthenticated", status: 401 });
  });
});

describe("invalid session cookies", () => {
  it.each([
    ["a garbage token", "garbage"],
    ["a well-formed but unknown token", "A".repeat(43)],
    ["an oversize token", "x".repeat(5000)],
    ["an empty token", ""],
  ])("answer 401 for %s", async (_name, token) => {
    const response = await app.inject({ url: "/api/v1/me", headers: { cookie: `keel_session=${token}` } });
    expect(response.statusCode).toBe(401);
    expect(response.json().type).toBe("/problems/unauthenticated");
  });

  it("answers 401 for an expired session", async () => {
    const { db } = await testDatabase();
    const client = await sessionFor(ws.manager.userId);
    await db
      .update(sessions)
      .set({ expiresAt: sql`now() - interval '1 minute'` })
      .where(eq(sessions.tokenHash, hashToken(client.token ?? "")));
    expect((await client.get("/api/v1/me")).statusCode).toBe(401);
    expect((await client.get("/api/v1/contacts")).statusCode).toBe(401);
  });

  it("answers 401 once a session expires, even one resolved moments before", async () => {
    const { db } = await testDatabase();
    const client = await sessionFor(ws.manager.userId);
    await db
      .update(sessions)
      .set({ expiresAt: sql`now() + interval '2 seconds'` })
      .where(eq(sessions.tokenHash, hashToken(client.token ?? "")));
    expect((await client.get("/api/v1/me")).statusCode).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect((await client.get("/api/v1/me")).statusCode).toBe(401);
  });

  it("answers 401 for a session of a disabled user", async () => {
    const user = await createUser("Soon disabled");
    const { db } = await testDatabase();
    await db
      .update(users)
      .set({ disabledAt: sql`now()` })
      .where(eq(users.id, user.id));
    const client = await sessionFor(user.id);
    expect((await client.get("/api/v1/me")).statusCode).toBe(401);
  });
});

describe("workspaces of a user in several", () => {
  let member: { userId: string };
  let client: Client;

  beforeAll(async () => {
    // Alpha's admin also joins Beta as a viewer; "Alpha…" sorts first, so it starts active.
    const { db } = await testDatabase();
    member = { userId: ws.admin.userId };
    await addMember(db, other.id, ws.admin.userId, "viewer");
    client = await sessionFor(ws.admin.userId);
  });

  it("lists every workspace with its role and starts in the first by name", async () => {
    const me = (await client.get("/api/v1/me")).json();
    expect(me.workspaces).toEqual([
      { id: ws.id, name: "Alpha workspace", role: "admin" },
      { id: other.id, name: "Beta workspace", role: "viewer" },
    ]);
    expect(me.activeWorkspaceId).toBe(ws.id);
    expect(me.role).toBe("admin");
  });

  it("switches the active workspace with POST /me/workspace, and the role follows", async () => {
    const switched = await client.post("/api/v1/me/workspace", { workspaceId: other.id });
    expect(switched.statusCode).toBe(200);
    expect(switched.json()).toMatchObject({ activeWorkspaceId: other.id, role: "viewer", user: { id: member.userId } });

    const me = (await client.get("/api/v1/me")).json();
    expect(me).toMatchObject({ activeWorkspaceId: other.id, role: "viewer" });
    // Later requests without a header act in Beta with Beta's role: a viewer cannot create.
    const create = await client.post("/api/v1/contacts", { firstName: "Not allowed" });
    expect(create.statusCode).toBe(403);
    const users = (await client.get("/api/v1/users?limit=200")).json().data.map((u: { id: string }) => u.id);
    expect(users).toContain(other.admin.userId);
    expect(users).not.toContain(ws.manager.userId);

    const back = await client.post("/api/v1/me/workspace", { workspaceId: ws.id });
    expect(back.json()).toMatchObject({ activeWorkspaceId: ws.id, role: "admin" });
    expect((await client.post("/api/v1/contacts", { firstName: "Allowed" })).statusCode).toBe(201);
  });

  it("keeps the chosen workspace in the session, not in the process", async () => {
    await client.post("/api/v1/me/workspace", { workspaceId: other.id });
    const { db } = await testDatabase();
    const [row] = await db
      .select({ activeWorkspaceId: sessions.activeWorkspaceId })
      .from(sessions)
      .where(eq(sessions.tokenHash, hashToken(client.token ?? "")));
    expect(row?.activeWorkspaceId).toBe(other.id);
    await client.post("/api/v1/me/workspace", { workspaceId: ws.id });
  });

  it("answers 404 for a workspace the user is not in, and 400 for a malformed id", async () => {
    const stranger = await createTestWorkspace(app, "Gamma workspace");
    const notMine = await ws.manager.client.post("/api/v1/me/workspace", { workspaceId: stranger.id });
    expect(notMine.statusCode).toBe(404);
    expect(notMine.json().type).toBe("/problems/not-found");
    const unknown = await ws.manager.client.post("/api/v1/me/workspace", {
      workspaceId: "01900000-0000-7000-8000-000000000000",
    });
    expect(unknown.statusCode).toBe(404);
    expect(withoutRequestId(unknown.json())).toEqual(withoutRequestId(notMine.json()));
    expect((await ws.manager.client.post("/api/v1/me/workspace", { workspaceId: "nope" })).statusCode).toBe(400);
    expect((await ws.manager.client.post("/api/v1/me/workspace", {})).statusCode).toBe(400);
    expect((await ws.manager.client.get("/api/v1/me")).json().activeWorkspaceId).toBe(ws.id);
  });

  it("accepts the workspace id in upper case (UUIDs are case-insensitive)", async () => {
    const switched = await client.post("/api/v1/me/workspace", { workspaceId: other.id.toUpperCase() });
    expect(switched.statusCode).toBe(200);
    expect(switched.json()).toMatchObject({ activeWorkspaceId: other.id, role: "viewer" });
    expect((await client.get("/api/v1/me")).json().activeWorkspaceId).toBe(other.id);
    await client.post("/api/v1/me/workspace", { workspaceId: ws.id });
  });

  it("answers 401 to POST /me/workspace without a session", async () => {
    expect((await anonymous(app).post("/api/v1/me/workspace", { workspaceId: ws.id })).statusCode).toBe(401);
  });

  it("sees a workspace it joins at once, without signing in again", async () => {
    const joiner = await createUser("Joiner");
    const joinerClient = await sessionFor(joiner.id);
    expect((await joinerClient.get("/api/v1/me")).json().workspaces).toEqual([]);
    const { db } = await testDatabase();
    await addMember(db, ws.id, joiner.id, "agent");
    expect((await joinerClient.get("/api/v1/me")).json()).toMatchObject({ activeWorkspaceId: ws.id, role: "agent" });
  });
});

describe("X-Workspace-Id", () => {
  let client: Client;
  let alphaContact: string;
  let betaContact: string;

  beforeAll(async () => {
    const { db } = await testDatabase();
    const user = await createUser("Two workspaces");
    await addMember(db, ws.id, user.id, "manager");
    await addMember(db, other.id, user.id, "agent");
    client = await sessionFor(user.id);
    alphaContact = (await ws.admin.client.post("/api/v1/contacts", { firstName: "AlphaOnly" })).json().id;
    betaContact = (await other.admin.client.post("/api/v1/contacts", { firstName: "BetaOnly" })).json().id;
  });

  const contactIds = async (headers: Record<string, string>) => {
    const response = await client.get("/api/v1/contacts?limit=200", headers);
    expect(response.statusCode).toBe(200);
    return response.json().data.map((c: { id: string }) => c.id);
  };

  it("selects the workspace of one request, with that workspace's data", async () => {
    const alpha = await contactIds({ "x-workspace-id": ws.id });
    expect(alpha).toContain(alphaContact);
    expect(alpha).not.toContain(betaContact);
    const beta = await contactIds({ "x-workspace-id": other.id });
    expect(beta).toContain(betaContact);
    expect(beta).not.toContain(alphaContact);
    expect((await client.get(`/api/v1/contacts/${betaContact}`, { "x-workspace-id": other.id })).statusCode).toBe(200);
    expect((await client.get(`/api/v1/contacts/${betaContact}`, { "x-workspace-id": ws.id })).statusCode).toBe(404);
  });

  it("acts with the role held in the selected workspace", async () => {
    // Manager in Alpha may delete; agent in Beta may not.
    const alphaOwn = (await client.post("/api/v1/contacts", { firstName: "Del" }, { "x-workspace-id": ws.id })).json();
    expect((await client.delete(`/api/v1/contacts/${alphaOwn.id}`, { "x-workspace-id": ws.id })).statusCode).toBe(204);
    const betaOwn = await client.post("/api/v1/contacts", { firstName: "Del" }, { "x-workspace-id": other.id });
    expect(betaOwn.statusCode).toBe(201);
    expect(betaOwn.json().ownerId).toBeDefined();
    expect(
      (await client.delete(`/api/v1/contacts/${betaOwn.json().id}`, { "x-workspace-id": other.id })).statusCode,
    ).toBe(403);
  });

  it("does not change the session's active workspace", async () => {
    await contactIds({ "x-workspace-id": other.id });
    const me = (await client.get("/api/v1/me")).json();
    expect(me.activeWorkspaceId).toBe(ws.id);
    expect(await contactIds({})).toContain(alphaContact);
  });

  it("answers 404 for a workspace the caller is not a member of, or that does not exist", async () => {
    const stranger = await createTestWorkspace(app, "Delta workspace");
    const notMember = await client.get("/api/v1/contacts", { "x-workspace-id": stranger.id });
    expect(notMember.statusCode).toBe(404);
    expect(notMember.json().type).toBe("/problems/not-found");
    const unknown = await client.get("/api/v1/contacts", { "x-workspace-id": "01900000-0000-7000-8000-00000000abcd" });
    expect(unknown.statusCode).toBe(404);
    expect(withoutRequestId(unknown.json())).toEqual(withoutRequestId(notMember.json()));
    const write = await client.post("/api/v1/contacts", { firstName: "Intruder" }, { "x-workspace-id": stranger.id });
    expect(write.statusCode).toBe(404);
    expect((await stranger.admin.client.get("/api/v1/contacts/count")).json()).toEqual({ count: 0 });
  });

  it("accepts the header in upper case (UUIDs are case-insensitive)", async () => {
    const beta = await contactIds({ "x-workspace-id": other.id.toUpperCase() });
    expect(beta).toContain(betaContact);
    expect(beta).not.toContain(alphaContact);
  });

  it.each(["nope", "", "01900000-0000-7000-8000-00000000000"])(
    "answers 400 for a malformed header %j",
    async (header) => {
      const response = await client.get("/api/v1/contacts", { "x-workspace-id": header });
      expect(response.statusCode).toBe(400);
      expect(response.json().errors).toEqual([{ path: "X-Workspace-Id", message: expect.any(String) }]);
    },
  );

  it("answers 401 rather than 404 when the caller is not signed in", async () => {
    const response = await anonymous(app).get("/api/v1/contacts", { "x-workspace-id": ws.id });
    expect(response.statusCode).toBe(401);
  });
});
