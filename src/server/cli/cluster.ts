import cluster, { type Worker } from "node:cluster";
import type { FastifyBaseLogger } from "fastify";
import type { Config } from "../config.ts";
import { createLogger } from "../http/logging.ts";
import {
  isMetricsMessage,
  mergeMetrics,
  metricsMessages,
  type MetricFamily,
  type MetricsMessage,
} from "../http/metrics.ts";
import { loadEncryptionKey } from "../lib/secret-box.ts";
import { openMigratedDatabase } from "../main.ts";
import { seedDemoIfEmpty } from "../modules/seed/index.ts";

/** The most worker processes `--workers` accepts. */
export const maxWorkers = 64;
/** A worker that lived this long before dying was healthy: its next restart waits the least again. */
const healthyAfterMs = 60_000;
/** How long a graceful stop may take before the workers still running are killed (jobs get 20 s). */
const stopTimeoutMs = 25_000;
/** How long the primary waits for every worker's metrics before answering with those it has. */
const metricsCollectTimeoutMs = 2_000;

/** Why `--workers` above 1 refuses the embedded database. */
export const workersNeedPostgres =
  "keel serve --workers N (N > 1) needs a PostgreSQL server (DATABASE_URL): the embedded database " +
  "(KEEL_DATA_DIR) can be opened by one process only. Use --workers 1, or move to PostgreSQL.";

/** The wait before restarting a worker after `failures` short-lived runs in a row: 1 s, doubling, up to 30 s. */
export function restartDelayMs(failures: number): number {
  return Math.min(1_000 * 2 ** Math.max(0, Math.min(failures - 1, 10)), 30_000);
}

type Slot = { failures: number; worker: Worker | undefined; restart: NodeJS.Timeout | undefined };
type Gathering = { requester: Worker; waiting: Set<number>; sets: MetricFamily[][]; timer: NodeJS.Timeout };

/**
 * The primary of `keel serve --workers N`: prepares the database once (migrations, the demo on
 * first start, the encryption key file), then runs N `keel serve` workers sharing the port
 * (node:cluster). A worker that dies is restarted, after a pause that grows while restarts keep
 * failing; SIGTERM or SIGINT stops every worker gracefully, then the primary. Each worker runs the
 * background jobs too unless WORKERS=false: they are safe in several processes at once.
 */
export async function runCluster(config: Config, workers: number): Promise<void> {
  if (!config.databaseUrl) throw new Error(workersNeedPostgres);
  const logger = createLogger(config).child({ cluster: "primary" });
  // Once, before the workers, which skip it (main.ts serve).
  loadEncryptionKey(config);
  const connection = await openMigratedDatabase(config);
  try {
    if (config.isDemo) await seedDemoIfEmpty(connection.db);
  } finally {
    await connection.close();
  }

  const slots: Slot[] = Array.from({ length: workers }, () => ({ failures: 0, worker: undefined, restart: undefined }));
  const live = new Set<Worker>();
  const gatherings = new Map<string, Gathering>();
  let isStopping = false;

  const finishGathering = (requestId: string) => {
    const gathering = gatherings.get(requestId);
    if (!gathering) return;
    gatherings.delete(requestId);
    clearTimeout(gathering.timer);
    if (!gathering.requester.isConnected()) return;
    const answer: MetricsMessage = {
      type: metricsMessages.gathered,
      requestId,
      families: mergeMetrics(gathering.sets),
    };
    gathering.requester.send(answer);
  };

  /** A worker's /metrics answers for all: the primary collects every worker's and merges them. */
  const onMessage = (worker: Worker, message: unknown) => {
    if (!isMetricsMessage(message)) return;
    if (message.type === metricsMessages.gather) {
      const asked = [...live].filter((w) => w.isConnected());
      const timer = setTimeout(() => finishGathering(message.requestId), metricsCollectTimeoutMs);
      gatherings.set(message.requestId, {
        requester: worker,
        waiting: new Set(asked.map((w) => w.id)),
        sets: [],
        timer,
      });
      for (const w of asked)
        w.send({ type: metricsMessages.collect, requestId: message.requestId } satisfies MetricsMessage);
    } else if (message.type === metricsMessages.collected) {
      const gathering = gatherings.get(message.requestId);
      if (!gathering) return;
      gathering.sets.push(message.families ?? []);
      gathering.waiting.delete(worker.id);
      if (gathering.waiting.size === 0) finishGathering(message.requestId);
    }
  };

  const start = (slot: Slot) => {
    const startedAt = Date.now();
    const worker = cluster.fork();
    slot.worker = worker;
    live.add(worker);
    worker.on("message", (message: unknown) => onMessage(worker, message));
    worker.once("exit", (code, signal) => {
      live.delete(worker);
      slot.worker = undefined;
      for (const [requestId, gathering] of gatherings) {
        if (gathering.waiting.delete(worker.id) && gathering.waiting.size === 0) finishGathering(requestId);
      }
      if (isStopping) {
        if (live.size === 0) process.exit(0);
        return;
      }
      restartLater(slot, { workerPid: worker.process.pid, code, signal, livedMs: Date.now() - startedAt }, logger);
    });
  };

  const restartLater = (
    slot: Slot,
    exit: { workerPid: number | undefined; code: number | null; signal: string | null; livedMs: number },
    log: FastifyBaseLogger,
  ) => {
    slot.failures = exit.livedMs < healthyAfterMs ? slot.failures + 1 : 1;
    const restartInMs = restartDelayMs(slot.failures);
    const why = exit.signal ? `killed by ${exit.signal}` : `exited with code ${exit.code}`;
    log.error({ ...exit, restartInMs }, `worker ${exit.workerPid} ${why}; restarting it in ${restartInMs} ms`);
    slot.restart = setTimeout(() => start(slot), restartInMs);
  };

  const stop = (signal: string) => {
    if (isStopping) return;
    isStopping = true;
    logger.info({ signal, workers: live.size }, "stopping the workers");
    for (const slot of slots) clearTimeout(slot.restart);
    if (live.size === 0) process.exit(0);
    for (const worker of live) worker.process.kill("SIGTERM");
    setTimeout(() => {
      logger.error({ workers: live.size }, `workers still running after ${stopTimeoutMs} ms: killing them`);
      for (const worker of live) worker.process.kill("SIGKILL");
    }, stopTimeoutMs).unref();
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));

  slots.forEach(start);
  logger.info({ workers }, `keel serve: ${workers} workers on ${config.host}:${config.port}`);
}
