import { createHash } from "node:crypto";
import fastifyRateLimit, { normalizeIP } from "@fastify/rate-limit";
import type { FastifyInstance, FastifyRequest, onRequestHookHandler, RouteOptions } from "fastify";
import fp from "fastify-plugin";
import type { Redis } from "ioredis";
import type { Config } from "../config.ts";
import { AppError } from "../lib/errors.ts";
import { openRedis } from "./redis.ts";
import { challengeTokenOf, challengeUserOf } from "../modules/auth/two-factor.challenge.ts";

/**
 * Account actions: limited per IP address and account rather than per caller, since their callers
 * are mostly not signed in.
 */
export const accountActionPaths: readonly string[] = [
  "/api/v1/auth/sign-in",
  "/api/v1/auth/two-factor",
  "/api/v1/auth/forgot-password",
  "/api/v1/auth/reset-password",
  "/api/v1/auth/sign-up",
  "/api/v1/auth/verify-email",
  "/api/v1/invitations/accept",
];

/** The second step of sign-in, which names no e-mail: its account is the one its challenge was issued to. */
const twoFactorPath = "/api/v1/auth/two-factor";

/** Every limit is a number of requests per minute. */
const windowMs = 60_000;
export const redisKeyPrefix = "keel:rl:";
/** How long startup waits for Redis, so the first requests are counted too. */
const redisStartupWaitMs = 2_000;

type Policy = "api" | "account" | "export";

declare module "fastify" {
  interface FastifyContextConfig {
    /** `"export"`: the route counts against the export limit instead of the API limit. */
    rateLimitPolicy?: "export";
  }
}

/**
 * Who an API request counts against: `user:<id>` for a session, `key:<id>` for an API key, or null
 * for an anonymous request, which the API limit does not count (sign-in and the other account
 * actions have their own limit).
 */
export function rateLimitSubject(request: FastifyRequest): string | null {
  return request.apiKey ? `key:${request.apiKey.id}` : request.identity ? `user:${request.identity.userId}` : null;
}

/** A short, stable digest: Redis keys hold no addresses or ids in clear. */
function digestOf(text: string): string {
  return createHash("sha256").update(text).digest("base64url").slice(0, 22);
}

/**
 * An account action counts against its IP address and the account it names (the body's e-mail), so
 * someone guessing one account's password is stopped while its owner, elsewhere, still gets in.
 * Without an e-mail (accepting an invitation), the IP address alone. The e-mail is hashed.
 *
 * The two-factor step counts against the IP address and the user its challenge cookie was issued
 * to (looked up by the token's hash), not the IP alone: guessing codes from one address is stopped,
 * while the victim, from any other address, still gets in with their own password and code. Only
 * someone who knows the password can get a challenge for an account, and each challenge allows 5
 * codes. A request without a known challenge counts against its IP address alone.
 */
export async function accountActionSubject(request: FastifyRequest): Promise<string> {
  const ip = normalizeIP(request.ip);
  if (request.routeOptions.url === twoFactorPath) {
    const token = challengeTokenOf(request);
    const userId = token ? await challengeUserOf(request.server.db, token) : null;
    return userId ? `${ip}:${digestOf(`user:${userId}`)}` : ip;
  }
  const body: unknown = request.body;
  const email = body && typeof body === "object" && "email" in body ? body.email : undefined;
  if (typeof email !== "string" || email.trim() === "") return ip;
  return `${ip}:${digestOf(email.trim().toLowerCase())}`;
}

const subjects: Record<Policy, (request: FastifyRequest) => string | null | Promise<string>> = {
  api: rateLimitSubject,
  // Every attempt counts, not only failures: simpler, what the API promises, and it also slows
  // down someone probing which addresses have an account.
  account: accountActionSubject,
  export: rateLimitSubject,
};

/** Requests per minute of each policy; 0 turns it off. */
function perMinute(config: Config): Record<Policy, number> {
  const { apiPerMinute, authPerMinute, exportPerMinute } = config.rateLimits;
  return { api: apiPerMinute, account: authPerMinute, export: exportPerMinute };
}

/**
 * The one limit a route counts against: its own (account action, export) or else the API's, each
 * only when switched on. Health checks, docs and the web app are outside /api/v1: never limited.
 */
