import { sql, type SQL } from "drizzle-orm";
import type { Job, JobState } from "../../../shared/schemas/job.ts";
import type { Database } from "../../db/client.ts";
import { findDatabaseError } from "../../db/constraints.ts";
import { jobsSchema } from "../../jobs/index.ts";
import { isUuid } from "../../lib/ids.ts";

/**
 * pg-boss's job table, read as the connecting role: it is not a tenant table (no row-level
 * security, keel_app has no access to its schema), so every query here names the workspace, as
 * `data.workspaceId`, itself.
 */
const jobTable = sql.raw(`${jobsSchema}.job`);

/** Where a newest-first page starts: the last job's creation time (exact, as text) and id. */
export type JobKey = { createdAt: string; id: string };

type JobRow = {
  id: string;
  queue: string;
  state: JobState;
  retryCount: number;
  retryLimit: number;
  createdAt: string;
  createdKey: string;
  startAfter: string;
  startedAt: string | null;
  completedAt: string | null;
  errorMessage: string | null;
  data: unknown;
};

/** A pg-boss time as the API answers times (ISO 8601, UTC, milliseconds), on either database's driver. */
const iso = (column: string) => sql.raw(`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);

const columns = sql`id, name as "queue", state, retry_count as "retryCount", retry_limit as "retryLimit",
  ${iso("created_on")} as "createdAt", to_char(created_on at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as "createdKey",
  ${iso("start_after")} as "startAfter", ${iso("started_on")} as "startedAt", ${iso("completed_on")} as "completedAt",
  case when state <> 'completed' then left(output->>'message', 500) end as "errorMessage", data`;

/** `2026-03-02T10:00:00.123456Z`: a creation time as a page key holds it, to the microsecond. */
export function isJobKeyTime(text: string): boolean {
  return /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/.test(text) && !Number.isNaN(Date.parse(text));
}

/** A job's data, summed up: its ids (workspaceId aside), and its other fields by name only. */
function summarize(data: unknown): Job["data"] {
  const ids: Record<string, string> = {};
  const otherFields: string[] = [];
  if (data && typeof data === "object" && !Array.isArray(data)) {
    for (const [field, value] of Object.entries(data)) {
      if (field === "workspaceId") continue;
      if (typeof value === "string" && isUuid(value)) ids[field] = value;
      else otherFields.push(field);
    }
  }
  return { ids, otherFields };
}

const dateOf = (text: string | null) => (text === null ? null : new Date(text));

function toJob(row: JobRow): Job {
  const hasStarted = row.startedAt !== null;
  return {
    id: row.id,
    queue: row.queue,
    state: row.state,
    attempts: hasStarted ? row.retryCount + 1 : 0,
    maxAttempts: row.retryLimit + 1,
    createdAt: new Date(row.createdAt),
    runAfter: row.state === "created" || row.state === "retry" ? new Date(row.startAfter) : null,
    startedAt: dateOf(row.startedAt),
    completedAt: dateOf(row.completedAt),
    lastError: row.errorMessage,
    data: summarize(row.data),
  };
}

/** No pg-boss tables yet (no process has started the job runtime on this database): no jobs either. */
async function readJobs(db: Database, query: SQL): Promise<JobRow[]> {
  try {
    return ((await db.execute(query)) as unknown as { rows: JobRow[] }).rows;
  } catch (error) {
    if (findDatabaseError(error)?.code === "42P01") return [];
    throw error;
  }
}

/** Up to `limit` jobs of a workspace, newest first, after `after`; optionally of one state and queue. */
export async function listJobs(
  db: Database,
  workspaceId: string,
  filter: { state?: JobState; queue?: string; after: JobKey | null; limit: number },
): Promise<{ job: Job; key: JobKey }[]> {
  const conditions = [sql`data->>'workspaceId' = ${workspaceId}`];
  if (filter.state) conditions.push(sql`state = ${filter.state}::${sql.raw(jobsSchema)}.job_state`);
  if (filter.queue) conditions.push(sql`name = ${filter.queue}`);
  if (filter.after) {
    conditions.push(sql`(created_on, id) < (${filter.after.createdAt}::timestamptz, ${filter.after.id}::uuid)`);
  }
  const rows = await readJobs(
    db,
    sql`select ${columns} from ${jobTable} where ${sql.join(conditions, sql` and `)}
      order by created_on desc, id desc limit ${filter.limit}`,
  );
  return rows.map((row) => ({ job: toJob(row), key: { createdAt: row.createdKey, id: row.id } }));
}

/** One job of a workspace, or null: another workspace's job is as absent as one that never was. */
export async function findJob(db: Database, workspaceId: string, id: string): Promise<Job | null> {
  const [row] = await readJobs(
    db,
    sql`select ${columns} from ${jobTable} where id = ${id}::uuid and data->>'workspaceId' = ${workspaceId}`,
  );
  return row ? toJob(row) : null;
}
