import { z } from "zod";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
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
import { MemberSchema, UpdateUserSchema } from "../../../shared/schemas/membership.ts";
import { problemResponses, readProblems } from "../../http/record-routes.ts";
import { assertAllowed } from "../../lib/access.ts";
import { notFound } from "../../lib/errors.ts";
import { countMembers, findMembersByIds, listMembers, usersListSpec } from "./users.repository.ts";
import { removeMember, updateMember } from "./users.service.ts";

const tags = ["Users"];

/** The workspace's members; admins change their role, deactivate or remove them. */
export const usersRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/users",
    {
      schema: {
        operationId: "listUsers",
        tags,
        summary: "List the workspace's users",
        description:
          "`q` finds members whose name or e-mail contains every word typed. Filters: filter[id], filter[role], " +
          "filter[active]. Sortable: joinedAt.",
        querystring: ListQuerySchema,
        response: { 200: pageOf(MemberSchema), ...readProblems },
      },
    },
    async (request) => {
      const ctx = contextOf(request);
      assertAllowed(ctx, "read", "user");
      const { q, ...query } = request.query;
      const listRequest = parseListRequest(usersListSpec, query, ctx.actor.userId);
      return withWorkspaceTransaction(ctx.db, ctx.workspaceId, (tx) =>
        listMembers(tx, ctx.workspaceId, listRequest, q),
      );
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
      const { q, ...query } = request.query;
      const listRequest = parseListRequest(usersListSpec, query, ctx.actor.userId, "count");
      return withWorkspaceTransaction(ctx.db, ctx.workspaceId, (tx) =>
        countMembers(tx, ctx.workspaceId, listRequest, q),
      );
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
        response: { 200: MemberSchema, ...readProblems },
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

  app.patch(
    "/users/:id",
    {
      schema: {
        operationId: "updateUser",
        tags,
        summary: "Change a member's role, or deactivate or reactivate their membership (admins)",
        params: IdParamsSchema,
        body: UpdateUserSchema,
        response: { 200: MemberSchema, ...problemResponses(400, 401, 403, 404, 422) },
      },
    },
    // UUIDs are case-insensitive; the database answers them in lower case.
    async (request) => updateMember(contextOf(request), request.params.id.toLowerCase(), request.body),
  );

  app.delete(
    "/users/:id",
    {
      schema: {
        operationId: "removeUser",
        tags,
        summary: "Remove a member from the workspace; their records keep their owner (admins)",
        params: IdParamsSchema,
        response: { 204: z.null().describe("Removed"), ...problemResponses(400, 401, 403, 404, 422) },
      },
    },
    async (request, reply) => {
      await removeMember(contextOf(request), request.params.id.toLowerCase());
      return reply.code(204).send(null);
    },
  );
};
