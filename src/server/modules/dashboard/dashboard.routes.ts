import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { DashboardQuerySchema, DashboardSchema } from "../../../shared/schemas/dashboard.ts";
import { contextOf } from "../../http/authentication.ts";
import { readProblems } from "../../http/record-routes.ts";
import { getDashboard } from "./dashboard.service.ts";

/** /dashboard: the figures of the dashboard page. */
export const dashboardRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/dashboard",
    {
      schema: {
        operationId: "getDashboard",
        tags: ["Dashboard"],
        summary: "Totals, leads by status, contact growth, pipeline, activities, tasks due and recent items",
        description:
          "Workspace-wide figures for every role; tasks.mine counts the caller's tasks. The time series cover " +
          "`range` (7d, 30d, 90d, 365d; default 90d) ending now, or `from`–`to`, in buckets of `bucket` in `timeZone`.",
        querystring: DashboardQuerySchema,
        response: { 200: DashboardSchema, ...readProblems },
      },
    },
    async (request) => getDashboard(contextOf(request), request.query),
  );
};
