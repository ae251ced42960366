import type { Job, ListJobsQuery } from "../../../shared/schemas/job.ts";
import type { Jobs } from "../../jobs/index.ts";
import { assertAllowed } from "../../lib/access.ts";
import type { RequestContext } from "../../lib/context.ts";
import { decodeCursor, encodeCursor } from "../../lib/cursor.ts";
import { AppError, invalidField } from "../../lib/errors.ts";
import { isUuid } from "../../lib/ids.ts";
import { findJob, isJobKeyTime, listJobs as listJobRows, type JobKey } from "./jobs.repository.ts";

/** The sort of a jobs page's cursor: newest first by creation time, then id. */
const jobsSort = "-createdAt";

function afterOf(cursor: string | undefined): JobKey | null {
  if (cursor === undefined) return null;
  const decoded = decodeCursor(cursor);
  const [createdAt, id] = decoded?.sort === jobsSort ? decoded.values : [];
  if (typeof createdAt !== "string" || !isJobKeyTime(createdAt) || typeof id !== "string" || !isUuid(id)) {
    throw invalidField("cursor", "Not a cursor of this list");
  }
  return { createdAt, id };
}

/** The workspace's background jobs, newest first (admins): what ran, what waits, what failed and why. */
export async function listJobs(
  ctx: RequestContext,
  query: ListJobsQuery,
): Promise<{ data: Job[]; nextCursor: string | null }> {
  assertAllowed(ctx, "read", "job");
  const rows = await listJobRows(ctx.db, ctx.workspaceId, {
    state: query.state,
    queue: query.queue,
    after: afterOf(query.cursor),
    limit: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  const nextCursor =
    rows.length > query.limit && last
      ? encodeCursor({ sort: jobsSort, values: [last.key.createdAt, last.key.id] })
      : null;
  return { data: page.map((row) => row.job), nextCursor };
}

/**
 * Queues a failed job of the workspace again, with one more attempt (admins). Any other job —
 * another workspace's, one not failed (any more) — answers 404.
 */
export async function retryJob(ctx: RequestContext, jobs: Jobs, id: string): Promise<Job> {
  assertAllowed(ctx, "update", "job");
  const job = await findJob(ctx.db, ctx.workspaceId, id);
  if (!job || job.state !== "failed" || !(await jobs.retry(job.queue, job.id))) {
    throw new AppError("not-found", "No failed job with this id in this workspace.");
  }
  const retried = await findJob(ctx.db, ctx.workspaceId, id);
  if (!retried) throw new AppError("not-found", "No failed job with this id in this workspace.");
  return retried;
}
