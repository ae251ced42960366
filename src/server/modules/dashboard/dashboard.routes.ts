import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { DashboardQuerySchema, DashboardSchema } from "../../../shared/schemas/dashboard.ts";
import { contextOf } from "../../http/authentication.ts";
import { readProblems } from "../../http/record-routes.ts";
import { createDashboardCaches, openCacheRedis } from "./dashboard.cache.ts";
import { getDashboard } from "./dashboard.service.ts";

/** /dashboard: the figures of the dashboard page, kept in this process or in Redis (REDIS_URL). */
export const dashboardRoutes: FastifyPluginAsyncZod = async (app) => {
  const caches = createDashboardCaches(app.config.redisUrl ? await openCacheRedis(app, app.config.redisUrl) : null);
  app.get(
    "/dashboard",
    {
      schema: {
        operationId: "getDashboard",
        tags: ["Dashboard"],
        summary: "Totals, leads by status, contact growth, pipeline, activities, tasks due and recent items",
        description:
          "Workspace-wide figures for every role; tasks.mine counts the caller's tasks. The time series cover " +
          "`range` (7d, 30d, 90d, 365d; default 90d) ending now, or `from`–`to`, in buckets of `bucket` in `timeZone`. " +
          "totals.contacts and totals.companies count exactly up to 10,000, as list counts do; past that they are " +
          "the database's estimate, marked contactsIsEstimate / companiesIsEstimate: true. " +
          "Figures are kept until the workspace's next change, and at most 30 s (what the clock alone changes: " +
          "overdue, due today, the end of a period ending now).",
        querystring: DashboardQuerySchema,
        response: { 200: DashboardSchema, ...readProblems },
      },
    },
    async (request) => getDashboard(contextOf(request), request.query, caches),
  );
};