function policyOf(route: RouteOptions, limits: Record<Policy, number>): Policy | null {
  if (!route.url.startsWith("/api/v1/")) return null;
  const own: Policy | null = accountActionPaths.includes(route.url)
    ? "account"
    : route.config?.rateLimitPolicy === "export"
      ? "export"
      : null;
  if (own && limits[own] > 0) return own;
  return limits.api > 0 ? "api" : null;
}

/**
 * One policy's limiter: an instance of @fastify/rate-limit of its own, so each policy has its own
 * counters (and Redis key prefix). It lives in a scope of its own because the plugin decorates the
 * instance it is registered on; only its request handler is taken out.
 */
async function createLimiter(
  app: FastifyInstance,
  policy: Policy,
  max: number,
  redis: Redis | null,
): Promise<onRequestHookHandler> {
  let handler: onRequestHookHandler | undefined;
  await app.register(async (scope) => {
    await scope.register(fastifyRateLimit, {
      global: false,
      max,
      timeWindow: windowMs,
      // Anonymous API requests get the empty key, which the allow list lets through uncounted.
      keyGenerator: async (request) => (await subjects[policy](request)) ?? "",
      allowList: (_request, key) => key === "",
      enableDraftSpec: true,
      // A Redis outage lets requests through instead of failing them.
      skipOnError: true,
      errorResponseBuilder: (_request, context) =>
        new AppError("rate-limited", `Too many requests. Try again in ${context.after}.`),
      ...(redis ? { redis, nameSpace: `${redisKeyPrefix}${policy}:` } : {}),
    });
    handler = scope.rateLimit() as onRequestHookHandler;
  });
  if (!handler) throw new Error(`the ${policy} rate limiter was not created`);
  return handler;
}

/** Adds a hook to one route, after the hooks it already has. */
function appendHook(route: RouteOptions, name: "onRequest" | "preValidation", hook: onRequestHookHandler): void {
  const existing = route[name] as onRequestHookHandler | onRequestHookHandler[] | undefined;
  const hooks = existing === undefined ? [] : Array.isArray(existing) ? existing : [existing];
  (route as Record<typeof name, unknown>)[name] = [...hooks, hook];
}

/** The Redis client shared by all limits (a second without an answer: the request goes on unlimited). */
async function openLimitsRedis(app: FastifyInstance, url: string): Promise<Redis> {
  const redis = await openRedis(app, url, {
    commandTimeoutMs: 1_000,
    whenDown: "Redis unreachable: rate limits are off until it is back",
    whenBack: "Redis is back: rate limits apply again",
  });
  app.addHook("onReady", () => firstConnection(redis, redisStartupWaitMs));
  return redis;
}

/** Resolves once Redis connected or failed to, or after `ms`: startup never waits long for it. */
function firstConnection(redis: Redis, ms: number): Promise<void> {
  if (redis.status === "ready") return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      redis.off("ready", done);
      redis.off("error", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    redis.once("ready", done);
    redis.once("error", done);
  });
}

/**
 * Rate limits under /api/v1, counted per minute: API requests per signed-in caller, account actions
 * (sign-in…) per IP address and account, exports (routes with `config: { rateLimitPolicy:
 * "export" }`) per caller. Over a limit: 429 problem+json with Retry-After; every counted answer
 * carries RateLimit-Limit, -Remaining and -Reset. Counters live in memory, or in Redis (REDIS_URL)
 * when several processes must share them.
 */
export const rateLimitPlugin = fp(async (app: FastifyInstance) => {
  const limits = perMinute(app.config);
  const policies = (Object.keys(limits) as Policy[]).filter((policy) => limits[policy] > 0);
  if (policies.length === 0) return;
  const redis = app.config.redisUrl ? await openLimitsRedis(app, app.config.redisUrl) : null;
  const limiters: Partial<Record<Policy, onRequestHookHandler>> = {};
  for (const policy of policies) limiters[policy] = await createLimiter(app, policy, limits[policy], redis);

  app.addHook("onRoute", (route) => {
    const policy = policyOf(route, limits);
    const limiter = policy && limiters[policy];
    if (!policy || !limiter) return;
    // Account actions need the parsed body (the e-mail); the others are counted before parsing,
    // after authentication (route hooks run after the app's).
    appendHook(route, policy === "account" ? "preValidation" : "onRequest", limiter);
  });
});
