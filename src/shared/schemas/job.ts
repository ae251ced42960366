import { z } from "zod";
import { IdSchema, pageOf, pageSizeQuery } from "./common.ts";

/**
 * Where a background job is: waiting for its first run (`created`), waiting to be tried again
 * (`retry`), running (`active`), done (`completed`), given up on after its last attempt (`failed`)
 * or `cancelled`.
 */
export const jobStates = ["created", "retry", "active", "completed", "failed", "cancelled"] as const;
export type JobState = (typeof jobStates)[number];

/** A queue's name: `<domain>.<verb>`, e.g. `webhooks.deliver`. */
export const JobQueueSchema = z.string().regex(/^[\w.-]{1,100}$/, "Must be a queue name such as webhooks.deliver");

/**
 * What a job carries, summed up: the ids it names, and its other fields by name only (their
 * values may be personal data: an e-mail address, a message).
 */
export const JobDataSummarySchema = z.object({
  ids: z.record(z.string(), z.string()).describe("The ids the job carries, by field (workspaceId aside)"),
  otherFields: z.array(z.string()).describe("The names of its other fields; their values are not shown"),
});
export type JobDataSummary = z.infer<typeof JobDataSummarySchema>;

/** One background job of the workspace, as admins see it. */
export const JobSchema = z.object({
  id: IdSchema,
  queue: z.string(),
  state: z.enum(jobStates),
  attempts: z.number().int().describe("How many times a worker started it"),
  maxAttempts: z.number().int().describe("How many attempts it gets before it fails for good"),
  createdAt: z.date(),
  runAfter: z.date().nullable().describe("While it waits (created, retry): when it may run next"),
  startedAt: z.date().nullable().describe("When its last attempt started"),
  completedAt: z.date().nullable().describe("When it completed, failed for good or was cancelled"),
  lastError: z
    .string()
    .nullable()
    .describe("Why its last attempt failed (database errors by SQLSTATE only); null when none failed or it completed"),
  data: JobDataSummarySchema,
});
export type Job = z.infer<typeof JobSchema>;

/** `GET /jobs`: newest first, by cursor, optionally of one state and one queue. */
export const ListJobsQuerySchema = z.strictObject({
  state: z.enum(jobStates).optional().describe("Only jobs in this state"),
  queue: JobQueueSchema.optional().describe("Only jobs of this queue"),
  limit: pageSizeQuery(200, 50),
  cursor: z.string().max(200).optional().describe("The nextCursor of the previous page."),
});
export type ListJobsQuery = z.infer<typeof ListJobsQuerySchema>;

export const JobPageSchema = pageOf(JobSchema);
