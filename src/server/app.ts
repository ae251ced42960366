import cookie from "@fastify/cookie";
import type { Writable } from "node:stream";
import Fastify, { type FastifyInstance } from "fastify";
import { validatorCompiler, type ZodTypeProvider } from "fastify-type-provider-zod";
import { sql } from "drizzle-orm";
import type { Config } from "./config.ts";
import type { Database } from "./db/client.ts";
import { createDefer, type Defer } from "./http/after-response.ts";
import { authenticationPlugin } from "./http/authentication.ts";
import { idempotencyPlugin } from "./http/idempotency.ts";
import { crossOriginPlugin } from "./http/cross-origin.ts";
import { inputGuardPlugin } from "./http/input-guard.ts";
import { trackAllowedMethods } from "./http/allowed-methods.ts";
import { parseJsonStrictly } from "./http/json-body.ts";
import { loggerOptions } from "./http/logging.ts";
import { metricsPlugin } from "./http/metrics.ts";
import { openApiPlugin } from "./http/openapi.ts";
import { problemDetailsPlugin, sendClientError, sendProblem, toAppError } from "./http/problem-details.ts";
import { rateLimitPlugin } from "./http/rate-limit.ts";
import { stalledBodiesPlugin } from "./http/stalled-bodies.ts";
import { readRetryPlugin } from "./http/read-retry.ts";
import { securityHeadersPlugin } from "./http/security-headers.ts";
import { compileResponseSerializer } from "./http/serializer.ts";
import { registerWebApp } from "./http/web-app.ts";
import { jobsNotStarted, type Jobs } from "./jobs/index.ts";
import { AppError } from "./lib/errors.ts";
import { newId } from "./lib/ids.ts";
import { createSecretBox, loadEncryptionKey, type SecretBox } from "./lib/secret-box.ts";
import { activitiesRoutes } from "./modules/activities/index.ts";
import { apiKeysRoutes } from "./modules/api-keys/index.ts";
import { auditRoutes } from "./modules/audit/index.ts";
import { accountRoutes, authRoutes, sessionsRoutes, signInsRoutes, twoFactorRoutes } from "./modules/auth/index.ts";
import { companiesRoutes } from "./modules/companies/index.ts";
import { contactsRoutes } from "./modules/contacts/index.ts";
import { dashboardRoutes } from "./modules/dashboard/index.ts";
import { dealsRoutes } from "./modules/deals/index.ts";
import { eventsRoutes, liveEventsPlugin } from "./modules/events/index.ts";
import { exportsRoutes } from "./modules/exports/index.ts";
import { importsRoutes } from "./modules/imports/index.ts";
import { invitationsRoutes } from "./modules/invitations/index.ts";
import { jobsRoutes } from "./modules/jobs/index.ts";
import { leadsRoutes } from "./modules/leads/index.ts";
import { mailRoutes } from "./modules/mail/index.ts";
import { mergeRoutes } from "./modules/merge/index.ts";
import { notificationsRoutes } from "./modules/notifications/index.ts";
import { pipelinesRoutes } from "./modules/pipelines/index.ts";
import { savedViewsRoutes } from "./modules/saved-views/index.ts";
import { ssoRoutes } from "./modules/sso/index.ts";
import { tasksRoutes } from "./modules/tasks/index.ts";
import { usersRoutes } from "./modules/users/index.ts";
import { webhooksRoutes } from "./modules/webhooks/index.ts";
import { workspacesRoutes } from "./modules/workspaces/index.ts";

declare module "fastify" {
  interface FastifyInstance {
    config: Config;
    db: Database;
    /** Encrypts the secrets Keel must read back (TOTP, SSO client secrets). */
    secretBox: SecretBox;
    /** Runs work after the answer (e-mails, alerts); closing the app waits for it. */
    defer: Defer;
    /** Background jobs: `app.jobs.send(name, { workspaceId, … })` enqueues one, in any process. */
    jobs: Jobs;
  }
}

export type AppDependencies = {
  db: Database;
  /** The started job runtime (serve starts it first); none: sending a job fails, as nothing would run it. */
  jobs?: Jobs;
  /** Where logs go instead of stdout (tests read them). */
  logStream?: Writable;
};

/** Path ids up to 200 characters reach the routes (longer ones answer 414). */
const routerOptions = { maxParamLength: 200 };

