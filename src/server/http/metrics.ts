import cluster from "node:cluster";
import { createHash, randomUUID, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { sql } from "drizzle-orm";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import { poolOf, type Database } from "../db/client.ts";
import { cacheCounters, type CacheCounters } from "../lib/cache.ts";
import { AppError } from "../lib/errors.ts";
import { bearerTokenOf } from "./authentication.ts";

/**
 * Prometheus metrics (text format 0.0.4) at `/metrics`, when METRICS=true: request durations per
 * route, the database pool, caches, the outbox's lag and the process. Written here rather than
 * taken from a library: the format is a few lines, and a cluster's workers merge theirs through
 * the primary (cli/cluster.ts) so that any worker answers for all of them.
 */

/** One line of a family: `<name><suffix>{labels} value`. */
export type MetricSample = { suffix?: string; labels: Readonly<Record<string, string>>; value: number };

/** A metric and its samples; `merge` says how the samples of several processes combine. */
export type MetricFamily = {
  name: string;
  help: string;
  type: "counter" | "gauge" | "histogram";
  merge: "sum" | "max" | "min";
  samples: MetricSample[];
};

const contentType = "text/plain; version=0.0.4; charset=utf-8";
/** Request durations in seconds: from a cached answer to a slow export page. */
const durationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** How long a scrape waits for the outbox query: a slow database must not hang the scraper. */
const lagQueryTimeoutMs = 2_000;
/** How long a cluster worker waits for the primary's merged answer before answering its own. */
const clusterGatherTimeoutMs = 5_000;

/** The messages by which a cluster's workers and primary merge their metrics (see cli/cluster.ts). */
export const metricsMessages = {
  /** worker → primary: gather every worker's metrics for me. */
  gather: "keel:metrics:gather",
  /** primary → every worker: send me your metrics. */
  collect: "keel:metrics:collect",
  /** worker → primary: my metrics. */
  collected: "keel:metrics:collected",
  /** primary → the asking worker: everyone's metrics, merged. */
  gathered: "keel:metrics:gathered",
} as const;

export type MetricsMessage = { type: string; requestId: string; families?: MetricFamily[] };

export function isMetricsMessage(message: unknown): message is MetricsMessage {
  return (
    typeof message === "object" &&
    message !== null &&
    typeof (message as { type?: unknown }).type === "string" &&
    (message as { type: string }).type.startsWith("keel:metrics:") &&
    typeof (message as { requestId?: unknown }).requestId === "string"
  );
}

// ---------------------------------------------------------------------------------------------
// The text format

const escapeLabel = (value: string) => value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");

function formatValue(value: number): string {
  if (value === Infinity) return "+Inf";
  if (value === -Infinity) return "-Inf";
  return Number.isNaN(value) ? "NaN" : String(value);
}

function formatLabels(labels: Readonly<Record<string, string>>): string {
  const pairs = Object.entries(labels).map(([name, value]) => `${name}="${escapeLabel(value)}"`);
  return pairs.length > 0 ? `{${pairs.join(",")}}` : "";
}

/** The Prometheus text of the families, each with its HELP and TYPE lines. */
export function renderMetrics(families: readonly MetricFamily[]): string {
  const lines: string[] = [];
  for (const family of families) {
    lines.push(`# HELP ${family.name} ${family.help.replace(/\\/g, "\\\\").replace(/\n/g, "\\n")}`);
    lines.push(`# TYPE ${family.name} ${family.type}`);
    for (const sample of family.samples) {
      lines.push(`${family.name}${sample.suffix ?? ""}${formatLabels(sample.labels)} ${formatValue(sample.value)}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

/** Several processes' families as one set: samples of the same series combined by their family's `merge`. */
export function mergeMetrics(sets: readonly (readonly MetricFamily[])[]): MetricFamily[] {
  const families = new Map<string, { family: MetricFamily; series: Map<string, MetricSample> }>();
  for (const set of sets) {
    for (const family of set) {
      let entry = families.get(family.name);
      if (!entry) {
        entry = { family: { ...family, samples: [] }, series: new Map() };
        families.set(family.name, entry);
      }
      for (const sample of family.samples) {
        const key = `${sample.suffix ?? ""}${formatLabels(sample.labels)}`;
        const seen = entry.series.get(key);
        if (!seen) {
          const copy = { ...sample };
          entry.series.set(key, copy);
          entry.family.samples.push(copy);
        } else if (family.merge === "sum") seen.value += sample.value;
        else if (family.merge === "max") seen.value = Math.max(seen.value, sample.value);
        else seen.value = Math.min(seen.value, sample.value);
      }
    }
  }
  return [...families.values()].map((entry) => entry.family);
}

// ---------------------------------------------------------------------------------------------
// What one process measures

type DurationSeries = { labels: Record<string, string>; counts: number[]; sum: number; count: number };

/** The request duration histogram: per route pattern, method and status class. */
class RequestDurations {
  private readonly series = new Map<string, DurationSeries>();

  observe(route: string, method: string, statusCode: number, seconds: number): void {
    const labels = { route, method, status_class: `${Math.floor(statusCode / 100)}xx` };
    const key = `${route} ${method} ${labels.status_class}`;
    let series = this.series.get(key);
    if (!series) {
      series = { labels, counts: durationBuckets.map(() => 0), sum: 0, count: 0 };
      this.series.set(key, series);
    }
    const bucket = durationBuckets.findIndex((bound) => seconds <= bound);
    if (bucket >= 0) series.counts[bucket] = (series.counts[bucket] ?? 0) + 1;
    series.sum += seconds;
    series.count++;
  }

  family(): MetricFamily {
    const samples: MetricSample[] = [];
    for (const { labels, counts, sum, count } of this.series.values()) {
      let cumulative = 0;
      durationBuckets.forEach((bound, index) => {
        cumulative += counts[index] ?? 0;
        samples.push({ suffix: "_bucket", labels: { ...labels, le: String(bound) }, value: cumulative });
      });
      samples.push({ suffix: "_bucket", labels: { ...labels, le: "+Inf" }, value: count });
      samples.push({ suffix: "_sum", labels, value: sum });
      samples.push({ suffix: "_count", labels, value: count });
    }
    return {
      name: "keel_http_request_duration_seconds",
      help: "HTTP request duration by route pattern, method and status class.",
      type: "histogram",
      merge: "sum",
      samples,
    };
  }
}

const gauge = (name: string, help: string, value: number, merge: MetricFamily["merge"] = "sum"): MetricFamily => ({
  name,
  help,
  type: "gauge",
  merge,
  samples: [{ labels: {}, value }],
});

const counter = (name: string, help: string, samples: MetricSample[]): MetricFamily => ({
  name,
  help,
  type: "counter",
  merge: "sum",
  samples,
});

function processFamilies(eventLoopDelay: ReturnType<typeof monitorEventLoopDelay>): MetricFamily[] {
  const cpu = process.cpuUsage();
  const memory = process.memoryUsage();
  const lagP99Seconds = eventLoopDelay.count > 0 ? eventLoopDelay.percentile(99) / 1e9 : 0;
  eventLoopDelay.reset();
  return [
    {
      ...gauge("keel_process_info", "One per running Keel process, by process id.", 1),
      samples: [{ labels: { pid: String(process.pid) }, value: 1 }],
    },
    counter("process_cpu_user_seconds_total", "User CPU time spent, in seconds.", [
      { labels: {}, value: cpu.user / 1e6 },
    ]),
    counter("process_cpu_system_seconds_total", "System CPU time spent, in seconds.", [
      { labels: {}, value: cpu.system / 1e6 },
    ]),
    gauge("process_resident_memory_bytes", "Resident memory size, in bytes.", memory.rss),
    gauge(
      "process_start_time_seconds",
      "Start time of the process since the Unix epoch, in seconds (the earliest of a cluster).",
      Math.round((Date.now() - process.uptime() * 1000) / 1000),
      "min",
    ),
    gauge("nodejs_heap_size_used_bytes", "V8 heap in use, in bytes.", memory.heapUsed),
    gauge("nodejs_heap_size_total_bytes", "V8 heap allocated, in bytes.", memory.heapTotal),
    gauge(
      "nodejs_eventloop_lag_p99_seconds",
      "99th percentile of the event loop's delay since the previous scrape, in seconds (the worst process).",
      lagP99Seconds,
      "max",
    ),
  ];
}

function poolFamilies(db: Database): MetricFamily[] {
  const pool = poolOf(db);
  if (!pool) return [];
  return [
    gauge(
      "keel_db_pool_in_use_connections",
      "Pool connections checked out by a query or transaction.",
      pool.totalCount - pool.idleCount,
    ),
    gauge("keel_db_pool_idle_connections", "Pool connections open and idle.", pool.idleCount),
    gauge(
      "keel_db_pool_waiting_requests",
      "Queries and transactions waiting for a pool connection.",
      pool.waitingCount,
    ),
  ];
}

/** Every cache of this process (lib/cache.ts), by name. */
function cacheFamilies(): MetricFamily[] {
  const caches = Object.entries(cacheCounters());
  if (caches.length === 0) return [];
  const samplesOf = (read: (counters: CacheCounters) => number) =>
    caches.map(([cache, counters]) => ({ labels: { cache }, value: read(counters) }));
  return [
    counter(
      "keel_cache_hits_total",
      "Answers found in a cache (in this process or in Redis).",
      samplesOf((c) => c.hits),
    ),
    counter(
      "keel_cache_misses_total",
      "Answers not found in a cache, so computed.",
      samplesOf((c) => c.misses),
    ),
    counter(
      "keel_cache_redis_errors_total",
      "Redis reads or writes of a cache that failed (answered as misses).",
      samplesOf((c) => c.redisErrors),
    ),
  ];
}

/**
 * The age of the oldest unpublished outbox event (0 when none waits): how far webhooks lag behind
 * the changes. Read as the connecting role, which sees every workspace's events, through the index
 * of unpublished events; null when the database does not answer in time.
 */
export async function readEventLagSeconds(db: Database): Promise<number | null> {
  try {
    return await db.transaction(async (tx) => {
      await tx.execute(sql.raw(`set local statement_timeout = ${lagQueryTimeoutMs}`));
      const result = (await tx.execute(
        sql`select extract(epoch from now() - created_at)::float8 as lag from outbox_events
            where published_at is null order by seq limit 1`,
      )) as unknown as { rows: { lag: number }[] };
      return Math.max(0, Number(result.rows[0]?.lag ?? 0));
    });
  } catch {
    return null;
  }
}

/** Everything this process measures, as families. */
async function collectOwn(app: FastifyInstance, state: MetricsState): Promise<MetricFamily[]> {
  const lag = await readEventLagSeconds(app.db);
  return [
    state.durations.family(),
    ...poolFamilies(app.db),
    ...cacheFamilies(),
    ...(lag === null
      ? []
      : [gauge("keel_outbox_lag_seconds", "Age of the oldest unpublished outbox event, in seconds.", lag, "max")]),
    ...processFamilies(state.eventLoopDelay),
  ];
}

type MetricsState = {
  durations: RequestDurations;
  eventLoopDelay: ReturnType<typeof monitorEventLoopDelay>;
};

// ---------------------------------------------------------------------------------------------
// Serving

/** Compares in constant time (digests first, so the length of the token leaks nothing either). */
export function isMetricsTokenValid(given: string | null, expected: string | undefined): boolean {
  if (expected === undefined) return true;
  if (given === null) return false;
  const digest = (text: string) => createHash("sha256").update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * In a cluster worker: every worker's metrics merged, through the primary; alone (or when the
 * primary does not answer in time): this process's own.
 */
function gatherMetrics(collect: () => Promise<MetricFamily[]>): Promise<MetricFamily[]> {
  const send = process.send?.bind(process);
  if (!cluster.isWorker || !send) return collect();
  const requestId = randomUUID();
  return new Promise((resolve) => {
    const done = (families: Promise<MetricFamily[]> | MetricFamily[]) => {
      clearTimeout(timer);
      process.off("message", onMessage);
      resolve(families);
    };
    const onMessage = (message: unknown) => {
      if (isMetricsMessage(message) && message.type === metricsMessages.gathered && message.requestId === requestId) {
        done(message.families ?? []);
      }
    };
    const timer = setTimeout(() => done(collect()), clusterGatherTimeoutMs);
    process.on("message", onMessage);
    send({ type: metricsMessages.gather, requestId } satisfies MetricsMessage);
  });
}

/** A cluster worker answers the primary's requests for its metrics. Returns how to stop. */
function answerPrimary(collect: () => Promise<MetricFamily[]>): () => void {
  const send = process.send?.bind(process);
  if (!cluster.isWorker || !send) return () => {};
  const onMessage = (message: unknown) => {
    if (!isMetricsMessage(message) || message.type !== metricsMessages.collect) return;
    void collect().then((families) =>
      send({ type: metricsMessages.collected, requestId: message.requestId, families } satisfies MetricsMessage),
    );
  };
  process.on("message", onMessage);
  return () => process.off("message", onMessage);
}

/** A listener of their own for the metrics (METRICS_PORT): GET /metrics, nothing else. */
function createMetricsServer(token: string | undefined, gather: () => Promise<MetricFamily[]>): Server {
  return createServer((request: IncomingMessage, response: ServerResponse) => {
    const path = (request.url ?? "").split("?")[0];
    if (path !== "/metrics" || (request.method !== "GET" && request.method !== "HEAD")) {
      response.writeHead(404, { "content-type": "text/plain" }).end("Not found\n");
      return;
    }
    if (!isMetricsTokenValid(bearerTokenOf(request), token)) {
      response.writeHead(401, { "content-type": "text/plain", "www-authenticate": "Bearer" }).end("Unauthorized\n");
      return;
    }
    gather().then(
      (families) => response.writeHead(200, { "content-type": contentType }).end(renderMetrics(families)),
      () => response.writeHead(500, { "content-type": "text/plain" }).end("Metrics failed\n"),
    );
  });
}

/**
 * Measures every request and serves `/metrics` as the configuration says: on the main port behind
 * METRICS_TOKEN, or on METRICS_HOST:METRICS_PORT (opened when the app listens). Nothing when
 * METRICS is off.
 */
export const metricsPlugin = fp(async (app: FastifyInstance) => {
  const settings = app.config.metrics;
  if (!settings.isEnabled) return;
  const state: MetricsState = { durations: new RequestDurations(), eventLoopDelay: monitorEventLoopDelay() };
  state.eventLoopDelay.enable();
  const collect = () => collectOwn(app, state);
  const gather = () => gatherMetrics(collect);
  const stopAnswering = answerPrimary(collect);

  app.addHook("onResponse", async (request: FastifyRequest, reply: FastifyReply) => {
    state.durations.observe(
      request.routeOptions.url ?? "unmatched",
      request.method,
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
  });

  let server: Server | undefined;
  if (settings.port === undefined) {
    if (!settings.token && app.config.env !== "test") {
      app.log.warn("METRICS=true without METRICS_TOKEN or METRICS_PORT: /metrics is open to anyone reaching this port");
    }
    app.get("/metrics", { schema: { hide: true } }, async (request, reply) => {
      if (!isMetricsTokenValid(bearerTokenOf(request), settings.token)) {
        reply.header("www-authenticate", "Bearer");
        throw new AppError("unauthenticated", "Send the metrics token as Authorization: Bearer.");
      }
      return reply.type(contentType).send(renderMetrics(await gather()));
    });
  } else {
    const port = settings.port;
    // On ready rather than on listen: a port already taken fails the start instead of a log line.
    app.addHook("onReady", async () => {
      server = createMetricsServer(settings.token, gather);
      await new Promise<void>((resolve, reject) => {
        server?.once("error", reject);
        server?.listen({ host: settings.host, port }, resolve);
      });
    });
  }

  app.addHook("onClose", async () => {
    stopAnswering();
    state.eventLoopDelay.disable();
    if (!server?.listening) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server?.close(() => resolve()));
  });
});
