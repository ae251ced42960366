import type { FieldError } from "../../shared/schemas/problem.ts";

/** The one table of error types: slug → HTTP status and title. */
export const problemTypes = {
  validation: { status: 400, title: "Invalid request" },
  unauthenticated: { status: 401, title: "Not signed in" },
  forbidden: { status: 403, title: "Not allowed" },
  "not-found": { status: 404, title: "Not found" },
  "method-not-allowed": { status: 405, title: "Method not allowed" },
  "request-timeout": { status: 408, title: "Request timeout" },
  duplicate: { status: 409, title: "Duplicate record" },
  conflict: { status: 409, title: "Conflict" },
  "stale-version": { status: 412, title: "Stale version" },
  "payload-too-large": { status: 413, title: "Payload too large" },
  "uri-too-long": { status: 414, title: "URI too long" },
  "unsupported-media-type": { status: 415, title: "Unsupported media type" },
  "rule-violation": { status: 422, title: "Rule violation" },
  "rate-limited": { status: 429, title: "Too many requests" },
  "headers-too-large": { status: 431, title: "Request header fields too large" },
  internal: { status: 500, title: "Internal error" },
  unavailable: { status: 503, title: "Service unavailable" },
} as const;

export type ProblemType = keyof typeof problemTypes;

/** An expected failure with a stable type; rendered as problem+json by the HTTP layer. */
export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly type: ProblemType,
    detail?: string,
    readonly errors?: FieldError[],
  ) {
    super(detail ?? problemTypes[type].title);
    this.status = problemTypes[type].status;
  }
}

/** Shorthand for the common "no such record in this workspace" answer. */
export function notFound(resource: string): AppError {
  return new AppError("not-found", `No such ${resource}.`);
}

/** Shorthand for a single-field validation failure raised by a service. */
export function invalidField(path: string, message: string): AppError {
  return new AppError("validation", message, [{ path, message }]);
}
