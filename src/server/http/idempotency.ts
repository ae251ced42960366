import { createHash } from "node:crypto";
import { and, eq, lt, sql } from "drizzle-orm";
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteHandlerMethod } from "fastify";
import fp from "fastify-plugin";
import type { Transaction } from "../db/client.ts";
import { withSharedTransaction, withWorkspaceTransaction } from "../db/transaction.ts";
import { AppError } from "../lib/errors.ts";
import { idempotencyKeys } from "../modules/idempotency/idempotency.table.ts";
import { contextOf } from "./authentication.ts";
import { toAppError } from "./problem-details.ts";

const replayWindowMs = 24 * 3_600_000;
const keyPattern = /^[\x21-\x7e]{1,255}$/;
const guardedMethods = new Set(["POST", "PATCH", "DELETE"]);
/**
 * Account routes act on the caller, not on a workspace's data: keys are kept per workspace. API
 * keys are left out too: a replay would have to store the secret key of a creation's answer.
 * Background jobs are pg-boss's rows, written on its own connection: never inside the workspace
 * transaction a keyed write runs in (on the embedded database that would wait for itself).
 * Webhooks are left out for both reasons: creation and rotation answer a secret, and a test or a
 * retry enqueues its attempt's job.
 */
const accountRoutes = /^\/api\/v1\/(auth|me|workspaces|api-keys|jobs|webhooks|webhook-deliveries)(\/|$)/;

type Scope = { workspaceId: string; actorId: string; key: string };
type Answer = {
  statusCode: number;
  body: string | null;
  location: string | null;
  etag: string | null;
  replayed?: boolean;
};
type StoredRow = typeof idempotencyKeys.$inferSelect;

declare module "fastify" {
  interface FastifyRequest {
    /** Set when a keyed write was refused (4xx): its answer is kept by onSend for replays. */
    idempotency: { scope: Scope; requestHash: string } | null;
  }
}

/**
 * `Idempotency-Key` on the POST, PATCH and DELETE routes of workspace data. The key, the write and
 * the answer commit in one transaction: a write that committed is always replayed (for 24 hours,
 * to the same actor: the same user, or the same API key), even when its answer never reached the client, and a write that failed left
 * no key behind, so it can be retried. A second request with the same key waits for the first and
 * then replays its answer; the same key with another request answers 422. A refusal (4xx) is
 * kept and replayed too; a 5xx is not, so the client can retry.
 */
export const idempotencyPlugin = fp(async (app: FastifyInstance) => {
  app.decorateRequest("idempotency", null);

  app.addHook("onRoute", (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (!methods.some((method) => guardedMethods.has(method)) || accountRoutes.test(route.url)) return;
    const handler = route.handler as RouteHandlerMethod;
    route.handler = async function idempotentHandler(request, reply) {
      const key = keyOf(request);
      if (key === null) return handler.call(this, request, reply);
      return runOnce(request, reply, key, () => handler.call(this, request, reply));
    };
  });

  // Keeps a refusal's answer: its transaction rolled back, so the key is written on its own.
  app.addHook("onSend", async (request, reply, payload) => {
    const refused = request.idempotency;
    if (!refused || reply.statusCode >= 500 || reply.statusCode < 400) return payload;
    request.idempotency = null;
    try {
      await withWorkspaceTransaction(app.db, refused.scope.workspaceId, (tx) =>
        storeAnswer(
          tx,
          refused.scope,
          request,
          refused.requestHash,
          {
            statusCode: reply.statusCode,
            body: typeof payload === "string" ? payload : null,
            location: null,
            etag: null,
          },
          // A request with the same key may have gone ahead and succeeded since: its answer stands.
          "keep",
        ),
      );
    } catch (error) {
      request.log.warn({ err: error }, "could not keep the refusal of an idempotent request");
    }
    return payload;
  });
});

/** The request's Idempotency-Key, null when it has none, or a 400 when it is malformed. */
function keyOf(request: FastifyRequest): string | null {
  const key = request.headers["idempotency-key"];
  if (key === undefined || (!request.identity && !request.apiKey)) return null;
  if (typeof key !== "string" || !keyPattern.test(key)) {
    throw new AppError("validation", "Idempotency-Key must be 1–255 printable characters.", [
      { path: "Idempotency-Key", message: "Invalid key" },
    ]);
  }
  return key;
}

async function runOnce(
  request: FastifyRequest,
  reply: FastifyReply,
  key: string,
  handle: () => unknown,
): Promise<unknown> {
  const ctx = contextOf(request);
  // Two keys of one admin act on the admin's behalf, but never share replays.
  const actorId = ctx.actor.kind === "apiKey" ? ctx.actor.keyId : ctx.actor.userId;
  const scope: Scope = { workspaceId: ctx.workspaceId, actorId, key };
  const requestHash = hashRequest(request);
  let answer: Answer;
  let handled = false;
  try {
    answer = await withSharedTransaction(ctx, async (shared, tx) => {
      const earlier = await claimKey(tx, scope, request, requestHash);
      if (earlier) return replayable(earlier, requestHash);
      // Every use case the handler calls joins this transaction (see withSharedTransaction).
      request.requestContext = shared;
      handled = true;
      const fresh = await answerOf(reply, handle);
      await storeAnswer(tx, scope, request, requestHash, fresh, "replace");
      return fresh;
    });
  } catch (error) {
    request.requestContext = ctx;
    // Only the handler's own refusals are kept: not a key reused with another request.
    if (handled && toAppError(error, request).status < 500) request.idempotency = { scope, requestHash };
    throw error;
  }
  request.requestContext = ctx;
  return send(reply, answer);
}

