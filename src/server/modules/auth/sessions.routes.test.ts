import { eq } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
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
import { sessions } from "./auth.table.ts";
import { createSession } from "./sessions.ts";
import { signIns } from "./sign-ins.table.ts";

let app: FastifyInstance;
let ws: TestWorkspace;
let other: TestWorkspace;

beforeAll(async () => {
  app = await createTestApp();
  ws = await createTestWorkspace(app, "Sessions workspace");
  other = await createTestWorkspace(app, "Other sessions workspace");
});
afterAll(() => app.close());

type Session = { id: string; current: boolean; ipAddress: string | null; userAgent: string | null };

/** A second signed-in session of a user, as a client. */
async function anotherSession(userId: string, userAgent = "second browser"): Promise<Client> {
  const { db } = await testDatabase();
  const { token } = await createSession(db, { userId, ipAddress: "10.0.0.2", userAgent, ttlHours: 1 });
  return new Client(app, token, null);
}

async function sessionsOf(client: Client): Promise<Session[]> {
  const response = await client.get("/api/v1/me/sessions");
  expect(response.statusCode).toBe(200);
  return (response.json() as { data: Session[] }).data;
}

describe("GET /api/v1/me/sessions", () => {
  it("lists my live sessions, marks the current one and never shows a token or its hash", async () => {
    const user = await createUser("Lister");
    const first = await anotherSession(user.id, "first browser");
    const second = await anotherSession(user.id, "second browser");
    const listed = await sessionsOf(first);
    expect(listed).toHaveLength(2);
    expect(listed.filter((s) => s.current)).toHaveLength(1);
    expect(listed.find((s) => s.current)?.userAgent).toBe("first browser");
    expect(listed.find((s) => !s.current)).toMatchObject({ userAgent: "second browser", ipAddress: "10.0.0.2" });
    const body = JSON.stringify(listed);
    expect(body).not.toContain(first.token ?? "");
    expect(body).not.toContain(second.token ?? "");
    expect(body).not.toMatch(/token|hash/i);
    for (const session of listed) {
      expect(Object.keys(session).sort()).toEqual(
        ["createdAt", "current", "expiresAt", "id", "ipAddress", "lastSeenAt", "userAgent"].sort(),
      );
    }
  });

  it("answers 401 without a session", async () => {
    expect((await anonymous(app).get("/api/v1/me/sessions")).statusCode).toBe(401);
  });
});

describe("DELETE /api/v1/me/sessions/:id", () => {
  it("revokes one of my sessions: it answers 401 at once", async () => {
    const user = await createUser("Revoker");
    const mine = await anotherSession(user.id);
    const lost = await anotherSession(user.id);
    // The session to revoke is resolved (and cached) first: revocation must clear the cache.
    expect((await lost.get("/api/v1/me")).statusCode).toBe(200);
    const target = (await sessionsOf(mine)).find((s) => !s.current);
    const response = await mine.delete(`/api/v1/me/sessions/${target?.id}`);
    expect(response.statusCode).toBe(204);
    expect((await lost.get("/api/v1/me")).statusCode).toBe(401);
    expect((await mine.get("/api/v1/me")).statusCode).toBe(200);
    expect(await sessionsOf(mine)).toHaveLength(1);
  });

  it("answers 404 for another user's session and leaves it alone", async () => {
    const stranger = await anotherSession(other.viewer.userId);
    const theirs = (await sessionsOf(stranger)).find((s) => s.current);
    const response = await ws.admin.client.delete(`/api/v1/me/sessions/${theirs?.id}`);
    expect(response.statusCode).toBe(404);
    expect(response.json().type).toBe("/problems/not-found");
    expect((await stranger.get("/api/v1/me")).statusCode).toBe(200);
  });

  it("answers 404 for an unknown or already revoked session, 400 for a malformed id", async () => {
    const unknown = await ws.agent.client.delete("/api/v1/me/sessions/01900000-0000-7000-8000-000000000000");
    expect(unknown.statusCode).toBe(404);
    expect((await ws.agent.client.delete("/api/v1/me/sessions/nope")).statusCode).toBe(400);
  });
});

describe("POST /api/v1/me/sessions/revoke-others", () => {
  it("revokes every other session of mine at once and keeps this one", async () => {
    const user = await createUser("Cleaner");
    const kept = await anotherSession(user.id);
    const others = [await anotherSession(user.id), await anotherSession(user.id)];
    for (const client of others) expect((await client.get("/api/v1/me")).statusCode).toBe(200);
    const bystander = await anotherSession(ws.viewer.userId);
    const response = await kept.post("/api/v1/me/sessions/revoke-others");
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ revoked: 2 });
    for (const client of others) expect((await client.get("/api/v1/me")).statusCode).toBe(401);
    expect((await kept.get("/api/v1/me")).statusCode).toBe(200);
    expect((await bystander.get("/api/v1/me")).statusCode).toBe(200);
    const { db } = await testDatabase();
    const live = await db.select().from(sessions).where(eq(sessions.userId, user.id));
    expect(live.filter((s) => s.revokedAt === null)).toHaveLength(1);
  });
});

type Attempt = { id: string; userId: string | null; email: string; success: boolean; reason: string | null };
type AttemptPage = { data: Attempt[]; nextCursor: string | null };

/** Signs in; once answered, waits for a failed attempt's record (written after the answer). */
async function signIn(email: string, password: string, userAgent = "history test") {
  const response = await app.inject({
    method: "POST",
    url: "/api/v1/auth/sign-in",
    payload: { email, password },
    headers: { "user-agent": userAgent },
  });
  await app.defer.settled();
  return response;
}

