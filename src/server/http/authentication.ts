import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import type { Actor, RequestContext } from "../lib/context.ts";
import { AppError } from "../lib/errors.ts";
import { isUuid } from "../lib/ids.ts";
import { resolveApiKey, type ApiKeyIdentity } from "../modules/api-keys/index.ts";
import { resolveSession, type Identity } from "../modules/auth/index.ts";
import { assertKeyMayCall } from "./api-key-scopes.ts";

export const sessionCookieName = "keel_session";
/**
 * The name of a Secure session cookie. The `__Host-` prefix makes the browser refuse it unless it
 * is Secure, host-only and for path `/`: a sibling subdomain cannot plant or shadow it.
 */
export const secureSessionCookieName = "__Host-keel_session";

/**
 * Whether the cookies of this request's answer are Secure (and take their `__Host-` or `__Secure-`
 * names): always or never as COOKIE_SECURE says, else when the request came over HTTPS.
 */
export function isCookieSecure(request: FastifyRequest): boolean {
  const setting = request.server.config.cookieSecure;
  return setting === "when-https" ? request.protocol === "https" : setting;
}

/** Sets the session cookie: httpOnly, SameSite=Lax, Secure (and `__Host-`) where it can be. */
export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string, expires: Date): void {
  const secure = isCookieSecure(request);
  reply.setCookie(secure ? secureSessionCookieName : sessionCookieName, token, {
    path: "/",
    httpOnly: true,
    sameSite: "lax",
    secure,
    expires,
  });
}

/** Clears the session cookie under both of its names. */
export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  reply.clearCookie(sessionCookieName, { path: "/", httpOnly: true, sameSite: "lax" });
  if (request.cookies[secureSessionCookieName] !== undefined) {
    reply.clearCookie(secureSessionCookieName, { path: "/", httpOnly: true, sameSite: "lax", secure: true });
  }
}

declare module "fastify" {
  interface FastifyRequest {
    /** The signed-in user, when the request carries a valid session cookie (and no API key). */
    identity: Identity | null;
    sessionToken: string | null;
    /** The API key of an `Authorization: Bearer` request; such a request has no identity. */
    apiKey: ApiKeyIdentity | null;
    requestContext: RequestContext | null;
  }
}

/** One answer for every key that does not authenticate: it tells nobody which keys exist. */
const invalidKeyDetail = "The API key is not valid.";

/**
 * The token of an `Authorization: Bearer …` header ("" when the header names no token), or null
 * when the request has no Bearer header. Other schemes (a proxy's Basic credentials) are not Keel's.
 */
export function bearerTokenOf(request: Pick<FastifyRequest, "headers">): string | null {
  const header = request.headers.authorization;
  if (typeof header !== "string") return null;
  const match = /^bearer(?:\s+(.*))?$/is.exec(header.trim());
  return match ? (match[1] ?? "").trim() : null;
}

/**
 * Authenticates every API request: an `Authorization: Bearer` key (into `request.apiKey`, checked
 * against the route by api-key-scopes.ts before anything else runs), else the session cookie (into
 * `request.identity`). A request with a key is the key's alone: a cookie sent along is ignored.
 */
export const authenticationPlugin = fp(async (app: FastifyInstance) => {
  app.decorateRequest("identity", null);
  app.decorateRequest("sessionToken", null);
  app.decorateRequest("apiKey", null);
  app.decorateRequest("requestContext", null);
  app.addHook("onRequest", async (request, reply) => {
    if (!request.url.startsWith("/api/v1/")) return;
    const bearer = bearerTokenOf(request);
    if (bearer !== null) {
      const key = await resolveApiKey(app.db, bearer, request.ip);
      if (!key) {
        reply.header("www-authenticate", 'Bearer error="invalid_token"');
        throw new AppError("unauthenticated", invalidKeyDetail);
      }
      request.apiKey = key;
      assertKeyMayCall(request, key);
      return;
    }
    // Where cookies are Secure only the `__Host-` one counts: a plain `keel_session`, which a
    // sibling subdomain or a plain-HTTP page could have planted, is ignored.
    const token = request.cookies[isCookieSecure(request) ? secureSessionCookieName : sessionCookieName];
    if (!token || token.length > 100) return;
    request.sessionToken = token;
    request.identity = await resolveSession(app.db, token, app.config.sessionIdleHours);
  });
});

/** The signed-in user, or 401. */
export function requireIdentity(request: FastifyRequest): Identity {
  if (!request.identity) throw new AppError("unauthenticated", "Sign in first.");
  return request.identity;
}

/** The workspace X-Workspace-Id names, or null without the header; 400 when it is no UUID. */
function workspaceHeaderOf(request: FastifyRequest): string | null {
  const header = request.headers["x-workspace-id"];
  if (header === undefined) return null;
  if (typeof header !== "string" || !isUuid(header)) {
    throw new AppError("validation", "X-Workspace-Id must be a workspace id.", [
      { path: "X-Workspace-Id", message: "Must be a UUID" },
    ]);
  }
  // UUIDs are case-insensitive; the database answers them in lower case.
  return header.toLowerCase();
}

/**
 * The request's workspace context, or an error: 401 when not signed in, 404 for a workspace the
 * caller does not belong to (its existence stays hidden), 403 when the user has no workspace at
 * all. The one place that decides who acts: a user with their role in the workspace, or an API
 * key, in its own workspace only, acting as an admin on behalf of the admin who created it.
 */
export function contextOf(request: FastifyRequest): RequestContext {
  if (request.requestContext) return request.requestContext;
  const { workspaceId, actor } = request.apiKey ? keyActorOf(request, request.apiKey) : userActorOf(request);
  const client = { ipAddress: request.ip, userAgent: request.headers["user-agent"]?.slice(0, 500) ?? null };
  request.requestContext = { db: request.server.db, workspaceId, actor, requestId: request.id, client };
  return request.requestContext;
}

function keyActorOf(request: FastifyRequest, key: ApiKeyIdentity): { workspaceId: string; actor: Actor } {
  const named = workspaceHeaderOf(request);
  if (named !== null && named !== key.workspaceId) throw new AppError("not-found", "No such workspace.");
  return {
    workspaceId: key.workspaceId,
    actor: { kind: "apiKey", keyId: key.id, userId: key.createdBy, role: "admin", scopes: key.scopes },
  };
}

function userActorOf(request: FastifyRequest): { workspaceId: string; actor: Actor } {
  const identity = requireIdentity(request);
  const named = workspaceHeaderOf(request);
  const workspaceId = named ?? identity.activeWorkspaceId ?? identity.workspaces[0]?.id ?? null;
  const membership =
    identity.workspaces.find((w) => w.id === workspaceId) ?? (named !== null ? undefined : identity.workspaces[0]);
  if (!membership) {
    if (named !== null) throw new AppError("not-found", "No such workspace.");
    throw new AppError("forbidden", "You belong to no workspace yet: create one with POST /api/v1/workspaces.");
  }
  return { workspaceId: membership.id, actor: { kind: "user", userId: identity.userId, role: membership.role } };
}
