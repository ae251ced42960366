import { and, eq, sql } from "drizzle-orm";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
import { createSession } from "../auth/sessions.ts";
import { memberships, users } from "../users/users.table.ts";
import { createWorkspace } from "../workspaces/index.ts";
import { expire, inviteWithToken, newAddress, pathsOf } from "./invitations.factory.ts";
import { invitations } from "./invitations.table.ts";

let app: FastifyInstance;
let ws: TestWorkspace;

beforeAll(async () => {
  app = await createTestApp();
  ws = await createTestWorkspace(app, "Admissions");
});
afterAll(() => app.close());

const strongPassword = "lantern-orbit-meadow-74";
const inspect = (token: string) => anonymous(app).post("/api/v1/invitations/inspect", { token });
const accept = (body: object, cookie?: string) =>
  app.inject({
    method: "POST",
    url: "/api/v1/invitations/accept",
    payload: body,
    headers: cookie ? { cookie } : {},
  });

function sessionCookieOf(response: LightMyRequestResponse): string {
  const cookie = response.cookies.find((c) => c.name === "keel_session");
  if (!cookie) throw new Error("no session cookie");
  return cookie.value;
}

async function membershipOf(userId: string, workspaceId = ws.id) {
  const { db } = await testDatabase();
  return db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.userId, userId)));
}

async function accountsWith(email: string) {
  const { db } = await testDatabase();
  return db
    .select({ id: users.id, name: users.name, emailVerifiedAt: users.emailVerifiedAt })
    .from(users)
    .where(eq(sql`lower(${users.email})`, email));
}

/** A user with an account (and a session) who is no member of `ws`. */
async function outsider(): Promise<{ id: string; email: string; token: string }> {
  const { db } = await testDatabase();
  const user = await createUser("Outsider");
  const { token } = await createSession(db, { userId: user.id, ipAddress: "127.0.0.1", userAgent: "t", ttlHours: 1 });
  return { ...user, token };
}

/** The problem every unusable token answers: the same for all of them. */
const invalidToken = {
  type: "/problems/validation",
  status: 400,
  detail: "This invitation link is invalid or has expired; ask for a new invitation.",
  errors: [{ path: "token", message: "This invitation link is invalid or has expired; ask for a new invitation." }],
};

describe("POST /api/v1/invitations/inspect", () => {
  it("says which workspace and role the link offers, and whether the e-mail has an account", async () => {
    const fresh = newAddress();
    const { token } = await inviteWithToken(ws.admin.client, fresh, "viewer");
    const response = await inspect(token);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      workspaceName: "Admissions",
      email: fresh,
      role: "viewer",
      accountExists: false,
    });

    const known = await outsider();
    const existing = await inviteWithToken(ws.admin.client, known.email, "agent");
    expect((await inspect(existing.token)).json()).toMatchObject({ email: known.email, accountExists: true });
  });
});

