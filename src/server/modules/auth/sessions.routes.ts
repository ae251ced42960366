import { z } from "zod";
import { accountAudit } from "./account-audit.ts";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { IdParamsSchema } from "../../../shared/schemas/common.ts";
import { RevokedSessionsSchema, SessionListSchema } from "../../../shared/schemas/session.ts";
import { requireIdentity } from "../../http/authentication.ts";
import { problemResponses } from "../../http/record-routes.ts";
import { notFound } from "../../lib/errors.ts";
import { listUserSessions, revokeOtherUserSessions, revokeUserSession } from "./sessions.ts";

const tags = ["Auth"];
/** Signed-in people only: API keys cannot use these routes. */
const sessionOnly = [{ session: [] }];

/** The signed-in user's sessions: list them, revoke one, or revoke all but this one. */
export const sessionsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/me/sessions",
    {
      schema: {
        operationId: "listMySessions",
        tags,
        summary: "List my sessions that still work, the current one marked",
        security: sessionOnly,
        response: { 200: SessionListSchema, ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const identity = requireIdentity(request);
      const sessions = await listUserSessions(app.db, identity.userId);
      return { data: sessions.map((session) => ({ ...session, current: session.id === identity.sessionId })) };
    },
  );

  app.delete(
    "/me/sessions/:id",
    {
      schema: {
        operationId: "revokeMySession",
        tags,
        summary: "Revoke one of my sessions (signs that browser or client out)",
        security: sessionOnly,
        params: IdParamsSchema,
        response: { 204: z.null().describe("Revoked"), ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const identity = requireIdentity(request);
      // UUIDs are case-insensitive; the database answers them in lower case.
      const sessionId = request.params.id.toLowerCase();
      const audit = accountAudit(request, identity.userId, { action: "auth.session_revoked", details: { sessionId } });
      const isRevoked = await app.db.transaction(async (tx) => {
        const revoked = await revokeUserSession(tx, identity.userId, sessionId);
        if (revoked) await audit(tx);
        return revoked;
      });
      if (!isRevoked) throw notFound("session");
      return reply.code(204).send(null);
    },
  );

  app.post(
    "/me/sessions/revoke-others",
    {
      schema: {
        operationId: "revokeMyOtherSessions",
        tags,
        summary: "Revoke all my sessions but this one",
        security: sessionOnly,
        response: { 200: RevokedSessionsSchema, ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const identity = requireIdentity(request);
      const revoked = await app.db.transaction(async (tx) => {
        const count = await revokeOtherUserSessions(tx, identity.userId, identity.sessionId);
        await accountAudit(request, identity.userId, { action: "auth.sessions_revoked", details: { revoked: count } })(
          tx,
        );
        return count;
      });
      return { revoked };
    },
  );
};