describe("sign-in history", () => {
  it("records successes and failures with the e-mail tried (lower-cased) and never the password", async () => {
    const user = await createUser("Historian");
    const password = "never-stored-password-9";
    expect((await signIn(user.email.toUpperCase(), password)).statusCode).toBe(401);
    const success = await signIn(user.email, testPassword);
    expect(success.statusCode).toBe(200);
    const cookie = success.cookies.find((c) => c.name === "keel_session");
    const client = new Client(app, cookie?.value ?? null, null);
    const response = await client.get("/api/v1/me/sign-ins");
    expect(response.statusCode).toBe(200);
    const { data } = response.json() as AttemptPage;
    expect(data.map((a) => [a.email, a.success, a.reason, a.userId])).toEqual([
      [user.email, true, null, user.id],
      [user.email.toLowerCase(), false, "wrong-password", user.id],
    ]);
    expect(response.body).not.toContain(password);
    expect(response.body).not.toContain(testPassword);
  });

  it("answers an unknown e-mail exactly like a wrong password, and records it without a user", async () => {
    const unknownEmail = `nobody-${Date.now()}@test.keel.test`;
    const unknown = await signIn(unknownEmail, "whatever-password");
    const wrong = await signIn(ws.viewer.email, "whatever-password");
    expect(unknown.statusCode).toBe(wrong.statusCode);
    const strip = (body: Record<string, unknown>) => ({ ...body, requestId: undefined });
    expect(strip(unknown.json())).toEqual(strip(wrong.json()));
    // An admin of the workspace sees the viewer's failure but not the unknown e-mail's.
    const seen = (await ws.admin.client.get("/api/v1/sign-ins?limit=200")).json() as AttemptPage;
    expect(seen.data.some((a) => a.userId === ws.viewer.userId && a.reason === "wrong-password")).toBe(true);
    expect(seen.data.some((a) => a.email === unknownEmail)).toBe(false);
    // The failure is in the workspace's audit log too, with the e-mail tried and never the password.
    const audit = await ws.admin.client.get(
      `/api/v1/audit-logs?action=auth.sign_in_failed&resourceId=${ws.viewer.userId}&limit=200`,
    );
    expect(audit.statusCode).toBe(200);
    const entries = (audit.json() as { data: { details: { email?: string; reason?: string } }[] }).data;
    expect(
      entries.some((e) => e.details.email === ws.viewer.email.toLowerCase() && e.details.reason === "wrong-password"),
    ).toBe(true);
    expect(audit.body).not.toContain("whatever-password");
  });

  it("records sign-ins of disabled accounts as such", async () => {
    const user = await createUser("Disabled");
    const { db } = await testDatabase();
    await db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, user.id));
    expect((await signIn(user.email, testPassword)).statusCode).toBe(401);
    const rows = await db.select().from(signIns).where(eq(signIns.userId, user.id));
    expect(rows.map((r) => [r.success, r.reason])).toEqual([[false, "disabled"]]);
  });

  it("shows admins only the sign-ins of their own members, and refuses everyone else", async () => {
    await signIn(other.agent.email, "wrong-password-x");
    await signIn(ws.agent.email, "wrong-password-y");
    const page = (await ws.admin.client.get("/api/v1/sign-ins?limit=200")).json() as AttemptPage;
    const members = new Set([ws.admin, ws.manager, ws.agent, ws.viewer].map((m) => m.userId));
    expect(page.data.length).toBeGreaterThan(0);
    expect(page.data.every((a) => a.userId !== null && members.has(a.userId))).toBe(true);
    const ofAgent = (await ws.admin.client.get(`/api/v1/sign-ins?userId=${ws.agent.userId}`)).json() as AttemptPage;
    expect(ofAgent.data.length).toBeGreaterThan(0);
    expect(ofAgent.data.every((a) => a.userId === ws.agent.userId)).toBe(true);
    const stranger = (await ws.admin.client.get(`/api/v1/sign-ins?userId=${other.agent.userId}`)).json();
    expect(stranger.data).toEqual([]);
    for (const member of [ws.manager, ws.agent, ws.viewer]) {
      expect((await member.client.get("/api/v1/sign-ins")).statusCode).toBe(403);
    }
    // My own history never holds anybody else's attempts.
    const mine = (await ws.agent.client.get("/api/v1/me/sign-ins?limit=200")).json() as AttemptPage;
    expect(mine.data.every((a) => a.userId === ws.agent.userId)).toBe(true);
  });

  it("pages newest first by cursor, without gaps or repeats", async () => {
    const user = await createUser("Pager");
    for (let i = 0; i < 5; i++) await signIn(user.email, `wrong-${i}-password`);
    const client = await anotherSession(user.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url: string = `/api/v1/me/sign-ins?limit=2${cursor ? `&cursor=${cursor}` : ""}`;
      const response = await client.get(url);
      expect(response.statusCode).toBe(200);
      const page = response.json() as AttemptPage;
      seen.push(...page.data.map((a) => a.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
    expect([...seen].sort().reverse()).toEqual(seen);
    expect((await client.get("/api/v1/me/sign-ins?cursor=%21%21")).statusCode).toBe(400);
    expect((await client.get("/api/v1/me/sign-ins?limit=0")).statusCode).toBe(400);
  });

  it("is not open to API keys", async () => {
    const created = await ws.admin.client.post("/api/v1/api-keys", { name: "History key", scopes: ["*:read"] });
    const key = (created.json() as { key: string }).key;
    for (const url of ["/api/v1/sign-ins", "/api/v1/me/sign-ins", "/api/v1/me/sessions"]) {
      const response = await app.inject({ method: "GET", url, headers: { authorization: `Bearer ${key}` } });
      expect(response.statusCode).toBe(403);
    }
  });
});
