import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { UserSchema } from "../../../shared/schemas/auth.ts";
import {
  CountSchema,
  CountQuerySchema,
  IdParamsSchema,
  ListQuerySchema,
  pageOf,
} from "../../../shared/schemas/common.ts";
import { withWorkspaceTransaction } from "../../db/transaction.ts";
import { parseListRequest } from "../../db/listing.ts";
import { contextOf } from "../../http/authentication.ts";
import { readProblems } from "../../http/record-routes.ts";
import { assertAllowed } from "../../lib/access.ts";
import { notFound } from "../../lib/errors.ts";
import { countMembers, findMembersByIds, listMembers, usersListSpec } from "./users.repository.ts";

const tags = ["Users"];

/** The workspace's members (read-only here; management comes with account administration). */
export const usersRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/users",
    {
      schema: {
        operationId: "listUsers",
        tags,
        summary: "List the workspace's users",
        querystring: ListQuerySchema,
        response: { 200: pageOf(UserSchema), ...readProblems },
      },
    },
    async (request) => {
      const ctx = contextOf(request);
      assertAllowed(ctx, "read", "user");
      const listRequest = parseListRequest(usersListSpec, request.query, ctx.actor.userId);
      return withWorkspaceTransaction(ctx.db, ctx.workspaceId, (tx) => listMembers(tx, ctx.workspaceId, listRequest));
    },
  );

  app.get(
    "/users/count",
    {
      schema: {
        operationId: "countUsers",
        tags,
        summary: "Count the workspace's users",
        querystring: CountQuerySchema,
        response: { 200: CountSchema, ...readProblems },
      },
    },
    async (request) => {
      const ctx = contextOf(request);
      assertAllowed(ctx, "read", "user");
      const listRequest = parseListRequest(usersListSpec, request.query, ctx.actor.userId, "count");
      const count = await withWorkspaceTransaction(ctx.db, ctx.workspaceId, (tx) =>
        countMembers(tx, ctx.workspaceId, listRequest),
      );
      return { count };
    },
  );

  app.get(
    "/users/:id",
    {
      schema: {
        operationId: "getUser",
        tags,
        summary: "Get one user of the workspace",
        params: IdParamsSchema,
        response: { 200: UserSchema, ...readProblems },
      },
    },
    async (request) => {
      const ctx = contextOf(request);
      assertAllowed(ctx, "read", "user");
      const [user] = await withWorkspaceTransaction(ctx.db, ctx.workspaceId, (tx) =>
        findMembersByIds(tx, ctx.workspaceId, [request.params.id]),
      );
      if (!user) throw notFound("user");
      return user;
    },
  );
};