/**
 * Inserts the key, or returns the row another request stored under it. A request that holds the
 * same key uncommitted makes the insert wait for its end: then its row is there (replay), or it
 * rolled back and this request goes ahead.
 */
async function claimKey(
  tx: Transaction,
  scope: Scope,
  request: FastifyRequest,
  requestHash: string,
): Promise<StoredRow | null> {
  const where = and(
    eq(idempotencyKeys.workspaceId, scope.workspaceId),
    eq(idempotencyKeys.actorId, scope.actorId),
    eq(idempotencyKeys.key, scope.key),
  );
  await tx
    .delete(idempotencyKeys)
    .where(and(where, lt(idempotencyKeys.createdAt, new Date(Date.now() - replayWindowMs))));
  const inserted = await tx
    .insert(idempotencyKeys)
    .values({ ...scope, method: request.method, path: request.url, requestHash })
    .onConflictDoNothing()
    .returning({ key: idempotencyKeys.key });
  if (inserted.length > 0) return null;
  const [earlier] = await tx.select().from(idempotencyKeys).where(where);
  return earlier ?? null;
}

/** What a captured `reply.send` returns (see answerOf). */
const sendStandIn = Object.freeze({});

function replayable(earlier: StoredRow, requestHash: string): Answer {
  if (earlier.requestHash !== requestHash) {
    throw new AppError("rule-violation", "This Idempotency-Key was already used for a different request.", [
      { path: "Idempotency-Key", message: "Reused with another request" },
    ]);
  }
  // Only rows of an earlier version of Keel can be half-written (the answer stored apart).
  if (earlier.statusCode === null) {
    throw new AppError("conflict", "A request with this Idempotency-Key is still being processed.");
  }
  return {
    statusCode: earlier.statusCode,
    body: earlier.responseBody === null ? null : JSON.stringify(earlier.responseBody),
    location: earlier.location,
    etag: earlier.etag,
    replayed: true,
  };
}

/**
 * Runs the handler and returns its answer, serialized as the route's response schema would, without
 * sending it: the client must not hear of a write before it commits.
 */
async function answerOf(reply: FastifyReply, handle: () => unknown): Promise<Answer> {
  let sent: { payload: unknown } | null = null;
  // `send` answers a stand-in, not the reply: a handler's `return reply.send(x)` would otherwise
  // hand back the reply, a thenable that settles only once the answer is sent — which waits for us.
  const capture = (payload?: unknown) => {
    sent = { payload };
    return sendStandIn;
  };
  Object.defineProperty(reply, "send", { value: capture, configurable: true, writable: true });
  let returned: unknown;
  try {
    returned = await handle();
  } finally {
    delete (reply as { send?: unknown }).send;
  }
  const payload = sent !== null ? (sent as { payload: unknown }).payload : returned;
  const location = reply.getHeader("location");
  const etag = reply.getHeader("etag");
  return {
    statusCode: reply.statusCode,
    body: payload === undefined || payload === null ? null : String(reply.serialize(payload)),
    location: typeof location === "string" ? location : null,
    etag: typeof etag === "string" ? etag : null,
  };
}

async function storeAnswer(
  tx: Transaction,
  scope: Scope,
  request: FastifyRequest,
  requestHash: string,
  answer: Answer,
  onExisting: "replace" | "keep",
): Promise<void> {
  const values = {
    statusCode: answer.statusCode,
    responseBody: answer.body === null ? sql`null` : (JSON.parse(answer.body) as unknown),
    location: answer.location,
    etag: answer.etag,
  };
  const insert = tx
    .insert(idempotencyKeys)
    .values({ ...scope, method: request.method, path: request.url, requestHash, ...values });
  if (onExisting === "keep") await insert.onConflictDoNothing();
  else {
    await insert.onConflictDoUpdate({
      target: [idempotencyKeys.workspaceId, idempotencyKeys.actorId, idempotencyKeys.key],
      set: values,
    });
  }
}

function send(reply: FastifyReply, answer: Answer): FastifyReply {
  reply.code(answer.statusCode);
  if (answer.replayed) reply.header("idempotent-replayed", "true");
  if (answer.location) reply.header("location", answer.location);
  if (answer.etag) reply.header("etag", answer.etag);
  if (answer.body === null) return reply.send();
  const isProblem = answer.statusCode >= 400;
  return reply.type(isProblem ? "application/problem+json" : "application/json; charset=utf-8").send(answer.body);
}

function hashRequest(request: FastifyRequest): string {
  return createHash("sha256")
    .update(`${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`)
    .digest("hex");
}
