import { Writable } from "node:stream";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { buildApp } from "../app.ts";
import { parseConfig } from "../config.ts";
import {
  anonymous,
  Client,
  createTestWorkspace,
  createUser,
  testDatabase,
  testPassword,
  type TestWorkspace,
} from "../test/create-test-app.ts";
import { freePort } from "../test/ports.ts";
import { redisKeyPrefix } from "./rate-limit.ts";

// eslint-disable-next-line n/no-process-env -- CI sets it; without a Redis the shared-counter tests are skipped
const testRedisUrl = process.env.TEST_REDIS_URL;

/** 3 API requests, 3 account actions and 2 exports a minute. */
const smallLimits = {
  RATE_LIMIT_API_PER_MINUTE: "3",
  RATE_LIMIT_AUTH_PER_MINUTE: "3",
  RATE_LIMIT_EXPORT_PER_MINUTE: "2",
};

/** A test app with small limits, and an export route (no real route opts into the export limit yet). */
async function limitedApp(env: Record<string, string> = {}, logStream?: Writable): Promise<FastifyInstance> {
  const { db } = await testDatabase();
  const config = parseConfig({ NODE_ENV: "test", LOG_LEVEL: "silent", ...smallLimits, ...env });
  const built = await buildApp(config, { db, ...(logStream ? { logStream } : {}) });
  built.get("/api/v1/test-export", { config: { rateLimitPolicy: "export" } }, async () => ({ exported: true }));
  await built.ready();
  return built;
}

function signIn(app: FastifyInstance, email: string, password: string, ip: string) {
  return app.inject({
    method: "POST",
    url: "/api/v1/auth/sign-in",
    payload: { email, password },
    remoteAddress: ip,
  }) as Promise<LightMyRequestResponse>;
}

function expectRateLimited(response: LightMyRequestResponse): void {
  expect(response.statusCode).toBe(429);
  expect(response.headers["content-type"]).toContain("application/problem+json");
  expect(response.json()).toMatchObject({ type: "/problems/rate-limited", status: 429, title: "Too many requests" });
  const retryAfter = Number(response.headers["retry-after"]);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect(response.headers["ratelimit-remaining"]).toBe("0");
}

let app: FastifyInstance;
let workspace: TestWorkspace;

beforeAll(async () => {
  app = await limitedApp();
  workspace = await createTestWorkspace(app, "Rate limits");
});
afterAll(() => app.close());
afterEach(() => vi.useRealTimers());

describe("the API limit, per signed-in caller", () => {
  it("counts down in RateLimit headers, then answers 429 problem+json with Retry-After", async () => {
    const { client } = workspace.admin;
    for (const remaining of ["2", "1", "0"]) {
      const response = await client.get("/api/v1/me");
      expect(response.statusCode).toBe(200);
      expect(response.headers["ratelimit-limit"]).toBe("3");
      expect(response.headers["ratelimit-remaining"]).toBe(remaining);
      expect(Number(response.headers["ratelimit-reset"])).toBeGreaterThan(0);
    }
    const refused = await client.get("/api/v1/contacts");
    expectRateLimited(refused);
    expect(refused.json().detail).toMatch(/Try again in/);

    // Another user of the same workspace has a counter of their own.
    const other = await workspace.manager.client.get("/api/v1/me");
    expect(other.statusCode).toBe(200);
    expect(other.headers["ratelimit-remaining"]).toBe("2");
  });

  it("starts again after the minute", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const { client } = workspace.agent;
    for (let i = 0; i < 3; i++) expect((await client.get("/api/v1/me")).statusCode).toBe(200);
    expectRateLimited(await client.get("/api/v1/me"));
    vi.setSystemTime(Date.now() + 61_000);
    const again = await client.get("/api/v1/me");
    expect(again.statusCode).toBe(200);
    expect(again.headers["ratelimit-remaining"]).toBe("2");
  });

  it("does not count anonymous requests", async () => {
    for (let i = 0; i < 5; i++) {
      const response = await anonymous(app).get("/api/v1/me");
      expect(response.statusCode).toBe(401);
      expect(response.headers["ratelimit-limit"]).toBeUndefined();
    }
  });

  it("never limits health checks, the API docs or the web app", async () => {
    const cookie = { cookie: `keel_session=${workspace.viewer.client.token}` };
    for (let i = 0; i < 5; i++) {
      for (const url of ["/healthz", "/readyz", "/", "/contacts", "/assets/missing.js", "/api/openapi.json"]) {
        const response = await app.inject({ url, headers: cookie });
        expect(response.statusCode, url).not.toBe(429);
        expect(response.headers["ratelimit-limit"], url).toBeUndefined();
      }
    }
  });
});

