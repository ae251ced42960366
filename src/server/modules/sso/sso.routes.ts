import type { FastifyReply } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  SaveSsoSettingsSchema,
  SsoCallbackQuerySchema,
  SsoLinksSchema,
  SsoSettingsSchema,
  SsoSlugParamsSchema,
  SsoStartQuerySchema,
  type SsoErrorCode,
} from "../../../shared/schemas/sso.ts";
import { ProblemSchema } from "../../../shared/schemas/problem.ts";
import { publicBaseUrl } from "../../http/after-response.ts";
import { contextOf, isCookieSecure } from "../../http/authentication.ts";
import { problemResponses, readProblems } from "../../http/record-routes.ts";
import { completeSignIn } from "../auth/sign-in-completion.ts";
import { ssoOutboundRules } from "./sso.issuer.ts";
import { deleteSsoSettings, getSsoLinks, getSsoSettings, saveSsoSettings } from "./sso.service.ts";
import { SsoSignInError, finishSsoSignIn, loginStateLifetimeMs, startSsoSignIn } from "./sso.sign-in.ts";

const tags = ["Auth"];
/** For people only: API keys cannot read or change single sign-on (authentication refuses them). */
const security = [{ session: [] }];

/** The cookie that ties a started sign-in to the browser that started it (its value is the state). */
const stateCookie = "keel_sso_state";
/** Over HTTPS: the prefix makes browsers refuse the cookie from plain-HTTP pages. */
const secureStateCookie = "__Secure-keel_sso_state";
const stateCookiePath = "/api/v1/auth/oidc/";

/**
 * The browser's routes answer redirects only, and OpenAPI linters want a success or a default
 * answer: the default is any other failure, as problem+json.
 */
const otherProblems = ProblemSchema.meta({ "x-response-description": "Any other failure, as problem+json" });

/** The sign-in page, telling why single sign-on failed (a short code, never a detail or a token). */
const signInPageWith = (code: SsoErrorCode) => `/sign-in?sso_error=${code}`;