describe("POST /api/v1/invitations/accept with an existing account", () => {
  it("joins with the role, needs no password, signs nobody in", async () => {
    const user = await outsider();
    const { token } = await inviteWithToken(ws.admin.client, user.email, "manager");
    const response = await accept({ token });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({ workspaceId: ws.id, workspaceName: "Admissions", accountCreated: false });
    expect(response.cookies).toEqual([]);
    expect(await membershipOf(user.id)).toEqual([{ role: "manager" }]);

    // The user's sessions see the workspace on their next request.
    const me = (await new Client(app, user.token, null).get("/api/v1/me")).json();
    expect(me.workspaces).toContainEqual({ id: ws.id, name: "Admissions", role: "manager" });
  });

  it("switches the active workspace of the invitee's own session, not of someone else's", async () => {
    const user = await outsider();
    const { db } = await testDatabase();
    const { id: ownWorkspace } = await createWorkspace(db, { name: "Aaa first by name", adminUserId: user.id });
    const client = new Client(app, user.token, null);
    expect((await client.get("/api/v1/me")).json().activeWorkspaceId).toBe(ownWorkspace);

    const { token } = await inviteWithToken(ws.admin.client, user.email, "agent");
    const bystander = await outsider();
    const byOther = await accept({ token }, `keel_session=${bystander.token}`);
    expect(byOther.statusCode, byOther.body).toBe(200);
    expect((await client.get("/api/v1/me")).json().activeWorkspaceId).toBe(ownWorkspace);
    expect((await new Client(app, bystander.token, null).get("/api/v1/me")).json().workspaces).toEqual([]);

    const second = await createTestWorkspace(app, "Second");
    const again = await inviteWithToken(second.admin.client, user.email, "viewer");
    const byInvitee = await accept({ token: again.token }, `keel_session=${user.token}`);
    expect(byInvitee.statusCode, byInvitee.body).toBe(200);
    const me = (await client.get("/api/v1/me")).json();
    expect(me.activeWorkspaceId).toBe(second.id);
    expect(me.role).toBe("viewer");
  });

  it("refuses a disabled account with 403 and leaves the link usable", async () => {
    const user = await outsider();
    const { token } = await inviteWithToken(ws.admin.client, user.email, "agent");
    const { db } = await testDatabase();
    await db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, user.id));
    const response = await accept({ token });
    expect(response.statusCode).toBe(403);
    expect(response.json().detail).toContain("disabled");
    expect(await membershipOf(user.id)).toEqual([]);
    expect((await inspect(token)).statusCode).toBe(200);
  });

  it("answers 409 when the account became a member meanwhile, and claims nothing", async () => {
    const user = await outsider();
    const { invitation, token } = await inviteWithToken(ws.admin.client, user.email, "agent");
    const { db } = await testDatabase();
    await db.insert(memberships).values({ workspaceId: ws.id, id: newId(), userId: user.id, role: "viewer" });
    const response = await accept({ token });
    expect(response.statusCode).toBe(409);
    expect(pathsOf(response)).toEqual(["email"]);
    const [row] = await db.select().from(invitations).where(eq(invitations.id, invitation.id));
    expect(row?.acceptedAt).toBeNull();
    expect(await membershipOf(user.id)).toEqual([{ role: "viewer" }]);
  });
});

describe("POST /api/v1/invitations/accept with a new account", () => {
  it("creates the account (verified), joins with the role and signs in to the workspace", async () => {
    const email = newAddress();
    const { invitation, token } = await inviteWithToken(ws.admin.client, email, "agent");
    const response = await accept({ token, name: "  Grace Hopper ", password: strongPassword });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({ workspaceId: ws.id, workspaceName: "Admissions", accountCreated: true });

    const [account] = await accountsWith(email);
    expect(account).toMatchObject({ name: "Grace Hopper", emailVerifiedAt: expect.any(Date) });
    const me = await new Client(app, sessionCookieOf(response), null).get("/api/v1/me");
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({
      user: { email, name: "Grace Hopper" },
      workspaces: [{ id: ws.id, name: "Admissions", role: "agent" }],
      activeWorkspaceId: ws.id,
      role: "agent",
    });
    const listed = (await ws.admin.client.get("/api/v1/invitations?status=accepted&limit=200")).json().data;
    expect(listed.map((i: { id: string }) => i.id)).toContain(invitation.id);

    // The password works for later sign-ins.
    const signIn = await anonymous(app).post("/api/v1/auth/sign-in", { email, password: strongPassword });
    expect(signIn.statusCode).toBe(200);
  });

  it("answers 400 naming name and password when they are missing, and keeps the link usable", async () => {
    const email = newAddress();
    const { token } = await inviteWithToken(ws.admin.client, email);
    const neither = await accept({ token });
    expect(neither.statusCode).toBe(400);
    expect(pathsOf(neither)).toEqual(["name", "password"]);
    const noPassword = await accept({ token, name: "Ada" });
    expect(pathsOf(noPassword)).toEqual(["password"]);
    expect(await accountsWith(email)).toEqual([]);
    expect((await inspect(token)).statusCode).toBe(200);
  });

  it.each([
    ["too short", "short-pass"],
    ["a common password", "password1234"],
    ["too easy to guess", "aaaaaaaaaaaa"],
  ])("answers 400 naming password for one %s and creates nothing", async (_name, password) => {
    const email = newAddress();
    const { token } = await inviteWithToken(ws.admin.client, email);
    const response = await accept({ token, name: "Weak", password });
    expect(response.statusCode).toBe(400);
    expect(pathsOf(response)).toEqual(["password"]);
    expect(response.cookies).toEqual([]);
    expect(await accountsWith(email)).toEqual([]);
    expect((await inspect(token)).statusCode).toBe(200);
  });
});

