import { Socket } from "node:net";
import type { FastifyInstance, FastifyRequest } from "fastify";
import fp from "fastify-plugin";

/**
 * Closes the connection of a request whose body stops arriving: nothing received for
 * `idleTimeoutMs` while the body is still expected. Node bounds how long headers may take (60 s)
 * but not a body, and Fastify sets no timeout: a client could open requests, send a byte of each
 * body, and hold their sockets for ever. Only while the body comes in: a request whose handler
 * works for minutes (a synchronous export of a large list) or streams an answer slowly is not cut. A
 * multipart upload is read by its handler, so its timer runs until the answer starts.
 */
export const stalledBodiesPlugin = fp(async (app: FastifyInstance) => {
  const idleMs = app.config.idleTimeoutMs;
  app.addHook("onRequest", async (request) => {
    // Node's HTTP server destroys a socket whose timeout fires while nobody listens for it.
    if (hasBody(request)) socketOf(request)?.setTimeout(idleMs);
  });
  const stopWatching = async (request: FastifyRequest) => {
    if (hasBody(request)) socketOf(request)?.setTimeout(0);
  };
  app.addHook("preHandler", async (request) => {
    if (!isMultipart(request)) await stopWatching(request);
  });
  app.addHook("onSend", async (request) => {
    await stopWatching(request);
  });
});

/** The request's TCP socket; none for a request injected in tests, which has a stand-in. */
function socketOf(request: FastifyRequest): Socket | null {
  const { socket } = request.raw;
  return socket instanceof Socket ? socket : null;
}

function hasBody(request: FastifyRequest): boolean {
  const { headers } = request.raw;
  return headers["transfer-encoding"] !== undefined || Number(headers["content-length"] ?? 0) > 0;
}

function isMultipart(request: FastifyRequest): boolean {
  return (request.headers["content-type"] ?? "").toLowerCase().startsWith("multipart/");
}
