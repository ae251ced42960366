import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { accountAudit } from "./account-audit.ts";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import {
  AuthOptionsSchema,
  MeSchema,
  SignInResultSchema,
  SignInSchema,
  SwitchWorkspaceSchema,
} from "../../../shared/schemas/auth.ts";
import { ProblemSchema } from "../../../shared/schemas/problem.ts";
import { clearSessionCookie, requireIdentity } from "../../http/authentication.ts";
import { AppError } from "../../lib/errors.ts";
import { newId } from "../../lib/ids.ts";
import { demoAccounts, demoPassword } from "../seed/index.ts";
import { users } from "../users/users.table.ts";
import { verifyPassword } from "./passwords.ts";
import { recordSignIn } from "./sign-ins.ts";
import { revokeSession, setActiveWorkspace } from "./sessions.ts";
import { toMe } from "./sign-in-completion.ts";
import { finishPasswordSignIn } from "./two-factor.challenge.ts";

const tags = ["Auth"];
/** Signed-in people only: API keys cannot use these routes. */
const sessionOnly = [{ session: [] }];
const problems = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema };

/** Sign-in with e-mail and password, sign-out, and the signed-in user's view of themselves. */
export const authRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/auth/options",
    {
      schema: {
        operationId: "getSignInOptions",
        tags,
        summary: "Sign-in options: in demo mode, the demo accounts and their password",
        security: [],
        response: { 200: AuthOptionsSchema, 400: ProblemSchema },
      },
    },
    async () =>
      app.config.isDemo ? { demoAccounts: [...demoAccounts], demoPassword } : { demoAccounts: [], demoPassword: null },
  );

  app.post(
    "/auth/sign-in",
    {
      schema: {
        operationId: "signIn",
        tags,
        summary: "Sign in with e-mail and password; sets the session cookie, or asks for a second factor",
        description:
          "With two-factor sign-in on, a right password answers `{ twoFactorRequired: true }` and a challenge " +
          "cookie (5 minutes) instead of a session: finish with POST /api/v1/auth/two-factor.",
        security: [],
        body: SignInSchema,
        response: { 200: SignInResultSchema, ...problems },
      },
    },
    async (request, reply) => {
      const email = request.body.email.toLowerCase();
      const [user] = await app.db
        .select({
          id: users.id,
          passwordHash: users.passwordHash,
          disabledAt: users.disabledAt,
          twoFactorEnabledAt: users.twoFactorEnabledAt,
        })
        .from(users)
        .where(eq(sql`lower(${users.email})`, email));
      // Hashes whether or not the account exists: unknown e-mail and wrong password take as long.
      const isValid = await verifyPassword(user?.passwordHash ?? null, request.body.password);
      const reason = !user ? "unknown-email" : !isValid ? "wrong-password" : user.disabledAt ? "disabled" : null;
      if (reason !== null) {
        // After the answer: writing the attempt to an account's workspaces takes longer than to
        // none, and the answer's timing must not tell which e-mail addresses have an account.
        const id = newId();
        app.defer(() =>
          recordSignIn(app.db, {
            id,
            userId: user?.id ?? null,
            email,
            reason,
            ipAddress: request.ip,
            userAgent: request.headers["user-agent"],
            requestId: request.id,
          }),
        );
      }
      // One answer for every failure: it tells nobody which e-mail addresses have an account.
      if (!user || reason !== null) throw new AppError("unauthenticated", "Wrong e-mail or password.");
      return finishPasswordSignIn(app, request, reply, { id: user.id, email, hasTwoFactor: !!user.twoFactorEnabledAt });
    },
  );

  app.post(
    "/auth/sign-out",
    {
      schema: {
        operationId: "signOut",
        tags,
        security: sessionOnly,
        summary: "Sign out: revokes the session and clears the cookie",
        response: { 204: z.null().describe("Signed out"), 400: ProblemSchema, 403: ProblemSchema },
      },
    },
    async (request, reply) => {
      const { sessionToken, identity } = request;
      const audit = identity ? accountAudit(request, identity.userId, { action: "auth.sign_out" }) : null;
      await app.db.transaction(async (tx) => {
        if (sessionToken) await revokeSession(tx, sessionToken);
        if (audit) await audit(tx);
      });
      clearSessionCookie(request, reply);
      return reply.code(204).send(null);
    },
  );

  app.get(
    "/me",
    {
      schema: {
        operationId: "getMe",
        tags,
        security: sessionOnly,
        summary: "The signed-in user, their workspaces and role",
        response: { 200: MeSchema, ...problems },
      },
    },
    async (request) => toMe(requireIdentity(request)),
  );

  app.post(
    "/me/workspace",
    {
      schema: {
        operationId: "switchWorkspace",
        tags,
        security: sessionOnly,
        summary: "Switch the active workspace of this session",
        body: SwitchWorkspaceSchema,
        response: { 200: MeSchema, ...problems, 404: ProblemSchema },
      },
    },
    async (request) => {
      const identity = requireIdentity(request);
      // UUIDs are case-insensitive; the database answers them in lower case.
      const workspaceId = request.body.workspaceId.toLowerCase();
      if (!identity.workspaces.some((w) => w.id === workspaceId)) {
        throw new AppError("not-found", "No such workspace.");
      }
      await setActiveWorkspace(app.db, request.sessionToken ?? "", workspaceId);
      return toMe({ ...identity, activeWorkspaceId: workspaceId });
    },
  );
};
