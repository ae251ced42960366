import { PgBoss, fromPglite, type ConstructorOptions, type Job as QueuedJob } from "pg-boss";
import type { Config } from "../config.ts";
import type { DatabaseConnection } from "../db/client.ts";
import { describeError } from "../http/logging.ts";
import type {
  BackgroundLoop,
  JobData,
  JobDefinition,
  JobDependencies,
  JobLogger,
  JobOptions,
  SendJob,
  SendJobBatch,
} from "./definitions.ts";
import { startLoop, type RunningLoop } from "./loop.ts";

/** The PostgreSQL schema pg-boss keeps its tables in, on PGlite and on a server alike. */
export const jobsSchema = "pgboss";

/** The longest message of a failure kept with a job (and shown to admins). */
const maxFailureMessageLength = 500;

/** What request handlers use: enqueue a job, and queue a failed one again. */
export type Jobs = {
  send: SendJob;
  /** Queues a failed job again, with one more attempt; false when it is not (or no longer) failed. */
  retry(queue: string, id: string): Promise<boolean>;
};

/** Jobs of an app built without a job runtime: sending or retrying one fails loudly, as nothing would run it. */
export const jobsNotStarted: Jobs = {
  send: (name) => Promise.reject(new Error(`Cannot send a "${name}" job: this app was built without background jobs`)),
  retry: () => Promise.reject(new Error("Cannot retry a job: this app was built without background jobs")),
};

/** A started job runtime: Jobs, sending a batch (as loops do), and its two steps of stopping. */
export type JobRuntime = Jobs & {
  sendBatch: SendJobBatch;
  /** Takes no new work: loops are aborted and workers stop fetching. Active jobs go on, `send` still works. */
  stopWorking(): void;
  /**
   * Stops everything: active jobs and loop runs get `stopTimeoutMs` to finish, then jobs still
   * running fail (pg-boss retries them in another process or after the restart); disconnects.
   */
  stop(): Promise<void>;
};

export type StartWorkersOptions = {
  connection: DatabaseConnection;
  config: Config;
  logger: JobLogger;
  definitions: readonly JobDefinition[];
  loops: readonly BackgroundLoop[];
  /**
   * false: only send (a web process with WORKERS=false): no workers, loops, schedules or pg-boss
   * maintenance. Default true.
   */
  shouldRunWorkers?: boolean;
  /** How long stop() waits for active jobs and loop runs (default 20 s, under the usual 30 s of a SIGTERM). */
  stopTimeoutMs?: number;
};

const queueOptionNames = [
  "retryLimit",
  "retryDelay",
  "retryBackoff",
  "retryDelayMax",
  "expireInSeconds",
  "deleteAfterSeconds",
  "retentionSeconds",
] as const satisfies readonly (keyof JobOptions)[];

function queueOptionsOf(options: JobOptions = {}) {
  return Object.fromEntries(
    queueOptionNames.filter((name) => options[name] !== undefined).map((name) => [name, options[name]]),
  );
}

function assertValid(definitions: readonly JobDefinition[], loops: readonly BackgroundLoop[]): void {
  const names = definitions.map((definition) => definition.name);
  for (const name of names) {
    if (!/^[\w.-]{1,100}$/.test(name)) throw new Error(`Job queue name "${name}": letters, digits, ".", "_", "-" only`);
  }
  const loopNames = loops.map((loop) => loop.name);
  const twice = [...names, ...loopNames.map((name) => `loop ${name}`)].filter(
    (name, index, all) => all.indexOf(name) !== index,
  );
  if (twice.length > 0) throw new Error(`Registered twice: ${twice.join(", ")}`);
  for (const loop of loops) {
    if (!(loop.intervalMs > 0)) throw new Error(`Background loop "${loop.name}": intervalMs must be positive`);
  }
}

/**
 * What a failed attempt keeps as its output, and admins read: the error's message with the
 * database's withheld (it quotes the values that failed), cut short, and the stack frames.
 * Whatever else the error carried (a driver's detail, a response body) is not kept.
 */
function toStoredFailure(error: unknown): Error {
  const described = describeError(error);
  const failure = new Error(described.message.slice(0, maxFailureMessageLength));
  failure.name = described.type;
  failure.stack = `${failure.name}: ${failure.message}\n${described.stack}`;
  return failure;
}

