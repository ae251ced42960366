import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { pageOf } from "../../../shared/schemas/common.ts";
import {
  SignInAttemptSchema,
  SignInHistoryQuerySchema,
  WorkspaceSignInsQuerySchema,
} from "../../../shared/schemas/sign-in.ts";
import { contextOf, requireIdentity } from "../../http/authentication.ts";
import { problemResponses } from "../../http/record-routes.ts";
import { assertAllowed } from "../../lib/access.ts";
import { listUserSignIns, listWorkspaceSignIns } from "./sign-ins.ts";

const problems = problemResponses(400, 401, 403, 404);

/** Sign-in history: the signed-in user's own, and (for admins) that of the workspace's members. */
export const signInsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/me/sign-ins",
    {
      schema: {
        operationId: "listMySignIns",
        tags: ["Auth"],
        summary: "List my sign-ins, successful or not, newest first",
        security: [{ session: [] }],
        querystring: SignInHistoryQuerySchema,
        response: { 200: pageOf(SignInAttemptSchema), ...problems },
      },
    },
    async (request) => listUserSignIns(app.db, requireIdentity(request).userId, request.query),
  );

  app.get(
    "/sign-ins",
    {
      schema: {
        operationId: "listSignIns",
        tags: ["Users"],
        summary: "List the sign-ins of the workspace's members, newest first (admins)",
        security: [{ session: [] }],
        querystring: WorkspaceSignInsQuerySchema,
        response: { 200: pageOf(SignInAttemptSchema), ...problems },
      },
    },
    async (request) => {
      const ctx = contextOf(request);
      assertAllowed(ctx, "read", "signIn");
      return listWorkspaceSignIns(app.db, ctx.workspaceId, request.query);
    },
  );
};