/** /sso (the workspace's settings, for admins) and /auth/oidc/:workspaceSlug (the browser's sign-in). */
export const ssoRoutes: FastifyPluginAsyncZod = async (app) => {
  const outbound = ssoOutboundRules(app.config);
  const signInDeps = { db: app.db, secretBox: app.secretBox, log: app.log, outbound };

  /** Sends a failed sign-in to the sign-in page, which explains `error.code`; anything else is rethrown. */
  const toSignInPage = (reply: FastifyReply, error: unknown) => {
    if (error instanceof SsoSignInError) return reply.redirect(signInPageWith(error.code), 303);
    throw error;
  };

  app.get(
    "/sso",
    {
      schema: {
        operationId: "getSsoSettings",
        tags,
        security,
        summary: "The workspace's single sign-on settings (admins only); 404 until set up",
        description: "Never the client secret: `hasClientSecret` says one is stored.",
        response: { 200: SsoSettingsSchema, ...readProblems },
      },
    },
    async (request) => getSsoSettings(contextOf(request), publicBaseUrl(request)),
  );

  app.get(
    "/sso/links",
    {
      schema: {
        operationId: "getSsoLinks",
        tags,
        security,
        summary: "The redirect URI to register at the provider and the sign-in link (admins only)",
        description: "Answered also before single sign-on is set up: the provider needs the redirect URI first.",
        response: { 200: SsoLinksSchema, ...readProblems },
      },
    },
    async (request) => getSsoLinks(contextOf(request), publicBaseUrl(request)),
  );

  app.put(
    "/sso",
    {
      schema: {
        operationId: "saveSsoSettings",
        tags,
        security,
        summary: "Set up or change single sign-on with an OpenID Connect provider (admins only)",
        description:
          "The client secret is required the first time and stored encrypted; omitted later, the stored one stays. " +
          "Unless its host is in SSO_ALLOWED_HOSTS, the issuer must not be a private, loopback, link-local or " +
          "cloud metadata address, and in production it must be https: 400 naming `issuer` otherwise. While " +
          "`enabled`, every address its host resolves to must be public too (400), and its " +
          "/.well-known/openid-configuration must be readable (422 naming `issuer`).",
        body: SaveSsoSettingsSchema,
        response: { 200: SsoSettingsSchema, ...problemResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) =>
      saveSsoSettings(
        contextOf(request),
        { secretBox: app.secretBox, baseUrl: publicBaseUrl(request), outbound },
        request.body,
      ),
  );

  app.delete(
    "/sso",
    {
      schema: {
        operationId: "deleteSsoSettings",
        tags,
        security,
        summary: "Turn single sign-on off and forget its settings (admins only)",
        response: { 204: z.null().describe("Deleted"), ...readProblems },
      },
    },
    async (request, reply) => {
      await deleteSsoSettings(contextOf(request));
      return reply.code(204).send(null);
    },
  );

  app.get(
    "/auth/oidc/:workspaceSlug/start",
    {
      schema: {
        operationId: "startSsoSignIn",
        tags,
        security: [],
        summary: "Start signing in to a workspace through its OpenID Connect provider (opened by the browser)",
        description:
          "Redirects (302) to the provider's authorization endpoint with state, nonce and PKCE (S256), and sets a " +
          "short-lived cookie tying the sign-in to this browser; it must be finished within 10 minutes. When the " +
          "provider cannot be reached, or its host now resolves to an address Keel does not call, redirects (303) " +
          "to `/sign-in?sso_error=provider-error`.",
        params: SsoSlugParamsSchema,
        querystring: SsoStartQuerySchema,
        response: {
          302: z.null().describe("To the provider's authorization endpoint"),
          303: z.null().describe("To the sign-in page, with `sso_error` saying why"),
          ...problemResponses(400, 404),
          default: otherProblems,
        },
      },
    },
    async (request, reply) => {
      try {
        const { location, state } = await startSsoSignIn(signInDeps, {
          slug: request.params.workspaceSlug,
          redirectTo: request.query.redirect ?? null,
          baseUrl: publicBaseUrl(request),
        });
        const secure = isCookieSecure(request);
        reply.setCookie(secure ? secureStateCookie : stateCookie, state, {
          path: stateCookiePath,
          httpOnly: true,
          sameSite: "lax",
          secure,
          maxAge: loginStateLifetimeMs / 1000,
        });
        return await reply.redirect(location, 302);
      } catch (error) {
        return toSignInPage(reply, error);
      }
    },
  );

  app.get(
    "/auth/oidc/:workspaceSlug/callback",
    {
      schema: {
        operationId: "finishSsoSignIn",
        tags,
        security: [],
        summary: "Where the provider sends the browser back: signs in and redirects (opened by the browser)",
        description:
          "Exchanges the code (state, nonce and PKCE checked), requires a verified e-mail of an allowed domain, " +
          "finds the user by e-mail or creates them with the workspace's default role, sets the session cookie " +
          "and redirects (303) to where the sign-in started from. Any failure redirects (303) to " +
          "`/sign-in?sso_error=<code>`: invalid-state, expired-state, sso-unavailable, provider-error, " +
          "email-not-verified, domain-not-allowed, account-refused, other-workspaces.",
        params: SsoSlugParamsSchema,
        querystring: SsoCallbackQuerySchema,
        response: {
          303: z.null().describe("Signed in: to the page the sign-in started from; or to the sign-in page"),
          ...problemResponses(400),
          default: otherProblems,
        },
      },
    },
    async (request, reply) => {
      const secure = isCookieSecure(request);
      const cookieName = secure ? secureStateCookie : stateCookie;
      const browserState = request.cookies[cookieName];
      reply.clearCookie(cookieName, { path: stateCookiePath, httpOnly: true, sameSite: "lax", secure });
      const queryStart = request.url.indexOf("?");
      try {
        const signedIn = await finishSsoSignIn(signInDeps, {
          slug: request.params.workspaceSlug,
          rawQuery: queryStart >= 0 ? request.url.slice(queryStart + 1) : "",
          state: request.query.state,
          error: request.query.error,
          browserState,
          baseUrl: publicBaseUrl(request),
          device: { ipAddress: request.ip, userAgent: request.headers["user-agent"] },
        });
        // No Keel two-factor step here: the workspace's provider is responsible for the second
        // factor (its admin chose it, and its policy applies to every member signing in with it).
        await completeSignIn(app, request, reply, signedIn.user, signedIn.workspaceId);
        return await reply.redirect(signedIn.redirectTo, 303);
      } catch (error) {
        return toSignInPage(reply, error);
      }
    },
  );
};