describe("the export limit", () => {
  it("counts the routes that opt in, apart from the API limit", async () => {
    const { client } = workspace.viewer;
    for (const remaining of ["1", "0"]) {
      const response = await client.get("/api/v1/test-export");
      expect(response.statusCode).toBe(200);
      expect(response.headers["ratelimit-limit"]).toBe("2");
      expect(response.headers["ratelimit-remaining"]).toBe(remaining);
    }
    expectRateLimited(await client.get("/api/v1/test-export"));
    const api = await client.get("/api/v1/me");
    expect(api.statusCode).toBe(200);
    expect(api.headers["ratelimit-limit"]).toBe("3");
  });
});

describe("sign-in, per IP address and account", () => {
  it("stops password guessing from one address without locking the owner out elsewhere", async () => {
    const victim = await createUser("Victim");
    const neighbour = await createUser("Neighbour");
    for (const remaining of ["2", "1", "0"]) {
      const wrong = await signIn(app, victim.email, "wrong-password", "198.51.100.1");
      expect(wrong.statusCode).toBe(401);
      expect(wrong.headers["ratelimit-remaining"]).toBe(remaining);
    }
    // Every attempt counts: the right password does not get through from that address either,
    // however the address is written.
    expectRateLimited(await signIn(app, victim.email, testPassword, "198.51.100.1"));
    expectRateLimited(await signIn(app, ` ${victim.email.toUpperCase()} `, testPassword, "198.51.100.1"));

    expect((await signIn(app, victim.email, testPassword, "198.51.100.2")).statusCode).toBe(200);
    expect((await signIn(app, neighbour.email, testPassword, "198.51.100.1")).statusCode).toBe(200);
  });

  it("reads the client's address from X-Forwarded-For behind a trusted proxy", async () => {
    const proxied = await limitedApp({ TRUST_PROXY: "true" });
    try {
      const user = await createUser("Proxied");
      const from = (ip: string) =>
        proxied.inject({
          method: "POST",
          url: "/api/v1/auth/sign-in",
          payload: { email: user.email, password: "wrong-password" },
          headers: { "x-forwarded-for": ip },
        });
      for (let i = 0; i < 3; i++) expect((await from("203.0.113.7")).statusCode).toBe(401);
      expectRateLimited(await from("203.0.113.7"));
      expect((await from("203.0.113.8")).statusCode).toBe(401);
    } finally {
      await proxied.close();
    }
  });
});

