import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { contextOf, requireIdentity } from "../../http/authentication.ts";
import { describeError } from "../../http/logging.ts";
import { withWorkspaceTransaction } from "../../db/transaction.ts";
import { readerOf } from "../../lib/access.ts";
import { AppError } from "../../lib/errors.ts";
import { sessionRoleIn } from "../auth/index.ts";
import { messageOf, type Viewer } from "./events.access.ts";
import { LiveEventHub, type Listener } from "./events.hub.ts";
import type { LiveEvent } from "./events.poller.ts";

declare module "fastify" {
  interface FastifyInstance {
    /** The live events of this process: one outbox reader for every open stream. */
    liveEvents: LiveEventHub;
  }
}

/** The live event hub of the app; closing the app ends every stream first (preClose), so closing does not wait on them. */
export const liveEventsPlugin = fp(async (app: FastifyInstance) => {
  const hub = new LiveEventHub(app.db, app.log);
  app.decorate("liveEvents", hub);
  app.addHook("preClose", async () => hub.close());
});

/** A Last-Event-ID as this server writes them (an outbox seq); anything else is ignored. */
function lastEventIdOf(request: FastifyRequest): number | null {
  const header = request.headers["last-event-id"];
  return typeof header === "string" && /^\d{1,15}$/.test(header) ? Number(header) : null;
}

/** One SSE message: `id` the outbox seq, `event` the type, `data` what a page needs to refetch. */
function messageText(event: LiveEvent): string {
  return `id: ${event.seq}\nevent: ${event.type}\ndata: ${JSON.stringify(messageOf(event))}\n\n`;
}

/**
 * GET /events/stream: the signed-in member's live events (server-sent events). Hidden from the
 * OpenAPI document: a stream is no request and answer (docs/api.md describes it).
 */
export const eventsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get("/events/stream", { schema: { hide: true } }, async (request, reply) => {
    const ctx = contextOf(request);
    if (ctx.actor.kind !== "user") throw new AppError("forbidden", "API keys cannot follow the live stream.");
    const identity = requireIdentity(request);
    const reader = await withWorkspaceTransaction(app.db, ctx.workspaceId, (tx) => readerOf(tx, ctx));
    const viewer: Viewer = { userId: identity.userId, workspaceId: ctx.workspaceId, role: ctx.actor.role, reader };
    const release = app.liveEvents.reserve(viewer.userId);
    try {
      await app.liveEvents.ready();
    } catch (error) {
      release();
      throw error;
    }
    openStream(app, request, reply, viewer, { sessionId: identity.sessionId, release });
  });
};

/**
 * Takes over the connection and streams: first what the client missed since its Last-Event-ID (or
 * `reset`: refetch everything), then live events as they come, a heartbeat comment every
 * `heartbeatMs`, until the client leaves, its session or membership ends (checked every
 * `sessionCheckMs`), it stops reading, or the app closes.
 */
function openStream(
  app: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
  viewer: Viewer,
  stream: { sessionId: string; release: () => void },
): void {
  const hub = app.liveEvents;
  const { options } = hub;
  reply.hijack();
  const res = reply.raw;
  // The hooks' headers (security headers, request id) go out too; nothing may buffer or transform the stream.
  const hookHeaders = Object.entries(reply.getHeaders()).filter(
    (entry): entry is [string, string | number | string[]] => entry[1] !== undefined,
  );
  res.writeHead(200, {
    ...Object.fromEntries(hookHeaders),
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-store, no-transform",
    "x-accel-buffering": "no",
    connection: "keep-alive",
  });
  request.raw.socket.setNoDelay(true);

  let isEnded = false;
  const timers: NodeJS.Timeout[] = [];
  const write = (text: string) => {
    if (isEnded) return;
    res.write(text);
    // A client that does not read is ended rather than buffered for without limit; it reconnects.
    if (res.writableLength > options.maxBufferedBytes) end();
  };
  const listener: Listener = { ...viewer, send: (event) => write(messageText(event)), end: () => end() };
  const attached = hub.attach(listener, lastEventIdOf(request));
  function end(): void {
    if (isEnded) return;
    isEnded = true;
    for (const timer of timers) clearInterval(timer);
    attached.detach();
    stream.release();
    res.end();
  }
  res.on("close", end);
  // A client gone mid-write: the stream just ends.
  res.on("error", end);

  write(`retry: ${options.retryMs}\n\n`);
  if (attached.missed === "reset") {
    write(`id: ${attached.position}\nevent: reset\ndata: {}\n\n`);
  } else {
    for (const event of attached.missed) write(messageText(event));
    // An id alone moves the client's Last-Event-ID here, so a reconnect misses nothing from now on.
    write(`id: ${attached.position}\n\n`);
  }

  timers.push(setInterval(() => write(": heartbeat\n\n"), options.heartbeatMs));
  let isChecking = false;
  timers.push(
    setInterval(() => {
      if (isChecking) return;
      isChecking = true;
      sessionRoleIn(app.db, stream.sessionId, viewer.workspaceId, app.config.sessionIdleHours)
        .then((role) => {
          if (role === null) end();
          else listener.role = role;
        })
        // The database away: the stream stays, and is checked again next time.
        .catch((error: unknown) => request.log.warn({ err: describeError(error) }, "live stream session check failed"))
        .finally(() => {
          isChecking = false;
        });
    }, options.sessionCheckMs),
  );
}