/**
 * pg-boss reports some errors as plain copies (`{ ...error, message, stack, queue }`): back to an
 * Error, so the log describes it like any other (a database error by its SQLSTATE only).
 */
function fromReport(reported: unknown): { error: unknown; queue: string | undefined } {
  if (reported instanceof Error || !reported || typeof reported !== "object")
    return { error: reported, queue: undefined };
  // `worker` (an instance id) is left out: the queue says enough.
  const { message, stack, queue, ...fields } = reported as Record<string, unknown>;
  delete fields.worker;
  const error = Object.assign(new Error(typeof message === "string" ? message : "job queue error"), fields);
  if (typeof stack === "string") error.stack = stack;
  return { error, queue: typeof queue === "string" ? queue : undefined };
}

function bossOptions(connection: DatabaseConnection, shouldRunWorkers: boolean): ConstructorOptions {
  // Only processes that work run pg-boss's maintenance and fire schedules; a sending process only sends.
  const roles = { schema: jobsSchema, supervise: shouldRunWorkers, schedule: shouldRunWorkers, migrate: true };
  if (connection.driver.kind === "pglite") {
    return { ...roles, db: fromPglite(connection.driver.client), backend: "pglite" };
  }
  // A pool of its own on the same server, as the connecting role (the schema's owner), never keel_app.
  return { ...roles, connectionString: connection.driver.url, application_name: "keel-jobs", max: 5 };
}

/**
 * Starts the background job runtime on pg-boss, in the database Keel already uses (its own
 * schema, `pgboss`): creates every registered queue, and, unless `shouldRunWorkers` is false,
 * works them, keeps their cron schedules and runs the background loops. `send` works either way.
 */
export async function startWorkers(options: StartWorkersOptions): Promise<JobRuntime> {
  const { connection, config, logger, definitions, loops } = options;
  const shouldRunWorkers = options.shouldRunWorkers ?? true;
  const stopTimeoutMs = options.stopTimeoutMs ?? 20_000;
  assertValid(definitions, loops);

  const boss = new PgBoss(bossOptions(connection, shouldRunWorkers));
  // Unheard, an "error" event would end the process: pg-boss reports a lost database here and goes on.
  boss.on("error", (reported) => {
    const { error, queue } = fromReport(reported);
    logger.error({ err: error, ...(queue ? { queue } : {}) }, "job queue error");
  });
  // Only the message: a slow-query warning's data holds the statement's values.
  boss.on("warning", (warning) => logger.warn({ warning: warning.message }, "job queue warning"));
  await boss.start();

  const queueNames = new Set(definitions.map((definition) => definition.name));
  const send: SendJob = async (name, data, sendOptions = {}) => {
    if (!queueNames.has(name)) throw new Error(`No job queue "${name}" is registered (src/server/jobs/registry.ts)`);
    if ((data as Partial<JobData>).workspaceId === undefined) {
      throw new Error(`A job of "${name}" must say its workspaceId (null for work of the whole server)`);
    }
    return boss.send(name, data, sendOptions);
  };
  const sendBatch: SendJobBatch = async (name, jobs) => {
    if (!queueNames.has(name)) throw new Error(`No job queue "${name}" is registered (src/server/jobs/registry.ts)`);
    if (jobs.some((job) => (job.data as Partial<JobData>).workspaceId === undefined)) {
      throw new Error(`A job of "${name}" must say its workspaceId (null for work of the whole server)`);
    }
    if (jobs.length === 0) return 0;
    const inserted = await boss.insert(
      name,
      jobs.map(({ data, options = {} }) => ({
        data,
        ...(options.id === undefined ? {} : { id: options.id }),
        ...(options.startAfter === undefined ? {} : { startAfter: options.startAfter }),
        ...(options.singletonKey === undefined ? {} : { singletonKey: options.singletonKey }),
        ...(options.priority === undefined ? {} : { priority: options.priority }),
      })),
      { returnId: true },
    );
    return inserted?.length ?? 0;
  };
  const deps: JobDependencies = { db: connection.db, config, logger, send, sendBatch };

  try {
    for (const definition of definitions) {
      const queueOptions = queueOptionsOf(definition.options);
      await boss.createQueue(definition.name, queueOptions);
      // An existing queue takes the options the code gives it now.
      if (shouldRunWorkers && Object.keys(queueOptions).length > 0) {
        await boss.updateQueue(definition.name, queueOptions);
      }
    }
    if (shouldRunWorkers) {
      for (const definition of definitions) await work(boss, definition, deps);
      await keepSchedules(boss, definitions);
    }
  } catch (error) {
    await boss.stop({ graceful: false });
    throw error;
  }

  const runningLoops: RunningLoop[] = shouldRunWorkers ? loops.map((loop) => startLoop(loop, deps)) : [];
  logger.info(
    { queues: [...queueNames], loops: shouldRunWorkers ? loops.map((loop) => loop.name) : [], shouldRunWorkers },
    shouldRunWorkers ? "background jobs running" : "background jobs: sending only (WORKERS=false)",
  );

  let loopsStopped: Promise<unknown> | undefined;
  let stopped: Promise<void> | undefined;
  const stopWorking = () => {
    if (loopsStopped) return;
    loopsStopped = Promise.all(runningLoops.map((loop) => loop.stop(stopTimeoutMs)));
    for (const name of queueNames) {
      boss.offWork(name, { wait: false }).catch((error: unknown) => logger.error({ err: error }, "job queue error"));
    }
  };
  return {
    send,
    sendBatch,
    async retry(queue, id) {
      const result = (await boss.retry(queue, id)) as { affected?: number };
      return (result.affected ?? 0) > 0;
    },
    stopWorking,
    stop() {
      stopped ??= (async () => {
        stopWorking();
        await Promise.all([loopsStopped, boss.stop({ graceful: true, timeout: stopTimeoutMs })]);
        logger.info("background jobs stopped");
      })();
      return stopped;
    },
  };
}

