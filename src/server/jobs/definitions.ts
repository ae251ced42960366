import type { FastifyBaseLogger } from "fastify";
import type { Config } from "../config.ts";
import type { Database } from "../db/client.ts";

/**
 * What a job carries. `workspaceId` is required and explicit: the workspace a job works for, which
 * is also what lets that workspace's admins (and nobody else) see it at /admin/jobs; `null` for
 * work of the whole server (maintenance). Everything else is the job's own, and stays small: ids
 * to read the records by, never the records, and never secrets (jobs are kept for days).
 */
export type JobData = { workspaceId: string | null } & Record<string, unknown>;

/** Per-queue behaviour: retries, their delays (seconds), how long a run may take, how long a job is kept. */
export type JobOptions = {
  /** Retries after the first attempt fails (default 2). */
  retryLimit?: number;
  /** Seconds before a retry (default 0); with `retryBackoff`, the first of doubling delays. */
  retryDelay?: number;
  retryBackoff?: boolean;
  /** The longest delay between retries with backoff, in seconds. */
  retryDelayMax?: number;
  /** A run taking longer fails (and is retried); its `signal` aborts. Default 15 minutes. */
  expireInSeconds?: number;
  /** How long a finished job is kept for /admin/jobs, in seconds (default 7 days). */
  deleteAfterSeconds?: number;
  /** How long a job may wait for its first run before it is dropped, in seconds (default 14 days). */
  retentionSeconds?: number;
  /** Jobs of this queue one process runs at the same time (default 1); with `batchSize`, batches. */
  concurrency?: number;
  /**
   * Jobs one worker fetches at once and runs side by side (default 1), each settled on its own.
   * While batches come back full the worker fetches again at once, instead of waiting for its
   * next poll: for queues of many short jobs (webhook deliveries).
   */
  batchSize?: number;
  /** How often an idle worker looks for new jobs, in seconds (default 2, at least 0.5). */
  pollingIntervalSeconds?: number;
};

/** Options of one `send`: when to run, and de-duplication. */
export type SendOptions = {
  /** Run no earlier than this: a date, or seconds from now. */
  startAfter?: Date | number;
  /** A job with the same id is not sent twice (send answers null): makes a relay's re-send harmless. */
  id?: string;
  /** At most one job with this key waits in the queue at a time (send answers null for the others). */
  singletonKey?: string;
  /** Higher runs first (default 0). */
  priority?: number;
};

/**
 * Enqueues a job of a registered queue; answers its id, or null when de-duplicated. Send after
 * the transaction of the change commits, never inside it: pg-boss writes on a connection of its
 * own (as the database owner, not keel_app), so inside a transaction on the embedded database,
 * which has one connection, it would wait forever, and on PostgreSQL it would not roll back with
 * the change. A job that must exist exactly when a change does is an outbox event, which a relay
 * loop sends (with `id` set to the event's, so that sending twice is harmless).
 */
export type SendJob = (name: string, data: JobData, options?: SendOptions) => Promise<string | null>;

/**
 * Enqueues several jobs of one queue in one statement, so in one commit: what a relay hands over
 * at once. Answers how many were new (ids it already had are skipped, as by SendJob). The same
 * rules as SendJob: never inside a transaction.
 */
export type SendJobBatch = (name: string, jobs: readonly { data: JobData; options?: SendOptions }[]) => Promise<number>;

/** A logger: pino's, through Fastify. Log ids, never personal data or secrets. */
export type JobLogger = FastifyBaseLogger;

/** What every handler and loop is given. `db` is the connecting role: use withWorkspaceTransaction for tenant data. */
export type JobDependencies = {
  db: Database;
  config: Config;
  logger: JobLogger;
  send: SendJob;
  sendBatch: SendJobBatch;
};

/** One run of a job, as its handler sees it. */
export type JobRun<Data extends JobData = JobData> = {
  id: string;
  queue: string;
  data: Data;
  /** 0 on the first attempt, then 1, 2… */
  retryCount: number;
  /** Aborted when the run expires or the process stops: stop early, the job is retried. */
  signal: AbortSignal;
};

/**
 * A queue and its handler. A handler that throws fails the attempt: it is retried as `options`
 * say, then kept as failed for an admin to retry. The message of what it throws is stored and
 * shown to the workspace's admins, so it must name no secret and no personal data.
 */
export type JobDefinition<Data extends JobData = JobData> = {
  /** `<domain>.<verb>`, e.g. `webhooks.deliver`: letters, digits, `.`, `_`, `-`. */
  name: string;
  handler(job: JobRun<Data>, deps: JobDependencies): Promise<void>;
  options?: JobOptions;
  /** A cron expression (UTC): a job `{ workspaceId: null }` is sent on it, once across all processes. */
  schedule?: string;
};

/** What a loop's run is given: the job dependencies, and a signal aborted when the process stops. */
export type LoopDependencies = JobDependencies & { signal: AbortSignal };

/**
 * Work that must run continuously with sub-second latency (an outbox relay, an audit sealer): `run`
 * is called every `intervalMs`, never twice at once in one process (every worker process runs its
 * own loop, so claim rows with `for update skip locked` or an advisory lock). A run that throws is
 * logged (ids only) and tried again, later and later while it keeps failing (the database may be
 * away); it never ends the process. A run that answers `true` stopped with work left (a full
 * batch): the next one starts at once.
 */
export type BackgroundLoop = {
  name: string;
  intervalMs: number;
  run(deps: LoopDependencies): Promise<boolean | void>;
};