describe("a limit of 0", () => {
  it("turns that limit off", async () => {
    const unlimited = await limitedApp({
      RATE_LIMIT_API_PER_MINUTE: "0",
      RATE_LIMIT_AUTH_PER_MINUTE: "0",
      RATE_LIMIT_EXPORT_PER_MINUTE: "0",
    });
    try {
      const member = workspace.manager;
      const client = new Client(unlimited, member.client.token, workspace.id);
      for (let i = 0; i < 5; i++) {
        for (const url of ["/api/v1/me", "/api/v1/test-export"]) {
          const response = await client.get(url);
          expect(response.statusCode).toBe(200);
          expect(response.headers["ratelimit-limit"]).toBeUndefined();
        }
        const wrong = await signIn(unlimited, member.email, "wrong-password", "198.51.100.9");
        expect(wrong.statusCode).toBe(401);
        expect(wrong.headers["ratelimit-limit"]).toBeUndefined();
      }
    } finally {
      await unlimited.close();
    }
  });

  it("for exports leaves export routes under the API limit", async () => {
    const noExportLimit = await limitedApp({ RATE_LIMIT_EXPORT_PER_MINUTE: "0" });
    try {
      const response = await new Client(noExportLimit, workspace.manager.client.token, workspace.id).get(
        "/api/v1/test-export",
      );
      expect(response.statusCode).toBe(200);
      expect(response.headers["ratelimit-limit"]).toBe("3");
    } finally {
      await noExportLimit.close();
    }
  });
});

describe("with Redis", () => {
  it("keeps answering when Redis cannot be reached, and logs it without the password", async () => {
    const lines: string[] = [];
    const logStream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const url = `redis://:secret-redis-password@127.0.0.1:${await freePort()}`;
    const unreachable = await limitedApp({ REDIS_URL: url }, logStream);
    try {
      const client = new Client(unreachable, workspace.admin.client.token, workspace.id);
      for (let i = 0; i < 5; i++) expect((await client.get("/api/v1/me")).statusCode).toBe(200);
      for (let i = 0; i < 5; i++) {
        expect((await signIn(unreachable, workspace.admin.email, testPassword, "198.51.100.20")).statusCode).toBe(200);
      }
      expect((await unreachable.inject({ url: "/healthz" })).statusCode).toBe(200);
    } finally {
      await unreachable.close();
    }
    const logs = lines.join("");
    expect(logs).toContain("Redis unreachable");
    expect(logs).not.toContain("secret-redis-password");
  });

  describe.runIf(testRedisUrl)("shared by several Keel processes (TEST_REDIS_URL)", () => {
    let first: FastifyInstance;
    let second: FastifyInstance;
    let redis: Redis;

    beforeAll(async () => {
      first = await limitedApp({ REDIS_URL: testRedisUrl ?? "" });
      second = await limitedApp({ REDIS_URL: testRedisUrl ?? "" });
      redis = new Redis(testRedisUrl ?? "");
    });
    afterAll(async () => {
      await first.close();
      await second.close();
      redis.disconnect();
    });

    it("counts a caller's requests on every process against one limit", async () => {
      // A user of this run only: its counter's key is new to the Redis (runs never collide).
      const ws = await createTestWorkspace(first, "Rate limits on Redis");
      const onFirst = ws.admin.client;
      const onSecond = new Client(second, ws.admin.client.token, ws.id);
      const key = `${redisKeyPrefix}api:user:${ws.admin.userId}`;
      try {
        expect((await onFirst.get("/api/v1/me")).headers["ratelimit-remaining"]).toBe("2");
        expect((await onFirst.get("/api/v1/me")).headers["ratelimit-remaining"]).toBe("1");
        const third = await onSecond.get("/api/v1/me");
        expect(third.statusCode).toBe(200);
        expect(third.headers["ratelimit-remaining"]).toBe("0");
        expect(Number(await redis.get(key))).toBe(3);
        expectRateLimited(await onSecond.get("/api/v1/me"));
        expectRateLimited(await onFirst.get("/api/v1/me"));
      } finally {
        await redis.del(key);
      }
    });

    it("shares sign-in attempts too", async () => {
      const user = await createUser("Shared sign-in");
      for (const instance of [first, second, first]) {
        expect((await signIn(instance, user.email, "wrong-password", "198.51.100.30")).statusCode).toBe(401);
      }
      expectRateLimited(await signIn(second, user.email, testPassword, "198.51.100.30"));
      expect((await signIn(second, user.email, testPassword, "198.51.100.31")).statusCode).toBe(200);
    });
  });
});
