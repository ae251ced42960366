import { z } from "zod";
import { accountAudit } from "./account-audit.ts";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { MeSchema } from "../../../shared/schemas/auth.ts";
import { ProblemSchema } from "../../../shared/schemas/problem.ts";
import {
  BackupCodesSchema,
  DisableTwoFactorSchema,
  EnableTwoFactorSchema,
  ReplaceBackupCodesSchema,
  TwoFactorSetupSchema,
  TwoFactorSignInSchema,
  TwoFactorStatusSchema,
} from "../../../shared/schemas/two-factor.ts";
import { requireIdentity } from "../../http/authentication.ts";
import { problemResponses } from "../../http/record-routes.ts";
import { answerChallenge } from "./two-factor.challenge.ts";
import {
  disableTwoFactor,
  enableTwoFactor,
  getTwoFactorStatus,
  replaceTwoFactorBackupCodes,
  setUpTwoFactor,
  type TwoFactorDeps,
} from "./two-factor.service.ts";

const tags = ["Auth"];
/** Signed-in people only: API keys cannot use these routes. */
const sessionOnly = [{ session: [] }];

/** Two-factor sign-in (TOTP and backup codes): set-up, enable, disable, and the sign-in challenge. */
export const twoFactorRoutes: FastifyPluginAsyncZod = async (app) => {
  // Alerts go out after the answer (app.defer).
  const deps: TwoFactorDeps = {
    db: app.db,
    config: app.config,
    log: app.log,
    secretBox: app.secretBox,
    defer: app.defer,
  };

  app.post(
    "/auth/two-factor",
    {
      schema: {
        operationId: "signInSecondFactor",
        tags,
        summary: "Finish a sign-in with a code of the authenticator app or a backup code; sets the session cookie",
        description:
          "Needs the challenge cookie that sign-in set when it answered `{ twoFactorRequired: true }` (valid 5 " +
          "minutes). Send exactly one of `code` and `backupCode`. A wrong code answers 401 naming the field; after " +
          "5 tries the challenge is spent, and an expired, used or unknown challenge answers 401: sign in again. " +
          "A code is never accepted twice, and each backup code works once.",
        security: [],
        body: TwoFactorSignInSchema,
        response: { 200: MeSchema, ...problemResponses(400, 401, 403), 429: ProblemSchema },
      },
    },
    async (request, reply) => answerChallenge(app, request, reply, request.body),
  );

  app.get(
    "/me/two-factor",
    {
      schema: {
        operationId: "getMyTwoFactor",
        tags,
        summary: "Whether my two-factor sign-in is on, and how many backup codes are left",
        security: sessionOnly,
        response: { 200: TwoFactorStatusSchema, ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => getTwoFactorStatus(app.db, requireIdentity(request).userId),
  );

  app.post(
    "/me/two-factor/setup",
    {
      schema: {
        operationId: "setUpMyTwoFactor",
        tags,
        summary: "Start setting up two-factor sign-in: a new secret and its QR code",
        description:
          "The secret stays pending (stored encrypted) until POST /me/two-factor/enable confirms it with a code; " +
          "a new set-up replaces it. 409 while two-factor sign-in is on.",
        security: sessionOnly,
        response: { 200: TwoFactorSetupSchema, ...problemResponses(400, 401, 403, 409) },
      },
    },
    async (request) => setUpTwoFactor(deps, requireIdentity(request).userId),
  );

  app.post(
    "/me/two-factor/enable",
    {
      schema: {
        operationId: "enableMyTwoFactor",
        tags,
        summary: "Turn two-factor sign-in on with a code of the new secret; returns the backup codes, once",
        description: "400 naming `code` when it is wrong; 409 when it is on already or nothing is being set up.",
        security: sessionOnly,
        body: EnableTwoFactorSchema,
        response: { 200: BackupCodesSchema, ...problemResponses(400, 401, 403, 409) },
      },
    },
    async (request) => {
      const { userId } = requireIdentity(request);
      const audit = accountAudit(request, userId, { action: "auth.two_factor_enabled" });
      const backupCodes = await enableTwoFactor(deps, userId, request.body.code, audit);
      return { backupCodes };
    },
  );

  app.post(
    "/me/two-factor/disable",
    {
      schema: {
        operationId: "disableMyTwoFactor",
        tags,
        summary: "Turn two-factor sign-in off, with my password and a code; e-mails me an alert",
        description:
          "`code` is a code of the authenticator app or a backup code. A wrong password or code answers 400 " +
          "naming `password` or `code` (not 401: the session is fine). 409 when two-factor sign-in is off.",
        security: sessionOnly,
        body: DisableTwoFactorSchema,
        response: { 204: z.null().describe("Turned off"), ...problemResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const { userId } = requireIdentity(request);
      await disableTwoFactor(
        deps,
        userId,
        request.body,
        accountAudit(request, userId, { action: "auth.two_factor_disabled" }),
      );
      return reply.code(204).send(null);
    },
  );

  app.post(
    "/me/two-factor/backup-codes",
    {
      schema: {
        operationId: "replaceMyBackupCodes",
        tags,
        summary: "New backup codes for a right code; the old ones stop working",
        description: "`code` is a code of the authenticator app or a backup code; 400 naming it when wrong.",
        security: sessionOnly,
        body: ReplaceBackupCodesSchema,
        response: { 200: BackupCodesSchema, ...problemResponses(400, 401, 403, 409) },
      },
    },
    async (request) => {
      const { userId } = requireIdentity(request);
      const audit = accountAudit(request, userId, { action: "auth.backup_codes_replaced" });
      const backupCodes = await replaceTwoFactorBackupCodes(deps, userId, request.body.code, audit);
      return { backupCodes };
    },
  );
};