/** Works one queue: each job through its definition's handler, failures logged (ids only) and kept safe. */
async function work(boss: PgBoss, definition: JobDefinition, deps: JobDependencies): Promise<void> {
  const { concurrency = 1, pollingIntervalSeconds = 2, batchSize = 1 } = definition.options ?? {};
  const run = async (job: QueuedJob<JobData>) => {
    const logger = deps.logger.child({ queue: definition.name, jobId: job.id });
    try {
      await definition.handler(
        { id: job.id, queue: definition.name, data: job.data, retryCount: job.retryCount, signal: job.signal },
        { ...deps, logger },
      );
    } catch (error) {
      logger.warn({ err: error, retryCount: job.retryCount }, "job attempt failed");
      throw toStoredFailure(error);
    }
  };
  const polling = { localConcurrency: concurrency, pollingIntervalSeconds };
  if (batchSize <= 1) {
    await boss.work<JobData>(definition.name, { ...polling, batchSize: 1 }, async (jobs: QueuedJob<JobData>[]) => {
      for (const job of jobs) await run(job);
    });
    return;
  }
  // A batch's jobs run side by side and each is completed or failed (and retried) on its own.
  await boss.work<JobData>(
    definition.name,
    { ...polling, batchSize, burstWhenBatchFull: true, perJobResults: true },
    async (jobs: QueuedJob<JobData>[]) =>
      Promise.all(
        jobs.map((job) =>
          run(job).then(
            () => ({ id: job.id, status: "completed" as const }),
            (failure: unknown) => ({ id: job.id, status: "failed" as const, output: failure }),
          ),
        ),
      ),
  );
}

/** Cron schedules as the definitions say: new ones added, changed ones updated, removed ones dropped. */
async function keepSchedules(boss: PgBoss, definitions: readonly JobDefinition[]): Promise<void> {
  const scheduled = definitions.filter((definition) => definition.schedule);
  for (const definition of scheduled) {
    if (definition.schedule) await boss.schedule(definition.name, definition.schedule, { workspaceId: null });
  }
  const kept = new Set(scheduled.map((definition) => definition.name));
  for (const schedule of await boss.getSchedules()) {
    if (!kept.has(schedule.name)) await boss.unschedule(schedule.name, schedule.key);
  }
}
