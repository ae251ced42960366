import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from "fastify-type-provider-zod";
import type { Problem } from "../../shared/schemas/problem.ts";
import { translateDatabaseError } from "../db/constraints.ts";
import { AppError, problemTypes, type ProblemType } from "../lib/errors.ts";

/** Renders an AppError as RFC 9457 problem+json. The only place errors become HTTP. */
export function sendProblem(request: FastifyRequest, reply: FastifyReply, error: AppError): FastifyReply {
  const body: Problem = {
    type: `/problems/${error.type}`,
    title: problemTypes[error.type].title,
    status: error.status,
    detail: error.message,
    instance: request.url.split("?")[0],
    requestId: request.id,
    ...(error.errors && error.errors.length > 0 ? { errors: error.errors } : {}),
  };
  return reply.code(error.status).type("application/problem+json").send(body);
}

const fastifyCodes: Record<string, ProblemType> = {
  FST_ERR_CTP_BODY_TOO_LARGE: "payload-too-large",
  FST_ERR_CTP_INVALID_MEDIA_TYPE: "unsupported-media-type",
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: "validation",
  FST_ERR_CTP_EMPTY_JSON_BODY: "validation",
  FST_ERR_CTP_INVALID_JSON_BODY: "validation",
  FST_ERR_VALIDATION: "validation",
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
  const fromDatabase = translateDatabaseError(error);
  if (fromDatabase) return fromDatabase;
  const fastifyError = error as FastifyError;
  const mapped = fastifyError.code ? fastifyCodes[fastifyError.code] : undefined;
  if (mapped) return new AppError(mapped, fastifyError.message);
  if (error instanceof SyntaxError && fastifyError.statusCode === 400) {
    return new AppError("validation", "The body is not valid JSON.");
  }
  if (fastifyError.statusCode === 413) return new AppError("payload-too-large");
  if (fastifyError.statusCode === 415) return new AppError("unsupported-media-type");
  if (fastifyError.statusCode && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    return new AppError("validation", fastifyError.message);
  }
  if (isResponseSerializationError(error))
    request.log.error({ err: error, cause: error.cause }, "response serialization failed");
  else request.log.error({ err: error }, "unexpected error");
  return new AppError("internal", "Something went wrong. The request id identifies it in the logs.");
}

/** Installs the error and not-found handlers for the whole app. */
export const problemDetailsPlugin = fp(async (app: FastifyInstance) => {
  app.setErrorHandler((error, request, reply) => sendProblem(request, reply, toAppError(error, request)));
});
