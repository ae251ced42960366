import cors from "@fastify/cors";
import type { FastifyInstance, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import { AppError } from "../lib/errors.ts";
import { bearerTokenOf } from "./authentication.ts";

const safeMethods = new Set(["GET", "HEAD", "OPTIONS"]);

/** The origin this request was addressed to, as a browser on it would send it. */
function ownOrigin(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

/**
 * Why a state-changing request must be refused as cross-site, or null when it may go on. A
 * browser names the page that sent a request in `Origin` (and, in modern browsers, how it relates
 * in `Sec-Fetch-Site`); a request with neither comes from a program, not from a page another site
 * could make the user's browser send with the user's cookie.
 */
export function crossOriginRefusal(
  request: Pick<FastifyRequest, "headers" | "protocol" | "host">,
  allowedOrigins: readonly string[],
): string | null {
  const origin = request.headers.origin;
  if (origin !== undefined) {
    if (origin === ownOrigin(request as FastifyRequest) || allowedOrigins.includes(origin)) return null;
    return `Requests from ${origin === "null" ? "an opaque origin" : origin} may not change data here.`;
  }
  const site = request.headers["sec-fetch-site"];
  if (site !== undefined && site !== "same-origin" && site !== "none") {
    return `A ${site} request may not change data here.`;
  }
  return null;
}

/**
 * Refuses (403) a POST, PUT, PATCH or DELETE under /api that a page of another origin made the
 * browser send: with the session cookie such a request would act as the user (CSRF), and without
 * it a sign-in could log the user into an attacker's account. Origins in CORS_ORIGINS are allowed.
 * Requests with an `Authorization: Bearer` header are exempt: they are authenticated by that API
 * key alone (authentication.ts ignores their cookie), which no other site can make a browser send.
 */
export const crossOriginPlugin = fp(async (app: FastifyInstance) => {
  const allowed = app.config.corsOrigins;
  // Pages of the configured origins may call the API with the user's cookie (CORS with credentials).
  if (allowed.length > 0) {
    await app.register(cors, {
      origin: [...allowed],
      credentials: true,
      maxAge: 600,
      // Every method the API has (the plugin's default is GET, HEAD and POST only).
      methods: ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"],
      // What a page reads of an answer beyond the basics: versions for If-Match, where a created
      // record is, rate limits, and whether an idempotent write was replayed.
      exposedHeaders: [
        "ETag",
        "Location",
        "Retry-After",
        "RateLimit-Limit",
        "RateLimit-Remaining",
        "RateLimit-Reset",
        "Idempotent-Replayed",
        "X-Request-Id",
        "Content-Disposition",
      ],
    });
  }
  app.addHook("onRequest", async (request) => {
    if (safeMethods.has(request.method) || !request.url.startsWith("/api/")) return;
    if (bearerTokenOf(request) !== null) return;
    const refusal = crossOriginRefusal(request, allowed);
    if (refusal) throw new AppError("forbidden", refusal);
  });
});
