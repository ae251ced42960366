import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { ListOutboxQuerySchema, OutboxSchema } from "../../../shared/schemas/mail.ts";
import { ProblemSchema } from "../../../shared/schemas/problem.ts";
import { contextOf } from "../../http/authentication.ts";
import { AppError } from "../../lib/errors.ts";
import { listOutbox } from "./mail.service.ts";

/** The outbox: e-mail kept instead of sent when no SMTP server is configured. */
export const mailRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/admin/outbox",
    {
      schema: {
        operationId: "listOutbox",
        tags: ["Mail"],
        summary: "E-mails kept for the workspace's members while no SMTP server is configured, newest first",
        description:
          "Admins only. Lists the newest `limit` messages (default 50, at most 100) addressed to the " +
          "members of the active workspace; there are no further pages.",
        security: [{ session: [] }],
        querystring: ListOutboxQuerySchema,
        response: { 200: OutboxSchema, 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema },
      },
    },
    async (request) => {
      const ctx = contextOf(request);
      if (ctx.actor.kind !== "user" || ctx.actor.role !== "admin") {
        throw new AppError("forbidden", "Only admins can read the outbox.");
      }
      return { data: await listOutbox(app.db, ctx.workspaceId, request.query.limit) };
    },
  );
};
