import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import type { RequestContext } from "../lib/context.ts";
import { AppError } from "../lib/errors.ts";
import { isUuid } from "../lib/ids.ts";
import { resolveSession, type Identity } from "../modules/auth/index.ts";

export const sessionCookieName = "keel_session";
/**
 * The name of a Secure session cookie. The `__Host-` prefix makes the browser refuse it unless it
 * is Secure, host-only and for path `/`: a sibling subdomain cannot plant or shadow it.
 */
export const secureSessionCookieName = "__Host-keel_session";

/** Whether the session cookie of this request's answer is Secure (the request came over HTTPS…). */
function isCookieSecure(request: FastifyRequest): boolean {
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
    /** The signed-in user, when the request carries a valid session cookie. */
    identity: Identity | null;
    sessionToken: string | null;
    requestContext: RequestContext | null;
  }
}

/** Resolves the session cookie of every API request into `request.identity`. */
export const authenticationPlugin = fp(async (app: FastifyInstance) => {
  app.decorateRequest("identity", null);
  app.decorateRequest("sessionToken", null);
  app.decorateRequest("requestContext", null);
  app.addHook("onRequest", async (request) => {
    if (!request.url.startsWith("/api/v1/")) return;
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

/**
 * The request's workspace context, or an error: 401 when not signed in, 404 for a workspace the
 * user does not belong to (its existence stays hidden), 403 when the user has no workspace at all.
 */
export function contextOf(request: FastifyRequest): RequestContext {
  if (request.requestContext) return request.requestContext;
  const identity = requireIdentity(request);
  const header = request.headers["x-workspace-id"];
  let workspaceId: string | null;
  if (header !== undefined) {
    if (typeof header !== "string" || !isUuid(header)) {
      throw new AppError("validation", "X-Workspace-Id must be a workspace id.", [
        { path: "X-Workspace-Id", message: "Must be a UUID" },
      ]);
    }
    // UUIDs are case-insensitive; the database answers them in lower case.
    workspaceId = header.toLowerCase();
  } else {
    workspaceId = identity.activeWorkspaceId ?? identity.workspaces[0]?.id ?? null;
  }
  const membership =
    identity.workspaces.find((w) => w.id === workspaceId) ?? (header ? undefined : identity.workspaces[0]);
  if (!membership) {
    if (header) throw new AppError("not-found", "No such workspace.");
    throw new AppError("forbidden", "You belong to no workspace yet: create one with POST /api/v1/workspaces.");
  }
  request.requestContext = {
    db: request.server.db,
    workspaceId: membership.id,
    actor: { kind: "user", userId: identity.userId, role: membership.role },
    requestId: request.id,
  };
  return request.requestContext;
}
