import { STATUS_CODES } from "node:http";
import type { Socket } from "node:net";
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from "fastify-type-provider-zod";
import type { Problem } from "../../shared/schemas/problem.ts";
import { isConnectionFailure } from "../db/connection-errors.ts";
import { translateDatabaseError } from "../db/constraints.ts";
import { AppError, problemTypes, type ProblemType } from "../lib/errors.ts";
import { auditDenial } from "./denial-audit.ts";

/** Seconds a client should wait before retrying a 503 (the database is restarting or unreachable). */
export const retryAfterSeconds = 2;

/** Renders an AppError as RFC 9457 problem+json. The only place errors become HTTP. */
export function sendProblem(request: FastifyRequest, reply: FastifyReply, error: AppError): FastifyReply {
  if (error.status === 503) reply.header("retry-after", String(retryAfterSeconds));
  return reply.code(error.status).type("application/problem+json").send(problemBody(error, request));
}

function problemBody(error: AppError, request: { url?: string | undefined; id?: string | undefined }): Problem {
  return {
    type: `/problems/${error.type}`,
    title: problemTypes[error.type].title,
    status: error.status,
    detail: error.message,
    instance: (request.url ?? "/").split("?")[0] ?? "/",
    ...(request.id ? { requestId: request.id } : {}),
    ...(error.errors && error.errors.length > 0 ? { errors: error.errors } : {}),
  };
}

const fastifyCodes: Record<string, ProblemType> = {
  FST_ERR_CTP_BODY_TOO_LARGE: "payload-too-large",
  FST_ERR_CTP_INVALID_MEDIA_TYPE: "unsupported-media-type",
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: "validation",
  FST_ERR_CTP_EMPTY_JSON_BODY: "validation",
  FST_ERR_CTP_INVALID_JSON_BODY: "validation",
  FST_ERR_VALIDATION: "validation",
  FST_ERR_BAD_URL: "validation",
  FST_ERR_MAX_PARAM_LENGTH: "uri-too-long",
};

/** Client errors raised by Fastify or its plugins, by status (a 403 stays a 403). */
const typesByStatus: Partial<Record<number, ProblemType>> = {
  401: "unauthenticated",
  403: "forbidden",
  404: "not-found",
  405: "method-not-allowed",
  408: "request-timeout",
  413: "payload-too-large",
  414: "uri-too-long",
  415: "unsupported-media-type",
  429: "rate-limited",
  431: "headers-too-large",
};

/** Turns anything thrown into an AppError; unknown failures become `internal` and are logged. */
export function toAppError(error: unknown, request: FastifyRequest): AppError {
  if (error instanceof AppError) return error;
  if (hasZodFastifySchemaValidationErrors(error)) {
    return new AppError(
      "validation",
      "Some fields are invalid.",
      error.validation.flatMap((issue) => {
        const path = issue.instancePath.replace(/^\//, "").replaceAll("/", ".");
        const keys = (issue.params as { keys?: unknown }).keys;
        if (issue.keyword === "unrecognized_keys" && Array.isArray(keys)) {
          return keys.map((key) => ({ path: path ? `${path}.${String(key)}` : String(key), message: "Unknown field" }));
        }
        return [{ path, message: issue.message ?? "Invalid value" }];
      }),
    );
  }
  if (isClientAbort(error, request)) {
    // The caller hung up while sending: nobody reads this answer, and nothing is wrong with the database.
    request.log.info("the client closed the request before sending its whole body");
    return new AppError("validation", "The client closed the request before sending its whole body.");
  }
  if (isConnectionFailure(error)) {
    request.log.warn({ err: error }, "database unavailable");
    return new AppError("unavailable", "The database is unavailable. Try again in a few seconds.");
  }
  const fromDatabase = translateDatabaseError(error);
  if (fromDatabase) return fromDatabase;
  const fastifyError = error as FastifyError;
  const mapped = fastifyError.code ? fastifyCodes[fastifyError.code] : undefined;
  if (mapped) return new AppError(mapped, fastifyError.message);
  if (error instanceof SyntaxError && fastifyError.statusCode === 400) {
    return new AppError("validation", "The body is not valid JSON.");
  }
  const status = fastifyError.statusCode;
  if (status && status >= 400 && status < 500) {
    return new AppError(typesByStatus[status] ?? "validation", fastifyError.message);
  }
  if (isResponseSerializationError(error)) request.log.error({ err: error }, "response serialization failed");
  else request.log.error({ err: error }, "unexpected error");
  return new AppError("internal", "Something went wrong. The request id identifies it in the logs.");
}

/**
 * Node's error for a request body cut short by its client (`aborted`, ECONNRESET): the same code a
 * database connection reset has, so told apart by its message and the request's own stream.
 */
function isClientAbort(error: unknown, request: FastifyRequest): boolean {
  const { code, message } = error as NodeJS.ErrnoException;
  return code === "ECONNRESET" && (message === "aborted" || request.raw.readableAborted);
}

/**
 * Answers the errors Node's HTTP parser raises before Fastify sees a request (headers too large,
 * a malformed request line, a client too slow) as problem+json, then closes the connection.
 */
export function sendClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === "ECONNRESET" || socket.destroyed) return;
  const type: ProblemType =
    error.code === "HPE_HEADER_OVERFLOW"
      ? "headers-too-large"
      : error.code === "ERR_HTTP_REQUEST_TIMEOUT"
        ? "request-timeout"
        : "validation";
  const detail = type === "validation" ? "The request is not valid HTTP." : problemTypes[type].title;
  const body = JSON.stringify(problemBody(new AppError(type, detail), {}));
  if (socket.writable) {
    const status = problemTypes[type].status;
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/problem+json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

/** Installs the error handler for the whole app. */
export const problemDetailsPlugin = fp(async (app: FastifyInstance) => {
  app.setErrorHandler(async (error, request, reply) => {
    const problem = toAppError(error, request);
    if (problem.type === "forbidden") await auditDenial(request, problem);
    return sendProblem(request, reply, problem);
  });
});
