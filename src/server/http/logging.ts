import type { Writable } from "node:stream";
import Fastify, { type FastifyBaseLogger, type FastifyReply, type FastifyRequest } from "fastify";
import { DrizzleQueryError } from "drizzle-orm/errors";
import type { Config } from "../config.ts";
import { findDatabaseError } from "../db/constraints.ts";

/**
 * What Keel logs about requests and errors. Logs leave the database's protection (they are shipped,
 * kept, read by operators), so they carry ids, status codes, SQLSTATEs, constraint names and
 * timings — never query parameters, request bodies, query strings, cookies or tokens, and never a
 * database error's message or detail, which quote the values that failed
 * (`Key (email)=(ann@example.com) already exists`).
 */

type LoggedError = { type: string; message: string; stack: string; [key: string]: unknown };

/** The stack without its first line, which repeats the message. */
function framesOf(error: Error): string {
  return (error.stack ?? "")
    .split("\n")
    .filter((line) => line.startsWith("    at "))
    .join("\n");
}

/** A loggable description of an error, free of the values it was about. */
export function describeError(error: unknown, depth = 0): LoggedError {
  if (!(error instanceof Error)) return { type: typeof error, message: "(not an Error)", stack: "" };
  const fromDatabase = findDatabaseError(error);
  if (fromDatabase) {
    const { code, constraint, table, column, routine, severity } = fromDatabase as Record<string, string | undefined>;
    // The message is withheld: PostgreSQL quotes the offending values in it.
    const message = `database error ${code ?? ""}`.trim();
    return {
      type: error.name,
      message,
      sqlState: code,
      constraint,
      table,
      column,
      routine,
      severity,
      stack: framesOf(error),
    };
  }
  const described: LoggedError = {
    type: error.name,
    // Drizzle's message quotes the failed statement's parameters; its cause says why it failed.
    message: error instanceof DrizzleQueryError ? "database query failed" : error.message,
    code: (error as NodeJS.ErrnoException).code,
    stack: framesOf(error),
  };
  if (error.cause !== undefined && depth < 3) described.cause = describeError(error.cause, depth + 1);
  return described;
}

/** The request as logged: method, path (no query string: it holds search terms and filter values), id. */
function describeRequest(request: Pick<FastifyRequest, "method" | "url" | "id">) {
  return { method: request.method, path: request.url.split("?")[0], id: request.id };
}

function describeReply(reply: Pick<FastifyReply, "statusCode">) {
  return { statusCode: reply.statusCode };
}

/** Fastify's logger options for a configuration; `stream` lets tests read what would be logged. */
export function loggerOptions(config: Config, stream?: Writable) {
  if (config.logLevel === "silent" && !stream) return false;
  return {
    level: config.logLevel === "silent" ? "info" : config.logLevel,
    serializers: { err: describeError, req: describeRequest, res: describeReply },
    ...(stream ? { stream } : {}),
  };
}

/**
 * A logger with the server's options, for work outside a request (background jobs, `keel worker`).
 * Fastify builds it, so it is the same pino logger, serializers and levels as the HTTP server's.
 */
export function createLogger(config: Config, stream?: Writable): FastifyBaseLogger {
  return Fastify({ logger: loggerOptions(config, stream) }).log;
}
