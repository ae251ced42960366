import type { FastifyInstance } from "fastify";
import { AppError } from "../lib/errors.ts";

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * A request body as text, refused (400) unless it is valid UTF-8. Node decodes a body with
 * replacement characters: `Bad\xffName` would be stored as "Bad�Name" and answered 201, the
 * caller never told that what they sent is not what was kept.
 */
export function utf8Text(body: Buffer): string {
  try {
    return utf8.decode(body);
  } catch {
    throw new AppError("validation", "The body is not valid UTF-8.");
  }
}

/**
 * JSON bodies through Fastify's own parser (the same handling of empty bodies and syntax errors,
 * prototype keys left to the input guard), after a strict UTF-8 decoding.
 */
export function parseJsonStrictly(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser("ignore", "ignore");
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "buffer" }, (request, body, done) => {
    let text: string;
    try {
      text = utf8Text(body as Buffer);
    } catch (error) {
      done(error as AppError, undefined);
      return;
    }
    void parseJson(request, text, done);
  });
}
