import type { FastifyInstance, RouteHandlerMethod } from "fastify";
import fp from "fastify-plugin";
import { isConnectionFailure } from "../db/connection-errors.ts";

/**
 * Runs a read (GET or HEAD) a second time when it failed on a lost database connection before
 * answering: a pooled connection the server had closed (a restart, a failover) fails on first
 * use, and the retry gets a fresh one. Only reads are retried: a write that failed may have
 * committed, and running it again could do it twice.
 */
export const readRetryPlugin = fp(async (app: FastifyInstance) => {
  app.addHook("onRoute", (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (!methods.every((method) => method === "GET" || method === "HEAD")) return;
    const handler = route.handler as RouteHandlerMethod;
    route.handler = async function retryingHandler(request, reply) {
      try {
        return await handler.call(this, request, reply);
      } catch (error) {
        if (reply.sent || !isConnectionFailure(error)) throw error;
        request.log.warn({ err: error }, "read failed on a lost database connection; retrying once");
        return handler.call(this, request, reply);
      }
    };
  });
});
