import { describe, expect, it } from "vitest";
import type { Measurement } from "./load.ts";
import { consoleTable, markdown, metricsOf, targets, type BenchRun, type ScenarioResult } from "./report.ts";

const measurement = (rps: number, p95: number): Measurement => ({
  requests: rps * 10,
  seconds: 10,
  rps,
  p50: p95 / 2,
  p95,
  p99: p95 * 2,
  max: p95 * 3,
  failures: 0,
  statuses: { 200: rps * 10 },
});

function benchRun(pgbench: (name: string) => ScenarioResult["pgbench"]): BenchRun {
  const scenario = (name: string): ScenarioResult => ({
    ...measurement(400, 120),
    description: name,
    unloaded: measurement(300, 4),
    pgbench: pgbench(name),
  });
  return {
    command: "npm run bench",
    date: "2026-12-01T00:00:00.000Z",
    contacts: 1000,
    duration: 10,
    connections: 50,
    serverMode: "child process",
    poolSize: 20,
    machine: {
      cpus: 2,
      cpuModel: "test",
      memoryGb: 4,
      node: "v20",
      postgres: "PostgreSQL 15",
      postgresSettings: {},
      platform: "Linux",
      loadAverageBefore: [0, 0, 0],
      loadAverageAfter: [0, 0, 0],
    },
    seed: { workspaceId: "w", seededNow: false, seconds: null, counts: {} },
    scenarios: Object.fromEntries(targets.map((t) => [t.scenario, scenario(t.scenario)])) as BenchRun["scenarios"],
    raw: { transaction: measurement(1000, 50), plain: measurement(2000, 30), statements: ["select 1"] },
    pgbench: {
      version: "pgbench (PostgreSQL) 15.20",
      command: "pgbench -M prepared …",
      listScript: "begin;\ncommit;\n",
    },
    dashboard: { coldMs: 812.4, warm: measurement(20, 61) },
    memory: { idleRssMib: 140.2, peakRssMib: 390.5 },
  };
}

describe("benchmark metrics", () => {
  it("record per scenario Keel's throughput and p95, pgbench's, and their ratio; the dashboard and memory", () => {
    const metrics = metricsOf(benchRun(() => ({ ...measurement(1600, 9), tps: 1600.4, latencyAverage: 4.1 })));
    expect(metrics).toMatchObject({
      list_rps: 400,
      list_p95_ms: 120,
      list_pgbench_tps: 1600.4,
      list_pgbench_p95_ms: 9,
      list_vs_pgbench: 0.25,
      update_vs_pgbench: 0.25,
      dashboard_cold_ms: 812,
      dashboard_warm_p95_ms: 61,
      idle_rss_mib: 140.2,
      peak_rss_mib: 390.5,
      list_throughput_ratio: 0.4,
    });
    expect(metrics).not.toHaveProperty("bulk_100k_s");
  });

  it("leave pgbench's figures out, not zero, where pgbench was skipped, and say why", () => {
    const run = benchRun((name) =>
      name === "search"
        ? { skipped: "capture failed: GET /x answered 500" }
        : { ...measurement(800, 9), tps: 800, latencyAverage: 4 },
    );
    const metrics = metricsOf(run);
    expect(metrics).not.toHaveProperty("search_pgbench_tps");
    expect(metrics).not.toHaveProperty("search_vs_pgbench");
    expect(metrics.list_vs_pgbench).toBe(0.5);
    expect(markdown(run)).toContain("skipped: capture failed: GET /x answered 500");
    expect(consoleTable(run)).toMatch(/^search\s.*skipped/m);
  });

  it("say in the report when pgbench was not on PATH", () => {
    const run = benchRun(() => ({ skipped: "pgbench is not on PATH" }));
    run.pgbench = { ...run.pgbench, version: null, listScript: null };
    const doc = markdown(run);
    expect(doc).toContain("Skipped: `pgbench` was not on `PATH`");
    expect(doc).toContain("select 1");
    expect(Object.keys(metricsOf(run)).some((key) => key.includes("pgbench"))).toBe(false);
  });
  it("record the bulk update of 100,000 contacts, and no bulk_100k_s for a workspace too small for it", () => {
    const run = benchRun(() => ({ skipped: "pgbench is not on PATH" }));
    run.bulk = {
      matched: 100_250,
      updated: 100_250,
      refused: 0,
      seconds: 41.3,
      filter: "filter[ownerId][in] (2 owners)",
    };
    expect(metricsOf(run).bulk_100k_s).toBe(41.2);
    expect(markdown(run)).toContain(
      "100,250 of 100,250 contacts in 41.3 s** (41.2 s per 100,000; target ≤ 30 s: miss by 11.2 s (+37 %))",
    );
    // More than 100,000 matched: the time is brought to 100,000 at the rate measured.
    run.bulk = { ...run.bulk, matched: 141_644, updated: 141_644, seconds: 47.3 };
    expect(metricsOf(run).bulk_100k_s).toBe(33.4);
    expect(markdown(run)).toContain("33.4 s per 100,000; target ≤ 30 s: miss by 3.4 s (+11 %)");
    run.bulk = { ...run.bulk, seconds: 40 };
    expect(markdown(run)).toContain("28.2 s per 100,000; target ≤ 30 s: pass");
    run.bulk = { ...run.bulk, matched: 20_000, updated: 20_000, seconds: 6 };
    expect(metricsOf(run)).not.toHaveProperty("bulk_100k_s");
    expect(markdown(run)).toContain("fewer than 100,000 contacts in this workspace");
  });
  it("compare the bulk update with PostgreSQL alone writing the same, when measured", () => {
    const run = benchRun(() => ({ skipped: "pgbench is not on PATH" }));
    const bulk = {
      matched: 100_250,
      updated: 100_250,
      refused: 0,
      seconds: 41.3,
      filter: "filter[ownerId][in] (2 owners)",
    };
    run.bulk = bulk;
    expect(metricsOf(run)).not.toHaveProperty("bulk_100k_postgres_alone_s");
    expect(markdown(run)).not.toContain("PostgreSQL alone (bench/bulk-floor.ts)");
    run.bulk = { ...bulk, floor: { records: 100_250, seconds: 20.6 } };
    // The metric at 100,000 records, as bulk_100k_s; the report's line the time measured.
    expect(metricsOf(run).bulk_100k_postgres_alone_s).toBe(20.5);
    expect(markdown(run)).toMatch(/in\s+\*\*20\.6 s\*\* \(20\.5 s per 100,000\): Keel takes 2× that/);
  });
});
