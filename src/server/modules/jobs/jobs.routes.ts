import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { IdParamsSchema } from "../../../shared/schemas/common.ts";
import { JobPageSchema, JobSchema, ListJobsQuerySchema } from "../../../shared/schemas/job.ts";
import { contextOf } from "../../http/authentication.ts";
import { readProblems } from "../../http/record-routes.ts";
import { listJobs, retryJob } from "./jobs.service.ts";

const tags = ["Jobs"];
/** For people only: background jobs are the server's administration, not an API resource. */
const security = [{ session: [] }];

/** /jobs: the workspace's background jobs, for its admins; a failed one can be tried again. */
export const jobsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/jobs",
    {
      schema: {
        operationId: "listJobs",
        tags,
        security,
        summary: "List the workspace's background jobs, newest first (admins only)",
        description:
          "Jobs that work for the workspace (webhook deliveries, imports…), waiting, running, done or failed, " +
          "kept for 7 days after they finish. Their data is summed up: the ids it names, its other fields by name only.",
        querystring: ListJobsQuerySchema,
        response: { 200: JobPageSchema, ...readProblems },
      },
    },
    async (request) => listJobs(contextOf(request), request.query),
  );

  app.post(
    "/jobs/:id/retry",
    {
      schema: {
        operationId: "retryJob",
        tags,
        security,
        summary: "Try a failed job again (admins only)",
        description:
          "The job gets one more attempt and waits for a worker (state `retry`). Only failed jobs: 404 otherwise.",
        params: IdParamsSchema,
        response: { 200: JobSchema.describe("The job, queued again"), ...readProblems },
      },
    },
    async (request) => retryJob(contextOf(request), app.jobs, request.params.id),
  );
};
