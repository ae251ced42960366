import { and, desc, eq, sql } from "drizzle-orm";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { Secret, TOTP } from "otpauth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../app.ts";
import { parseConfig } from "../../config.ts";
import {
  Client,
  anonymous,
  createTestApp,
  createTestWorkspace,
  createUser,
  testDatabase,
  testPassword,
} from "../../test/create-test-app.ts";
import { mailOutbox } from "../mail/mail.table.ts";
import { users } from "../users/users.table.ts";
import { createSession, hashToken } from "./sessions.ts";
import { signIns } from "./sign-ins.table.ts";
import { signInChallenges, twoFactorBackupCodes } from "./two-factor.table.ts";

let app: FastifyInstance;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

const challengeCookie = "keel_two_factor";
type TwoFactorUser = { id: string; email: string; client: Client; secret: string; backupCodes: string[] };

/** The code of an authenticator app `steps` 30-second steps from now. */
function codeAt(secret: string, steps = 0): string {
  return TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: Date.now() + steps * 30_000 });
}

/** Six digits no code of the accepted window (this step and the ones either side) has. */
function wrongCodeFor(secret: string): string {
  const right = new Set([-1, 0, 1].map((steps) => codeAt(secret, steps)));
  return ["000000", "111111", "222222", "333333"].find((code) => !right.has(code)) ?? "444444";
}

async function signedInUser(label: string): Promise<{ id: string; email: string; client: Client }> {
  const { db } = await testDatabase();
  const user = await createUser(label);
  const { token } = await createSession(db, {
    userId: user.id,
    ipAddress: "127.0.0.1",
    userAgent: "test",
    ttlHours: 1,
  });
  return { ...user, client: new Client(app, token, null) };
}

/**
 * A signed-in user with two-factor sign-in on. The enabling code is the previous step's, so the
 * tests can still sign in with this step's and the next one's.
 */
async function userWithTwoFactor(label: string): Promise<TwoFactorUser> {
  const user = await signedInUser(label);
  const setup = await user.client.post("/api/v1/me/two-factor/setup");
  expect(setup.statusCode).toBe(200);
  const { secret } = setup.json() as { secret: string };
  // The previous step's code stays accepted only until the next step begins: on a busy machine the
  // request could land after it, so a code made in a step's last 5 s waits for the next step.
  const intoStep = Date.now() % 30_000;
  if (intoStep > 25_000) await new Promise((resolve) => setTimeout(resolve, 30_000 - intoStep + 50));
  const enabled = await user.client.post("/api/v1/me/two-factor/enable", { code: codeAt(secret, -1) });
  expect(enabled.statusCode).toBe(200);
  return { ...user, secret, backupCodes: (enabled.json() as { backupCodes: string[] }).backupCodes };
}

const signIn = (target: FastifyInstance, email: string, headers: Record<string, string> = {}, remoteAddress?: string) =>
  target.inject({
    method: "POST",
    url: "/api/v1/auth/sign-in",
    payload: { email, password: testPassword },
    headers,
    ...(remoteAddress ? { remoteAddress } : {}),
  });

/** Signs in with the password and returns the challenge cookie (as a Cookie header value). */
async function challengeFor(email: string): Promise<string> {
  const response = await signIn(app, email);
  expect(response.statusCode).toBe(200);
  expect(response.json()).toEqual({ twoFactorRequired: true });
  const cookie = response.cookies.find((c) => c.name === challengeCookie);
  if (!cookie) throw new Error("no challenge cookie");
  return `${challengeCookie}=${cookie.value}`;
}

const answer = (cookie: string | null, payload: object, target = app, remoteAddress?: string) =>
  target.inject({
    method: "POST",
    url: "/api/v1/auth/two-factor",
    payload,
    headers: cookie ? { cookie } : {},
    ...(remoteAddress ? { remoteAddress } : {}),
  });

