import type { FastifyReply, FastifyRequest } from "fastify";
import { AppError } from "../lib/errors.ts";

/**
 * The version an `If-Match` header expects (`3`, `"3"` or `W/"3"`), or undefined without the
 * header. `*` matches any version.
 */
export function expectedVersion(request: FastifyRequest): number | undefined {
  const header = request.headers["if-match"];
  if (header === undefined || header === "*") return undefined;
  const match = typeof header === "string" ? /^(?:W\/)?"?(\d{1,9})"?$/.exec(header.trim()) : null;
  if (!match) {
    throw new AppError("validation", 'If-Match must be a record version such as "3".', [
      { path: "If-Match", message: "Must be a version number" },
    ]);
  }
  return Number(match[1]);
}

/** Sets the ETag of a versioned record, so clients can send it back as If-Match. */
export function withETag<T extends { version: number }>(reply: FastifyReply, record: T): T {
  reply.header("etag", `"${record.version}"`);
  return record;
}
