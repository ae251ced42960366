import type { FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { accountAudit } from "./account-audit.ts";
import {
  ChangePasswordSchema,
  MeSchema,
  CheckYourEmailSchema,
  ForgotPasswordSchema,
  ResetPasswordSchema,
  SignUpSchema,
  VerifiedEmailSchema,
  VerifyEmailSchema,
} from "../../../shared/schemas/auth.ts";
import { ProblemSchema } from "../../../shared/schemas/problem.ts";
import type { FieldChanges } from "../../../shared/schemas/audit.ts";
import { UpdateProfileSchema } from "../../../shared/schemas/profile.ts";
import { publicBaseUrl } from "../../http/after-response.ts";
import { requireIdentity } from "../../http/authentication.ts";
import { AppError } from "../../lib/errors.ts";
import {
  changePassword,
  forgotPassword,
  resetPassword,
  signUp,
  updateProfile,
  verifyEmail,
  type AccountDeps,
  type RequestOrigin,
} from "./account.service.ts";
import { toMe } from "./sign-in-completion.ts";

const tags = ["Auth"];
const problems = { 400: ProblemSchema, 403: ProblemSchema, 429: ProblemSchema };
const checkYourEmail = { status: "check-your-email" } as const;

/** Sign-up, e-mail verification, forgotten and changed passwords. */
export const accountRoutes: FastifyPluginAsyncZod = async (app) => {
  // E-mails that depend on whether an address is registered go out after the answer (app.defer).
  const deps: AccountDeps = {
    db: app.db,
    config: app.config,
    log: app.log,
    workspacesPerUser: app.config.workspacesPerUser,
    defer: app.defer,
  };
  const originOf = (request: FastifyRequest): RequestOrigin => ({
    ipAddress: request.ip,
    linkBase: publicBaseUrl(request),
  });

  app.post(
    "/auth/sign-up",
    {
      schema: {
        operationId: "signUp",
        tags,
        summary: "Sign up: e-mails a link that creates the account and its workspace",
        description:
          "Answers 202 whether or not the e-mail is registered, so the answer tells nobody which addresses have " +
          "accounts. A new address receives a verification link (valid 24 hours) that creates the account and a " +
          "workspace it administers; a registered one receives a warning. 403 when SIGN_UP is off.",
        security: [],
        body: SignUpSchema,
        response: { 202: CheckYourEmailSchema, ...problems },
      },
    },
    async (request, reply) => {
      if (!app.config.signUp) {
        throw new AppError("forbidden", "Sign-up is closed on this server; ask a workspace admin for an invitation.");
      }
      await signUp(deps, request.body, publicBaseUrl(request));
      return reply.code(202).send(checkYourEmail);
    },
  );

  app.post(
    "/auth/verify-email",
    {
      schema: {
        operationId: "verifyEmail",
        tags,
        summary: "Verify an e-mail address with the token of its link; a sign-up's account is created then",
        security: [],
        body: VerifyEmailSchema,
        response: { 200: VerifiedEmailSchema, ...problems },
      },
    },
    async (request) =>
      verifyEmail(deps, request.body.token, {
        requestId: request.id,
        client: { ipAddress: request.ip, userAgent: request.headers["user-agent"]?.slice(0, 500) ?? null },
      }),
  );

  app.post(
    "/auth/forgot-password",
    {
      schema: {
        operationId: "forgotPassword",
        tags,
        summary: "E-mail a password reset link (valid 1 hour); answers the same for any address",
        security: [],
        body: ForgotPasswordSchema,
        response: { 202: CheckYourEmailSchema, ...problems },
      },
    },
    async (request, reply) => {
      await forgotPassword(deps, request.body.email, publicBaseUrl(request));
      return reply.code(202).send(checkYourEmail);
    },
  );

  app.post(
    "/auth/reset-password",
    {
      schema: {
        operationId: "resetPassword",
        tags,
        summary: "Set a new password with the token of a reset link; ends every session of the user",
        description: "E-mails the user that their password was changed (time and address), after the response.",
        security: [],
        body: ResetPasswordSchema,
        response: { 204: z.null().describe("Password changed"), ...problems },
      },
    },
    async (request, reply) => {
      await resetPassword(deps, request.body, originOf(request), (userId) =>
        accountAudit(request, userId, { action: "auth.password_reset" }),
      );
      return reply.code(204).send(null);
    },
  );

  app.post(
    "/me/password",
    {
      schema: {
        operationId: "changePassword",
        tags,
        summary: "Change the signed-in user's password; ends their other sessions",
        description: "E-mails the user that their password was changed (time and address), after the response.",
        security: [{ session: [] }],
        body: ChangePasswordSchema,
        response: { 204: z.null().describe("Password changed"), 401: ProblemSchema, ...problems },
      },
    },
    async (request, reply) => {
      const identity = requireIdentity(request);
      await changePassword(
        deps,
        { userId: identity.userId, sessionId: identity.sessionId },
        request.body,
        originOf(request),
        accountAudit(request, identity.userId, { action: "auth.password_changed" }),
      );
      return reply.code(204).send(null);
    },
  );

  app.patch(
    "/me",
    {
      schema: {
        operationId: "updateMe",
        tags,
        summary: "Change the signed-in user's own name or interface language",
        description:
          "The name is the person's, shown in every workspace they belong to; `locale` is the language the web " +
          "app speaks to them (null: their browser's). Send either or both. Signed-in people only.",
        security: [{ session: [] }],
        body: UpdateProfileSchema,
        response: { 200: MeSchema, 401: ProblemSchema, ...problems },
      },
    },
    async (request) => {
      const identity = requireIdentity(request);
      const { name = identity.name, locale = identity.locale } = request.body;
      const changes: FieldChanges = {};
      if (name !== identity.name) changes.name = [identity.name, name];
      if (locale !== identity.locale) changes.locale = [identity.locale, locale];
      const audit =
        Object.keys(changes).length > 0
          ? accountAudit(request, identity.userId, { action: "user.profile_updated", changes })
          : null;
      const updated = await updateProfile(deps, identity.userId, { name, locale }, audit);
      return toMe({ ...identity, ...updated });
    },
  );
};
