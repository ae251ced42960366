import { eq } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { outboxEvents } from "../modules/outbox/outbox.table.ts";
import { createTestApp, createTestWorkspace, testDatabase, type TestWorkspace } from "../test/create-test-app.ts";
import { freePort, sleep } from "../test/ports.ts";
import { createCache } from "../lib/cache.ts";
import { mergeMetrics, renderMetrics, type MetricFamily } from "./metrics.ts";

// eslint-disable-next-line n/no-process-env -- tests choose their database like CI does
const isPostgres = Boolean(process.env.TEST_DATABASE_URL);
const token = "metrics-token-0123456789abcdef";

/** The value of one sample line (`name{labels}`) in a Prometheus text answer, or undefined. */
function valueOf(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe("GET /metrics on the main port (METRICS=true, METRICS_TOKEN)", () => {
  let app: FastifyInstance;
  let workspace: TestWorkspace;

  beforeAll(async () => {
    app = await createTestApp({ env: { METRICS: "true", METRICS_TOKEN: token } });
    workspace = await createTestWorkspace(app);
  });
  afterAll(() => app.close());

  const scrape = () => app.inject({ method: "GET", url: "/metrics", headers: { authorization: `Bearer ${token}` } });

  it("answers 401 problem+json without the token or with another one", async () => {
    for (const headers of [
      {},
      { authorization: "Bearer not-the-metrics-token-at-all" },
      { authorization: "Basic x" },
    ]) {
      const response = await app.inject({ method: "GET", url: "/metrics", headers });
      expect(response.statusCode).toBe(401);
      expect(response.headers["content-type"]).toMatch(/^application\/problem\+json/);
      expect(response.headers["www-authenticate"]).toBe("Bearer");
      expect(response.body).not.toContain("keel_");
    }
  });

  it("answers the Prometheus text format with the token", async () => {
    const response = await scrape();
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toBe("text/plain; version=0.0.4; charset=utf-8");
    expect(response.body).toContain("# TYPE keel_http_request_duration_seconds histogram");
    expect(response.body).toContain(`keel_process_info{pid="${process.pid}"} 1`);
    expect(valueOf(response.body, "process_resident_memory_bytes")).toBeGreaterThan(0);
    expect(valueOf(response.body, "process_start_time_seconds")).toBeGreaterThan(1_600_000_000);
  });

  it("times requests per route pattern, method and status class, never per URL", async () => {
    const missing = "0190f6c2-0000-7000-8000-000000000000";
    for (let i = 0; i < 3; i++)
      expect((await workspace.admin.client.get(`/api/v1/contacts/${missing}`)).statusCode).toBe(404);
    expect((await workspace.admin.client.get("/api/v1/contacts")).statusCode).toBe(200);
    const { body } = await scrape();
    const series = (route: string, status: string) =>
      `keel_http_request_duration_seconds_count{route="${route}",method="GET",status_class="${status}"}`;
    expect(valueOf(body, series("/api/v1/contacts/:id", "4xx"))).toBe(3);
    expect(valueOf(body, series("/api/v1/contacts", "2xx"))).toBe(1);
    expect(
      valueOf(
        body,
        'keel_http_request_duration_seconds_bucket{route="/api/v1/contacts/:id",method="GET",status_class="4xx",le="+Inf"}',
      ),
    ).toBe(3);
    expect(body).not.toContain(missing);
  });

  it("reports the pool's connections on PostgreSQL, and no pool on the embedded database", async () => {
    const { body } = await scrape();
    if (isPostgres) {
      expect(valueOf(body, "keel_db_pool_in_use_connections")).toBeGreaterThanOrEqual(0);
      expect(valueOf(body, "keel_db_pool_idle_connections")).toBeGreaterThanOrEqual(0);
      expect(valueOf(body, "keel_db_pool_waiting_requests")).toBe(0);
    } else {
      expect(body).not.toContain("keel_db_pool_");
    }
  });

  it("reports the age of the oldest unpublished outbox event", async () => {
    const created = await workspace.admin.client.post("/api/v1/contacts", { firstName: "Lag", lastName: "Probe" });
    expect(created.statusCode).toBe(201);
    await sleep(1_100);
    const lag = valueOf((await scrape()).body, "keel_outbox_lag_seconds");
    const { db } = await testDatabase();
    const events = await db
      .select({ publishedAt: outboxEvents.publishedAt })
      .from(outboxEvents)
      .where(eq(outboxEvents.resourceId, (created.json() as { id: string }).id));
    expect(events.length).toBeGreaterThan(0);
    // No relay runs in this test app; on a shared PostgreSQL server another test's relay may have
    // published the event meanwhile, and then only an older one could hold the lag up.
    if (events.every((event) => event.publishedAt === null)) expect(lag).toBeGreaterThanOrEqual(1);
    else expect(lag).toBeGreaterThanOrEqual(0);
  });

  it("reports the hits and misses of every cache", async () => {
    const cache = createCache<number>({ name: "metrics-probe", ttlMs: 60_000 });
    expect(await cache.get("answer")).toBeUndefined();
    await cache.set("answer", 42);
    expect(await cache.get("answer")).toBe(42);
    expect(await cache.get("answer")).toBe(42);
    const { body } = await scrape();
    expect(valueOf(body, 'keel_cache_hits_total{cache="metrics-probe"}')).toBe(2);
    expect(valueOf(body, 'keel_cache_misses_total{cache="metrics-probe"}')).toBe(1);
    expect(valueOf(body, 'keel_cache_redis_errors_total{cache="metrics-probe"}')).toBe(0);
  });
});

describe("GET /metrics on a listener of its own (METRICS_PORT)", () => {
  it("serves the metrics on METRICS_HOST:METRICS_PORT only, behind the token when one is set", async () => {
    const port = await freePort();
    const app = await createTestApp({ env: { METRICS: "true", METRICS_PORT: String(port), METRICS_TOKEN: token } });
    try {
      const url = `http://127.0.0.1:${port}/metrics`;
      const scraped = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
      expect(scraped.status).toBe(200);
      expect(await scraped.text()).toContain("# TYPE keel_process_info gauge");
      expect((await fetch(url)).status).toBe(401);
      expect((await fetch(`http://127.0.0.1:${port}/api/v1/auth/options`)).status).toBe(404);
      const mainPort = await app.inject({
        method: "GET",
        url: "/metrics",
        headers: { authorization: `Bearer ${token}` },
      });
      expect(mainPort.body).not.toContain("keel_process_info");
    } finally {
      await app.close();
    }
    await expect(fetch(`http://127.0.0.1:${port}/metrics`)).rejects.toThrow();
  });
});

describe("GET /metrics with METRICS off (the default)", () => {
  it("serves no metrics", async () => {
    const app = await createTestApp();
    try {
      const response = await app.inject({ method: "GET", url: "/metrics" });
      expect(response.body).not.toContain("# TYPE");
    } finally {
      await app.close();
    }
  });
});

describe("mergeMetrics", () => {
  const processSet = (pid: string, requests: number, lag: number, start: number): MetricFamily[] => [
    {
      name: "keel_process_info",
      help: "One per process.",
      type: "gauge",
      merge: "sum",
      samples: [{ labels: { pid }, value: 1 }],
    },
    {
      name: "keel_http_request_duration_seconds",
      help: "Durations.",
      type: "histogram",
      merge: "sum",
      samples: [
        { suffix: "_bucket", labels: { route: "/x", le: "+Inf" }, value: requests },
        { suffix: "_count", labels: { route: "/x" }, value: requests },
      ],
    },
    {
      name: "keel_outbox_lag_seconds",
      help: "Lag.",
      type: "gauge",
      merge: "max",
      samples: [{ labels: {}, value: lag }],
    },
    {
      name: "process_start_time_seconds",
      help: "Start.",
      type: "gauge",
      merge: "min",
      samples: [{ labels: {}, value: start }],
    },
  ];

  it("adds counts, keeps each process's own series, and takes the worst lag and the earliest start", () => {
    const text = renderMetrics(mergeMetrics([processSet("11", 2, 0.5, 200), processSet("12", 3, 4, 100)]));
    expect(text).toBe(
      [
        "# HELP keel_process_info One per process.",
        "# TYPE keel_process_info gauge",
        'keel_process_info{pid="11"} 1',
        'keel_process_info{pid="12"} 1',
        "# HELP keel_http_request_duration_seconds Durations.",
        "# TYPE keel_http_request_duration_seconds histogram",
        'keel_http_request_duration_seconds_bucket{route="/x",le="+Inf"} 5',
        'keel_http_request_duration_seconds_count{route="/x"} 5',
        "# HELP keel_outbox_lag_seconds Lag.",
        "# TYPE keel_outbox_lag_seconds gauge",
        "keel_outbox_lag_seconds 4",
        "# HELP process_start_time_seconds Start.",
        "# TYPE process_start_time_seconds gauge",
        "process_start_time_seconds 100",
        "",
      ].join("\n"),
    );
  });

  it("escapes label values", () => {
    const family: MetricFamily = {
      name: "x",
      help: "h",
      type: "gauge",
      merge: "sum",
      samples: [{ labels: { route: 'a"b\\c\nd' }, value: 1 }],
    };
    expect(renderMetrics([family])).toContain('x{route="a\\"b\\\\c\\nd"} 1');
  });
});
