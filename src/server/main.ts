import cluster from "node:cluster";
import type { FastifyInstance } from "fastify";
import { buildApp } from "./app.ts";
import type { Config } from "./config.ts";
import { openDatabase, type DatabaseConnection } from "./db/client.ts";
import { migrate } from "./db/migrate.ts";
import { createLogger } from "./http/logging.ts";
import { backgroundLoops, jobDefinitions, startWorkers, type JobLogger, type JobRuntime } from "./jobs/index.ts";
import { seedDemoIfEmpty } from "./modules/seed/index.ts";

/** Opens the configured database and brings its schema up to date (unless `isMigrated`). */
export async function openMigratedDatabase(config: Config, isMigrated = false): Promise<DatabaseConnection> {
  const connection = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: config.databasePoolSize,
  });
  if (!isMigrated) await migrate(connection);
  return connection;
}

/** Starts the background jobs of Keel (every registered queue and loop) on an open database. */
function startJobs(
  config: Config,
  connection: DatabaseConnection,
  logger: JobLogger,
  shouldRunWorkers: boolean,
): Promise<JobRuntime> {
  return startWorkers({
    connection,
    config,
    logger,
    definitions: jobDefinitions,
    loops: backgroundLoops,
    shouldRunWorkers,
  });
}

/**
 * The `serve` process: migrate, seed the demo on first start, start the background jobs (working
 * them unless WORKERS=false), listen, and close cleanly on a signal.
 */
export async function serve(config: Config): Promise<FastifyInstance> {
  // A worker of `keel serve --workers N`: its primary migrated and seeded before starting it.
  const isPrepared = cluster.isWorker;
  const connection = await openMigratedDatabase(config, isPrepared);
  let app: FastifyInstance;
  let jobs: JobRuntime | undefined;
  try {
    if (config.isDemo && !isPrepared) await seedDemoIfEmpty(connection.db);
    jobs = await startJobs(config, connection, createLogger(config), config.shouldRunWorkers);
    app = await buildApp(config, { db: connection.db, jobs });
  } catch (error) {
    await jobs?.stop();
    await connection.close();
    throw error;
  }
  const runtime = jobs;
  // From the start of closing, no new job or loop run begins; requests still in flight may still send jobs.
  app.addHook("preClose", async () => runtime.stopWorking());
  /**
   * Closes in order: HTTP (requests in flight, then the work after their answers), then the jobs
   * (active ones finish or are released), then the database. After app.close(), not in an onClose
   * hook: those run in reverse order of registration, before the app's own.
   */
  const close = async () => {
    try {
      await app.close();
    } finally {
      await runtime.stop();
      await connection.close();
    }
  };
  if (!config.databaseUrl && !config.shouldRunWorkers) {
    app.log.warn(
      "WORKERS=false with the embedded database: no process runs background jobs (keel worker needs " +
        "DATABASE_URL). They wait until Keel is started with WORKERS=true.",
    );
  }
  if (config.isDemo && config.env === "production") {
    // At error level, so that a production log level (warn, error) still shows it.
    app.log.error(
      "DEMO MODE IS ON IN PRODUCTION (KEEL_DEMO=true): the demo accounts have a published password and " +
        "the sign-in page lists them. Anyone can sign in. Unset KEEL_DEMO unless this server is a public demo.",
    );
  }
  let isShuttingDown = false;
  // SIGINT and SIGTERM may both come (Ctrl-C reaches a cluster's workers and its primary, which
  // forwards SIGTERM): one close only.
  const shutdown = (signal: string) => {
    if (isShuttingDown) return;
    isShuttingDown = true;
    app.log.info({ signal }, "shutting down");
    close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  // `on`, not `once`: a second signal must find this handler, not Node's default that ends the process.
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    await close();
    throw error;
  }
  return app;
}

/** Why `keel worker` refuses the embedded database. */
export const workerNeedsPostgres =
  "keel worker needs a PostgreSQL server (DATABASE_URL). The embedded database (KEEL_DATA_DIR) can be " +
  "opened by one process only, and keel serve already runs the background jobs in that process (unless " +
  "WORKERS=false). To run jobs in processes of their own, move to PostgreSQL.";

/**
 * The `worker` process: migrate, then run the background jobs (queues and loops) until a signal,
 * with no HTTP server; as many as needed, beside `keel serve` processes with WORKERS=false.
 */
export async function work(config: Config): Promise<JobRuntime> {
  if (!config.databaseUrl) throw new Error(workerNeedsPostgres);
  const logger = createLogger(config);
  const connection = await openMigratedDatabase(config);
  let jobs: JobRuntime;
  try {
    jobs = await startJobs(config, connection, logger, true);
  } catch (error) {
    await connection.close();
    throw error;
  }
  const shutdown = (signal: string) => {
    logger.info({ signal }, "shutting down");
    jobs
      .stop()
      .finally(() => connection.close())
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
  return jobs;
}