describe("POST /api/v1/invitations/accept with an unusable token", () => {
  it("answers the same 400 naming token for forged, reused, expired and revoked tokens", async () => {
    const forged = await accept({ token: "A".repeat(43), name: "F", password: strongPassword });
    const malformed = await accept({ token: "not a token", name: "F", password: strongPassword });

    const used = await inviteWithToken(ws.admin.client, newAddress());
    expect((await accept({ token: used.token, name: "First", password: strongPassword })).statusCode).toBe(200);
    const reused = await accept({ token: used.token, name: "Second", password: strongPassword });

    const old = await inviteWithToken(ws.admin.client, newAddress());
    await expire(old.token);
    const expired = await accept({ token: old.token, name: "Late", password: strongPassword });

    const withdrawn = await inviteWithToken(ws.admin.client, newAddress());
    await ws.admin.client.delete(`/api/v1/invitations/${withdrawn.invitation.id}`);
    const revoked = await accept({ token: withdrawn.token, name: "Revoked", password: strongPassword });

    for (const response of [forged, malformed, reused, expired, revoked]) {
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject(invalidToken);
      expect(response.cookies).toEqual([]);
    }
    for (const token of [used.token, old.token, withdrawn.token]) {
      expect((await inspect(token)).json()).toMatchObject(invalidToken);
    }
  });

  it("lets one of two concurrent accepts win: one account, one membership", async () => {
    const email = newAddress();
    const { token } = await inviteWithToken(ws.admin.client, email, "viewer");
    const responses = await Promise.all([
      accept({ token, name: "Racer one", password: strongPassword }),
      accept({ token, name: "Racer two", password: strongPassword }),
    ]);
    expect(responses.map((r) => r.statusCode).sort()).toEqual([200, 400]);
    const loser = responses.find((r) => r.statusCode === 400);
    expect(loser?.json()).toMatchObject(invalidToken);
    const accounts = await accountsWith(email);
    expect(accounts).toHaveLength(1);
    expect(await membershipOf(accounts[0]?.id ?? "")).toEqual([{ role: "viewer" }]);
  });

  it("lets one of two concurrent accepts of an existing account win", async () => {
    const user = await outsider();
    const { token } = await inviteWithToken(ws.admin.client, user.email, "agent");
    const responses = await Promise.all([accept({ token }), accept({ token })]);
    expect(responses.map((r) => r.statusCode).sort()).toEqual([200, 400]);
    expect(await membershipOf(user.id)).toEqual([{ role: "agent" }]);
  });

  it("is public: refuses an API key, needs no session", async () => {
    const user = await outsider();
    const { token } = await inviteWithToken(ws.admin.client, user.email, "agent");
    const key = (await ws.admin.client.post("/api/v1/api-keys", { name: "Key", scopes: ["*:write"] })).json().key;
    const withKey = await app.inject({
      method: "POST",
      url: "/api/v1/invitations/accept",
      payload: { token },
      headers: { authorization: `Bearer ${key}` },
    });
    expect(withKey.statusCode).toBe(403);
    expect((await accept({ token })).statusCode).toBe(200);
  });
});