const sessionCookieOf = (response: LightMyRequestResponse) => response.cookies.find((c) => c.name === "keel_session");

function fieldsOf(response: LightMyRequestResponse): string[] {
  return ((response.json() as { errors?: { path: string }[] }).errors ?? []).map((e) => e.path);
}

async function wrongCodeSignIns(userId: string): Promise<number> {
  const { db } = await testDatabase();
  const rows = await db
    .select()
    .from(signIns)
    .where(and(eq(signIns.userId, userId), eq(signIns.reason, "wrong-code")));
  return rows.length;
}

/** The newest outbox message to an address with the subject, waiting for it: alerts go after the response. */
async function mailTo(address: string, subject: string): Promise<{ subject: string; textBody: string }> {
  const { db } = await testDatabase();
  for (let attempt = 0; attempt < 100; attempt++) {
    const [found] = await db
      .select()
      .from(mailOutbox)
      .where(and(eq(sql`lower(${mailOutbox.toAddress})`, address.toLowerCase()), eq(mailOutbox.subject, subject)))
      .orderBy(desc(mailOutbox.createdAt));
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no e-mail "${subject}" to ${address}`);
}

describe("setting up two-factor sign-in", () => {
  it("sets up a secret and its QR code, turns on with a right code, and answers 10 backup codes", async () => {
    const user = await signedInUser("Setter");
    expect((await user.client.get("/api/v1/me/two-factor")).json()).toEqual({
      enabled: false,
      enabledAt: null,
      backupCodesLeft: 0,
    });
    const setup = await user.client.post("/api/v1/me/two-factor/setup");
    expect(setup.statusCode).toBe(200);
    const { secret, otpauthUrl, qrSvg } = setup.json() as { secret: string; otpauthUrl: string; qrSvg: string };
    expect(secret).toMatch(/^[A-Z2-7]{32}$/); // 20 bytes in base32
    const url = new URL(otpauthUrl);
    expect(url.protocol).toBe("otpauth:");
    expect(url.host).toBe("totp");
    expect(decodeURIComponent(url.pathname)).toBe(`/Keel:${user.email}`);
    expect(url.searchParams.get("issuer")).toBe("Keel");
    expect(url.searchParams.get("secret")).toBe(secret);
    expect(qrSvg).toMatch(/^<svg[^>]*>/);
    // Set up but not confirmed: still off.
    expect((await user.client.get("/api/v1/me/two-factor")).json()).toMatchObject({ enabled: false });

    const enabled = await user.client.post("/api/v1/me/two-factor/enable", { code: codeAt(secret) });
    expect(enabled.statusCode).toBe(200);
    const { backupCodes } = enabled.json() as { backupCodes: string[] };
    expect(backupCodes).toHaveLength(10);
    expect(new Set(backupCodes).size).toBe(10);
    for (const code of backupCodes) expect(code).toMatch(/^[a-z2-7]{5}-[a-z2-7]{5}$/);

    const status = (await user.client.get("/api/v1/me/two-factor")).json() as Record<string, unknown>;
    expect(status).toMatchObject({ enabled: true, backupCodesLeft: 10 });
    expect(Date.parse(String(status.enabledAt))).toBeGreaterThan(Date.now() - 60_000);
  });

  it("keeps the secret encrypted and only hashes of the backup codes", async () => {
    const user = await userWithTwoFactor("Encrypted");
    const { db } = await testDatabase();
    const [row] = await db.select().from(users).where(eq(users.id, user.id));
    expect(row?.twoFactorSecret).toMatch(/^v1\./);
    expect(row?.twoFactorSecret).not.toContain(user.secret);
    expect(row?.twoFactorPendingSecret).toBeNull();
    const stored = JSON.stringify(
      await db.select().from(twoFactorBackupCodes).where(eq(twoFactorBackupCodes.userId, user.id)),
    );
    for (const code of user.backupCodes) {
      expect(stored).not.toContain(code);
      expect(stored).not.toContain(code.replace("-", ""));
    }
  });

  it("refuses a wrong code with 400 naming code, and stays off", async () => {
    const user = await signedInUser("Wrong enabler");
    const { secret } = (await user.client.post("/api/v1/me/two-factor/setup")).json() as { secret: string };
    const response = await user.client.post("/api/v1/me/two-factor/enable", { code: wrongCodeFor(secret) });
    expect(response.statusCode).toBe(400);
    expect(fieldsOf(response)).toEqual(["code"]);
    expect(response.body).not.toContain(secret);
    expect((await user.client.get("/api/v1/me/two-factor")).json()).toMatchObject({ enabled: false });
  });

  it("answers 409 to enable without a set-up, and to set-up or enable when it is on already", async () => {
    const fresh = await signedInUser("Not set up");
    const withoutSetup = await fresh.client.post("/api/v1/me/two-factor/enable", { code: "123456" });
    expect(withoutSetup.statusCode).toBe(409);

    const user = await userWithTwoFactor("Already on");
    expect((await user.client.post("/api/v1/me/two-factor/setup")).statusCode).toBe(409);
    const again = await user.client.post("/api/v1/me/two-factor/enable", { code: codeAt(user.secret) });
    expect(again.statusCode).toBe(409);
    expect(again.headers["content-type"]).toContain("application/problem+json");
  });

  it("is for signed-in people only: 401 without a session, 403 with an API key", async () => {
    const ws = await createTestWorkspace(app, "Two-factor keys");
    const created = await ws.admin.client.post("/api/v1/api-keys", { name: "2FA key", scopes: ["*:read", "*:write"] });
    const key = (created.json() as { key: string }).key;
    const routes: [method: "GET" | "POST", url: string, body?: object][] = [
      ["GET", "/api/v1/me/two-factor"],
      ["POST", "/api/v1/me/two-factor/setup", {}],
      ["POST", "/api/v1/me/two-factor/enable", { code: "123456" }],
      ["POST", "/api/v1/me/two-factor/disable", { password: testPassword, code: "123456" }],
      ["POST", "/api/v1/me/two-factor/backup-codes", { code: "123456" }],
    ];
    for (const [method, url, body] of routes) {
      const withKey = await app.inject({
        method,
        url,
        ...(body ? { payload: body } : {}),
        headers: { authorization: `Bearer ${key}` },
      });
      expect(withKey.statusCode, `${method} ${url}`).toBe(403);
      expect((await anonymous(app).request(method, url, body)).statusCode, `${method} ${url}`).toBe(401);
    }
  });
});

describe("POST /api/v1/auth/sign-in and /auth/two-factor", () => {
  it("answers twoFactorRequired with a Strict challenge cookie and no session; a right code gives the session", async () => {
    const user = await userWithTwoFactor("Challenged");
    const response = await signIn(app, user.email);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ twoFactorRequired: true });
    expect(sessionCookieOf(response)).toBeUndefined();
    const cookie = response.cookies.find((c) => c.name === challengeCookie);
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Strict", path: "/", maxAge: 300 });
    const token = cookie?.value ?? "";

    // The challenge cookie is no session.
    const me = await app.inject({ url: "/api/v1/me", headers: { cookie: `${challengeCookie}=${token}` } });
    expect(me.statusCode).toBe(401);
    // Only the token's SHA-256 is stored.
    const { db } = await testDatabase();
    const [stored] = await db.select().from(signInChallenges).where(eq(signInChallenges.userId, user.id));
    expect(stored?.tokenHash).toBe(hashToken(token));
    expect(JSON.stringify(stored)).not.toContain(token);

    const done = await answer(`${challengeCookie}=${token}`, { code: codeAt(user.secret) });
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({ user: { id: user.id, email: user.email } });
    const session = sessionCookieOf(done);
    expect(session?.value).toBeTruthy();
    expect(done.cookies.find((c) => c.name === challengeCookie)?.value).toBe("");
    const signedIn = await app.inject({ url: "/api/v1/me", headers: { cookie: `keel_session=${session?.value}` } });
    expect(signedIn.statusCode).toBe(200);

    // The challenge is used up.
    const reused = await answer(`${challengeCookie}=${token}`, { code: codeAt(user.secret, 1) });
    expect(reused.statusCode).toBe(401);
  });

  it("never accepts a code twice: the same code in a new challenge is refused and recorded", async () => {
    const user = await userWithTwoFactor("Replayed");
    const code = codeAt(user.secret);
    expect((await answer(await challengeFor(user.email), { code })).statusCode).toBe(200);
    const replay = await answer(await challengeFor(user.email), { code });
    expect(replay.statusCode).toBe(401);
    expect(fieldsOf(replay)).toEqual(["code"]);
    expect(sessionCookieOf(replay)).toBeUndefined();
    expect(await wrongCodeSignIns(user.id)).toBe(1);
    // The code that turned two-factor sign-in on cannot sign in either.
    const enabling = await answer(await challengeFor(user.email), { code: codeAt(user.secret, -1) });
    expect(enabling.statusCode).toBe(401);
  });

  it("accepts a backup code once, however it is typed; the second time it is refused", async () => {
    const user = await userWithTwoFactor("Backup user");
    const [first, second] = user.backupCodes as [string, string];
    const used = await answer(await challengeFor(user.email), { backupCode: first });
    expect(used.statusCode).toBe(200);
    expect(sessionCookieOf(used)).toBeDefined();
    const again = await answer(await challengeFor(user.email), { backupCode: first });
    expect(again.statusCode).toBe(401);
    expect(fieldsOf(again)).toEqual(["backupCode"]);
    const typed = await answer(await challengeFor(user.email), {
      backupCode: ` ${second.toUpperCase().replace("-", " ")} `,
    });
    expect(typed.statusCode).toBe(200);
    expect((await user.client.get("/api/v1/me/two-factor")).json()).toMatchObject({ backupCodesLeft: 8 });
  });

  it("refuses expired, forged and missing challenges with 401", async () => {
    const user = await userWithTwoFactor("Expired");
    const cookie = await challengeFor(user.email);
    const { db } = await testDatabase();
    await db
      .update(signInChallenges)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(signInChallenges.userId, user.id));
    const expired = await answer(cookie, { code: codeAt(user.secret) });
    expect(expired.statusCode).toBe(401);
    expect(sessionCookieOf(expired)).toBeUndefined();
    expect(fieldsOf(expired)).toEqual([]);

    const forged = await answer(`${challengeCookie}=${"A".repeat(43)}`, { code: codeAt(user.secret) });
    expect(forged.statusCode).toBe(401);
    const missing = await answer(null, { code: codeAt(user.secret) });
    expect(missing.statusCode).toBe(401);
    // The code was not spent by those: it still signs in.
    expect((await answer(await challengeFor(user.email), { code: codeAt(user.secret) })).statusCode).toBe(200);
  });

  it("spends the challenge after 5 wrong codes: even the right code then needs a new sign-in", async () => {
    const user = await userWithTwoFactor("Guessed");
    const cookie = await challengeFor(user.email);
    const wrong = wrongCodeFor(user.secret);
    for (let attempt = 1; attempt <= 5; attempt++) {
      const response = await answer(cookie, { code: wrong });
      expect(response.statusCode, `attempt ${attempt}`).toBe(401);
    }
    const spent = await answer(cookie, { code: codeAt(user.secret) });
    expect(spent.statusCode).toBe(401);
    expect(sessionCookieOf(spent)).toBeUndefined();
    // The browser is told to forget the spent challenge.
    expect(spent.cookies.find((c) => c.name === challengeCookie)?.value).toBe("");
    expect(await wrongCodeSignIns(user.id)).toBe(5);
    expect((await answer(await challengeFor(user.email), { code: codeAt(user.secret) })).statusCode).toBe(200);
  });

  it("wants exactly one of code and backupCode, naming the field", async () => {
    const user = await userWithTwoFactor("Body");
    const cookie = await challengeFor(user.email);
    const neither = await answer(cookie, {});
    expect(neither.statusCode).toBe(400);
    expect(fieldsOf(neither)).toEqual(["code"]);
    const both = await answer(cookie, { code: "123456", backupCode: user.backupCodes[0] ?? "" });
    expect(both.statusCode).toBe(400);
    expect(fieldsOf(both)).toEqual(["backupCode"]);
    const unknown = await answer(cookie, { code: "123456", remember: true });
    expect(unknown.statusCode).toBe(400);
    // Invalid bodies try no code: the challenge still works.
    expect((await answer(cookie, { code: codeAt(user.secret) })).statusCode).toBe(200);
  });

  it("names the challenge cookie __Host- and makes it Secure where cookies are Secure", async () => {
    const { db } = await testDatabase();
    const secure = await buildApp(
      parseConfig({
        NODE_ENV: "test",
        LOG_LEVEL: "silent",
        COOKIE_SECURE: "true",
        RATE_LIMIT_API_PER_MINUTE: "0",
        RATE_LIMIT_AUTH_PER_MINUTE: "0",
      }),
      { db },
    );
    try {
      const user = await userWithTwoFactor("Secure");
      const response = await signIn(secure, user.email);
      const cookie = response.cookies.find((c) => c.name === `__Host-${challengeCookie}`);
      expect(cookie).toMatchObject({ secure: true, httpOnly: true, sameSite: "Strict", path: "/" });
      expect(cookie).not.toHaveProperty("domain");
      // A plain cookie, which anyone on a sibling subdomain could plant, is no challenge there.
      expect(
        (await answer(`${challengeCookie}=${cookie?.value}`, { code: codeAt(user.secret) }, secure)).statusCode,
      ).toBe(401);
      const done = await answer(`__Host-${challengeCookie}=${cookie?.value}`, { code: codeAt(user.secret) }, secure);
      expect(done.statusCode).toBe(200);
      expect(done.cookies.find((c) => c.name === "__Host-keel_session")?.secure).toBe(true);
    } finally {
      await secure.close();
    }
  });
});

describe("turning two-factor sign-in off, and new backup codes", () => {
  it("needs the right password and code, e-mails an alert, and then sign-in needs no code", async () => {
    const user = await userWithTwoFactor("Disabler");
    const wrongPassword = await user.client.post("/api/v1/me/two-factor/disable", {
      password: "not-the-password",
      code: codeAt(user.secret),
    });
    expect(wrongPassword.statusCode).toBe(400);
    expect(fieldsOf(wrongPassword)).toEqual(["password"]);
    const wrongCode = await user.client.post("/api/v1/me/two-factor/disable", {
      password: testPassword,
      code: wrongCodeFor(user.secret),
    });
    expect(wrongCode.statusCode).toBe(400);
    expect(fieldsOf(wrongCode)).toEqual(["code"]);
    expect((await user.client.get("/api/v1/me/two-factor")).json()).toMatchObject({ enabled: true });

    const disabled = await user.client.post("/api/v1/me/two-factor/disable", {
      password: testPassword,
      code: codeAt(user.secret),
    });
    expect(disabled.statusCode).toBe(204);
    const mail = await mailTo(user.email, "Two-factor sign-in was turned off");
    expect(mail.textBody).toContain("turned off");
    expect(mail.textBody).not.toContain(user.secret);

    expect((await user.client.get("/api/v1/me/two-factor")).json()).toEqual({
      enabled: false,
      enabledAt: null,
      backupCodesLeft: 0,
    });
    const { db } = await testDatabase();
    const [row] = await db.select().from(users).where(eq(users.id, user.id));
    expect(row).toMatchObject({ twoFactorSecret: null, twoFactorEnabledAt: null, twoFactorLastStep: null });
    expect(await db.select().from(twoFactorBackupCodes).where(eq(twoFactorBackupCodes.userId, user.id))).toEqual([]);

    const plain = await signIn(app, user.email);
    expect(plain.statusCode).toBe(200);
    expect(plain.json()).toMatchObject({ user: { id: user.id } });
    expect(sessionCookieOf(plain)).toBeDefined();
    // Off already: 409.
    const again = await user.client.post("/api/v1/me/two-factor/disable", { password: testPassword, code: "123456" });
    expect(again.statusCode).toBe(409);
  });

  it("takes a backup code to turn off as well", async () => {
    const user = await userWithTwoFactor("Backup disabler");
    const response = await user.client.post("/api/v1/me/two-factor/disable", {
      password: testPassword,
      code: user.backupCodes[3],
    });
    expect(response.statusCode).toBe(204);
  });

  it("replaces the backup codes for a right code: the old ones stop working", async () => {
    const user = await userWithTwoFactor("Renewer");
    const wrong = await user.client.post("/api/v1/me/two-factor/backup-codes", { code: wrongCodeFor(user.secret) });
    expect(wrong.statusCode).toBe(400);
    expect(fieldsOf(wrong)).toEqual(["code"]);
    const renewed = await user.client.post("/api/v1/me/two-factor/backup-codes", { code: codeAt(user.secret) });
    expect(renewed.statusCode).toBe(200);
    const { backupCodes } = renewed.json() as { backupCodes: string[] };
    expect(backupCodes).toHaveLength(10);
    expect(backupCodes.some((code) => user.backupCodes.includes(code))).toBe(false);
    expect((await answer(await challengeFor(user.email), { backupCode: user.backupCodes[0] ?? "" })).statusCode).toBe(
      401,
    );
    expect((await answer(await challengeFor(user.email), { backupCode: backupCodes[0] ?? "" })).statusCode).toBe(200);

    const off = await signedInUser("Renewer without 2FA");
    expect((await off.client.post("/api/v1/me/two-factor/backup-codes", { code: "123456" })).statusCode).toBe(409);
  });
});

describe("the rate limit of the two-factor step", () => {
  it("counts per IP address and challenged user: a guesser elsewhere does not lock the owner out", async () => {
    const { db } = await testDatabase();
    const limited = await buildApp(
      parseConfig({
        NODE_ENV: "test",
        LOG_LEVEL: "silent",
        RATE_LIMIT_API_PER_MINUTE: "0",
        RATE_LIMIT_AUTH_PER_MINUTE: "3",
      }),
      { db },
    );
    try {
      const victim = await userWithTwoFactor("Rate-limited victim");
      const bystander = await userWithTwoFactor("Rate-limited bystander");
      const challengeOn = async (email: string, ip: string) => {
        const response = await signIn(limited, email, {}, ip);
        return `${challengeCookie}=${response.cookies.find((c) => c.name === challengeCookie)?.value}`;
      };
      const attacker = "198.51.100.7";
      const guessed = await challengeOn(victim.email, attacker);
      const wrong = wrongCodeFor(victim.secret);
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await answer(guessed, { code: wrong }, limited, attacker)).statusCode);
      expect(statuses).toEqual([401, 401, 401, 429]);

      // The owner, from their own address, still gets in.
      const owner = "203.0.113.20";
      const own = await answer(await challengeOn(victim.email, owner), { code: codeAt(victim.secret) }, limited, owner);
      expect(own.statusCode).toBe(200);
      // Another user's challenge from the guesser's address has its own count.
      const other = await answer(
        await challengeOn(bystander.email, attacker),
        { code: codeAt(bystander.secret) },
        limited,
        attacker,
      );
      expect(other.statusCode).toBe(200);
      expect(other.headers["ratelimit-limit"]).toBe("3");
    } finally {
      await limited.close();
    }
  });
});
