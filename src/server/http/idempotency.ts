import { createHash } from "node:crypto";
import { and, eq, lt, sql } from "drizzle-orm";
import type { FastifyInstance, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import { withWorkspaceTransaction } from "../db/transaction.ts";
import { AppError } from "../lib/errors.ts";
import { idempotencyKeys } from "../modules/idempotency/idempotency.table.ts";
import { contextOf } from "./authentication.ts";

const replayWindowMs = 24 * 3_600_000;
const keyPattern = /^[\x21-\x7e]{1,255}$/;

declare module "fastify" {
  interface FastifyRequest {
    idempotency: { workspaceId: string; actorId: string; key: string } | null;
  }
}

/**
 * `Idempotency-Key` on POST, PATCH and DELETE: the first answer (success or 4xx) is stored and
 * replayed for 24 hours to the same actor; the same key with another request answers 422, and a
 * retry while the first is still running answers 409. A 5xx is not stored, so the client can retry.
 */
export const idempotencyPlugin = fp(async (app: FastifyInstance) => {
  app.decorateRequest("idempotency", null);

  app.addHook("preHandler", async (request, reply) => {
    const key = request.headers["idempotency-key"];
    if (key === undefined || !["POST", "PATCH", "DELETE"].includes(request.method) || !request.identity) return;
    if (typeof key !== "string" || !keyPattern.test(key)) {
      throw new AppError("validation", "Idempotency-Key must be 1–255 printable characters.", [
        { path: "Idempotency-Key", message: "Invalid key" },
      ]);
    }
    // Keys are kept per workspace: a caller of none yet (creating their first) has nowhere to keep
    // one, so their request runs unguarded rather than failing with 403.
    if (request.identity.workspaces.length === 0 && request.headers["x-workspace-id"] === undefined) return;
    const ctx = contextOf(request);
    const scope = { workspaceId: ctx.workspaceId, actorId: ctx.actor.userId, key };
    const requestHash = hashRequest(request);
    const stored = await withWorkspaceTransaction(ctx.db, ctx.workspaceId, async (tx) => {
      await tx
        .delete(idempotencyKeys)
        .where(
          and(
            eq(idempotencyKeys.workspaceId, ctx.workspaceId),
            eq(idempotencyKeys.actorId, ctx.actor.userId),
            eq(idempotencyKeys.key, key),
            lt(idempotencyKeys.createdAt, new Date(Date.now() - replayWindowMs)),
          ),
        );
      const inserted = await tx
        .insert(idempotencyKeys)
        .values({ ...scope, method: request.method, path: request.url, requestHash })
        .onConflictDoNothing()
        .returning({ key: idempotencyKeys.key });
      if (inserted.length > 0) return null;
      const [existing] = await tx
        .select()
        .from(idempotencyKeys)
        .where(
          and(
            eq(idempotencyKeys.workspaceId, ctx.workspaceId),
            eq(idempotencyKeys.actorId, ctx.actor.userId),
            eq(idempotencyKeys.key, key),
          ),
        );
      return existing ?? null;
    });
    if (!stored) {
      request.idempotency = scope;
      return;
    }
    if (stored.requestHash !== requestHash) {
      throw new AppError("rule-violation", "This Idempotency-Key was already used for a different request.", [
        { path: "Idempotency-Key", message: "Reused with another request" },
      ]);
    }
    if (stored.statusCode === null) {
      throw new AppError("conflict", "A request with this Idempotency-Key is still being processed.");
    }
    reply.header("idempotent-replayed", "true");
    if (stored.location) reply.header("location", stored.location);
    const isProblem = stored.statusCode >= 400;
    reply.code(stored.statusCode).type(isProblem ? "application/problem+json" : "application/json");
    return reply.send(stored.statusCode === 204 ? undefined : JSON.stringify(stored.responseBody));
  });

  app.addHook("onSend", async (request, reply, payload) => {
    const scope = request.idempotency;
    if (!scope) return payload;
    request.idempotency = null;
    const where = and(
      eq(idempotencyKeys.workspaceId, scope.workspaceId),
      eq(idempotencyKeys.actorId, scope.actorId),
      eq(idempotencyKeys.key, scope.key),
    );
    try {
      await withWorkspaceTransaction(app.db, scope.workspaceId, async (tx) => {
        if (reply.statusCode >= 500) {
          await tx.delete(idempotencyKeys).where(where);
          return;
        }
        const body = typeof payload === "string" && payload.length > 0 ? (JSON.parse(payload) as unknown) : null;
        const location = reply.getHeader("location");
        await tx
          .update(idempotencyKeys)
          .set({
            statusCode: reply.statusCode,
            responseBody: body === null ? sql`null` : body,
            location: typeof location === "string" ? location : null,
          })
          .where(where);
      });
    } catch (error) {
      request.log.error({ err: error }, "could not store the idempotent response");
    }
    return payload;
  });
});

function hashRequest(request: FastifyRequest): string {
  return createHash("sha256")
    .update(`${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`)
    .digest("hex");
}
