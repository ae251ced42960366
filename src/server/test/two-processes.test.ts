import { randomBytes, randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn, spawnKeel, waitReady, type KeelProcess } from "./faults/keel-process.ts";
import { sleep } from "./ports.ts";

/**
 * Two `keel serve` processes on one PostgreSQL database (and one Redis) behind no load balancer
 * at all: each flow alternates between them over real HTTP, as a balancer would, and must get the
 * answers one process gives. The embedded database belongs to one process, so this needs a
 * PostgreSQL server (TEST_DATABASE_URL), on which it creates a database of its own.
 */
// eslint-disable-next-line n/no-process-env -- tests choose their database and Redis like CI does
const { TEST_DATABASE_URL: testDatabaseUrl, TEST_REDIS_URL: testRedisUrl } = process.env;
const database = `keel_two_processes_${process.pid}_${Date.now().toString(36)}`;
/** The longest a process may keep trusting a revoked session (auth/sessions.ts caches them 5 s). */
const revocationWindowMs = 5_000;
/** Sign-ins allowed per minute and account: the rate-limit flow spends them from both processes. */
const authPerMinute = 6;

type Answer = { status: number; headers: Headers; body: unknown };

async function call(process: KeelProcess, cookie: string, method: string, path: string, body?: unknown, headers = {}) {
  const response = await fetch(`${process.baseUrl}/api/v1${path}`, {
    method,
    headers: { cookie, ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null } as Answer;
}

describe.skipIf(!testDatabaseUrl)("two keel serve processes on one database", () => {
  let admin: pg.Client;
  let a: KeelProcess;
  let b: KeelProcess;

  beforeAll(async () => {
    admin = new pg.Client({ connectionString: testDatabaseUrl });
    await admin.connect();
    await admin.query(`create database ${database}`);
    const url = new URL(testDatabaseUrl!);
    url.pathname = `/${database}`;
    const env = {
      // Both must open the secrets the other sealed: one key for the deployment.
      ENCRYPTION_KEY: randomBytes(32).toString("hex"),
      RATE_LIMIT_AUTH_PER_MINUTE: String(authPerMinute),
      RATE_LIMIT_API_PER_MINUTE: "0",
      ...(testRedisUrl ? { REDIS_URL: testRedisUrl } : {}),
    };
    // Both at once, as a deployment starts them: one migrates the new database while the other
    // waits for the migration lock, and one seeds the demo workspace while the other backs off.
    [a, b] = await Promise.all([
      spawnKeel({ databaseUrl: url.toString() }, env),
      spawnKeel({ databaseUrl: url.toString() }, env),
    ]);
    await Promise.all([waitReady(a), waitReady(b)]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await admin?.query(`drop database if exists ${database} with (force)`);
    await admin?.end();
  });

  it("signs in on one and is signed in on the other", async () => {
    const cookie = await signIn(a.baseUrl);
    const onA = await call(a, cookie, "GET", "/me");
    const onB = await call(b, cookie, "GET", "/me");
    expect(onA.status).toBe(200);
    expect(onB).toMatchObject({ status: 200, body: onA.body });
  });

  it(`sees a session revoked on the other within ${revocationWindowMs / 1000} s`, async () => {
    const keeper = await signIn(b.baseUrl);
    const revoked = await signIn(b.baseUrl);
    // The other process has just seen the session (and may keep it in its cache).
    expect((await call(a, revoked, "GET", "/me")).status).toBe(200);
    const sessions = (await call(b, revoked, "GET", "/me/sessions")).body as {
      data: { id: string; current: boolean }[];
    };
    const sessionId = sessions.data.find((session) => session.current)?.id;
    expect((await call(b, keeper, "DELETE", `/me/sessions/${sessionId}`)).status).toBe(204);
    const revokedAt = Date.now();
    expect((await call(b, revoked, "GET", "/me")).status).toBe(401);
    while ((await call(a, revoked, "GET", "/me")).status === 200) {
      expect(Date.now() - revokedAt).toBeLessThan(revocationWindowMs + 500);
      await sleep(100);
    }
    expect((await call(a, revoked, "GET", "/me")).status).toBe(401);
    expect((await call(a, keeper, "GET", "/me")).status).toBe(200);
  });

  it("acts at once, on the other, in the workspace just switched to on one", async () => {
    const cookie = await signIn(a.baseUrl);
    const created = await call(a, cookie, "POST", "/workspaces", { name: `Switched ${randomUUID()}` });
    expect(created.status).toBe(201);
    const { id: switchedTo } = created.body as { id: string };
    const { activeWorkspaceId: home } = (await call(b, cookie, "GET", "/me")).body as { activeWorkspaceId: string };
    // B has just read the session (and may keep it in its cache); A switches it.
    expect((await call(a, cookie, "POST", "/me/workspace", { workspaceId: switchedTo })).status).toBe(200);
    expect((await call(b, cookie, "GET", "/me")).body).toMatchObject({ activeWorkspaceId: switchedTo, role: "admin" });
    const contact = await call(b, cookie, "POST", "/contacts", { firstName: "Landed", lastName: "Here" });
    expect(contact.status).toBe(201);
    const inSwitched = await call(a, cookie, "GET", "/contacts/count", undefined, { "x-workspace-id": switchedTo });
    expect(inSwitched.body).toMatchObject({ count: 1 });
    expect((await call(a, cookie, "POST", "/me/workspace", { workspaceId: home })).status).toBe(200);
    expect((await call(b, cookie, "GET", "/me")).body).toMatchObject({ activeWorkspaceId: home });
  });

  it("answers an idempotency key used on one with the same answer on the other, writing once", async () => {
    const cookie = await signIn(a.baseUrl);
    const email = `two-processes-${randomUUID()}@example.com`;
    const key = { "idempotency-key": randomUUID() };
    const contact = { firstName: "Twice", lastName: "Sent", email };
    const first = await call(a, cookie, "POST", "/contacts", contact, key);
    const second = await call(b, cookie, "POST", "/contacts", contact, key);
    expect(first.status).toBe(201);
    expect(second).toMatchObject({ status: 201, body: first.body });
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    for (const process of [a, b]) {
      const count = await call(process, cookie, "GET", `/contacts/count?filter[email]=${encodeURIComponent(email)}`);
      expect(count.body).toMatchObject({ count: 1 });
    }
    const other = await call(b, cookie, "POST", "/contacts", { ...contact, firstName: "Other" }, key);
    expect(other.status).toBe(422);
  });

  it("shows on the other's next dashboard a change made on one", async () => {
    const cookie = await signIn(b.baseUrl);
    const totalsOf = async (process: KeelProcess) => {
      const answer = await call(process, cookie, "GET", "/dashboard");
      expect(answer.status).toBe(200);
      return (answer.body as { totals: { contacts: number } }).totals.contacts;
    };
    const before = await totalsOf(b);
    expect(await totalsOf(a)).toBe(before);
    const created = await call(a, cookie, "POST", "/contacts", { firstName: "Dashboard", lastName: "Change" });
    expect(created.status).toBe(201);
    expect(await totalsOf(b)).toBe(before + 1);
    expect((await call(b, cookie, "DELETE", `/contacts/${(created.body as { id: string }).id}`)).status).toBe(204);
    expect(await totalsOf(a)).toBe(before);
  });

  it.runIf(testRedisUrl)("counts the sign-in limit in Redis across both processes", async () => {
    const email = `nobody-${randomUUID()}@example.com`;
    const attempt = async (process: KeelProcess) =>
      (await call(process, "", "POST", "/auth/sign-in", { email, password: "not the password" })).status;
    const statuses: number[] = [];
    // Alternating: each process alone sees half the attempts, under the limit.
    for (let i = 0; i < authPerMinute; i++) statuses.push(await attempt(i % 2 === 0 ? a : b));
    expect(statuses).toEqual(Array(authPerMinute).fill(401));
    expect(await attempt(a)).toBe(429);
    expect(await attempt(b)).toBe(429);
  });
});