/** Builds the HTTP application: cross-cutting plugins first, then every module, listed explicitly. */
export async function buildApp(config: Config, deps: AppDependencies): Promise<FastifyInstance> {
  const app = Fastify({
    logger: loggerOptions(config, deps.logStream),
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    // Honour a caller's request id (for tracing across services) when it looks like one.
    genReqId: (request) => {
      const given = request.headers["x-request-id"];
      return typeof given === "string" && /^[\w-]{8,64}$/.test(given) ? given : newId();
    },
    routerOptions,
    // `__proto__` and `constructor.prototype` keys are refused by the input guard, naming the field,
    // instead of failing the whole body as unparsable. JSON.parse keeps them as plain own keys.
    onProtoPoisoning: "ignore",
    onConstructorPoisoning: "ignore",
    // Errors raised before a route runs are problem+json like every other error.
    clientErrorHandler: sendClientError,
    frameworkErrors: (error, request, reply) => sendProblem(request, reply, toAppError(error, request)),
  }).withTypeProvider<ZodTypeProvider>();

  app.decorate("config", config);
  app.decorate("db", deps.db);
  app.decorate("secretBox", createSecretBox(loadEncryptionKey(config)));
  app.decorate("defer", createDefer(app));
  app.decorate("jobs", deps.jobs ?? jobsNotStarted);
  // The API speaks JSON only: other bodies answer 415 (this also keeps cross-site form posts out).
  app.removeContentTypeParser("text/plain");
  parseJsonStrictly(app);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(compileResponseSerializer);
  app.addHook("onRequest", async (request, reply) => {
    reply.header("x-request-id", request.id);
    // API answers are private to their caller: no browser or proxy may keep them.
    if (request.url.startsWith("/api/v1/")) reply.header("cache-control", "no-store");
  });

  const allowedMethods = trackAllowedMethods(app, routerOptions);
  await app.register(problemDetailsPlugin);
  await app.register(stalledBodiesPlugin);
  // First, so its timing covers every request (METRICS=true only).
  await app.register(metricsPlugin);
  await app.register(readRetryPlugin);
  await app.register(securityHeadersPlugin);
  await app.register(cookie);
  await app.register(crossOriginPlugin);
  await app.register(inputGuardPlugin);
  await app.register(openApiPlugin);
  await app.register(authenticationPlugin);
  await app.register(rateLimitPlugin);
  await app.register(idempotencyPlugin);
  await app.register(liveEventsPlugin);

  app.get("/healthz", { schema: { hide: true } }, async () => ({ status: "ok" }));
  app.get("/readyz", { schema: { hide: true } }, async (request, reply) => {
    try {
      await deps.db.execute(sql`select 1`);
      return { status: "ok", database: "ok" };
    } catch (error) {
      request.log.warn({ err: error }, "database not reachable");
      return reply.code(503).send({ status: "unavailable", database: "unreachable" });
    }
  });

  await app.register(
    async (api) => {
      await api.register(authRoutes);
      await api.register(accountRoutes);
      await api.register(twoFactorRoutes);
      await api.register(ssoRoutes);
      await api.register(mailRoutes);
      await api.register(sessionsRoutes);
      await api.register(signInsRoutes);
      await api.register(workspacesRoutes);
      await api.register(usersRoutes);
      await api.register(invitationsRoutes);
      await api.register(auditRoutes);
      await api.register(companiesRoutes);
      await api.register(contactsRoutes);
      await api.register(leadsRoutes);
      await api.register(pipelinesRoutes);
      await api.register(dealsRoutes);
      await api.register(activitiesRoutes);
      await api.register(tasksRoutes);
      await api.register(mergeRoutes);
      await api.register(savedViewsRoutes);
      await api.register(dashboardRoutes);
      await api.register(apiKeysRoutes);
      await api.register(jobsRoutes);
      await api.register(notificationsRoutes);
      await api.register(eventsRoutes);
      await api.register(webhooksRoutes);
      await api.register(importsRoutes);
      await api.register(exportsRoutes);
    },
    { prefix: "/api/v1" },
  );

  const sendWebApp = await registerWebApp(app);
  app.setNotFoundHandler((request, reply) => {
    // Any page outside the API is the web app's: its router shows the page or its own "not found".
    const isPage = !request.url.startsWith("/api/") && (request.method === "GET" || request.method === "HEAD");
    if (isPage) return sendWebApp(request, reply);
    const route = `${request.method} ${request.url.split("?")[0]}`;
    const allowed = allowedMethods(request.method, request.url);
    if (allowed.length === 0) return sendProblem(request, reply, new AppError("not-found", `No route ${route}.`));
    reply.header("allow", allowed.join(", "));
    const error = new AppError("method-not-allowed", `No route ${route}: it answers ${allowed.join(", ")}.`);
    return sendProblem(request, reply, error);
  });
  // The root is the app's too (the static files plugin would refuse to list the folder).
  app.get("/", { schema: { hide: true } }, sendWebApp);
  return app;
}
