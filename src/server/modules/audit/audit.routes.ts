import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { AuditLogQuerySchema, AuditPageSchema } from "../../../shared/schemas/audit.ts";
import { contextOf } from "../../http/authentication.ts";
import { readProblems } from "../../http/record-routes.ts";
import { listAuditLog } from "./audit.service.ts";

/** /audit-logs: who changed what, when and from where (admins). */
export const auditRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/audit-logs",
    {
      schema: {
        operationId: "listAuditLogs",
        tags: ["Audit log"],
        summary: "List the workspace's audit log (admins only)",
        description:
          "Every create, update, delete and restore, membership, invitation and settings change, sign-in and " +
          "refused request, newest first. Filters combine; `action` is exact or a prefix ending in `.`. " +
          "Entries are append-only and hash-chained (`keel audit verify`).",
        querystring: AuditLogQuerySchema,
        response: { 200: AuditPageSchema, ...readProblems },
      },
    },
    async (request) => {
      const { limit, cursor, ...filters } = request.query;
      return listAuditLog(contextOf(request), filters, { limit, cursor });
    },
  );
};
