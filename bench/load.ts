import autocannon, { type Request } from "autocannon";
import type pg from "pg";

/** What one scenario measured: throughput and latency percentiles of the answered requests. */
export type Measurement = {
  requests: number;
  seconds: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** Answers other than 2xx, and connection errors or timeouts. */
  failures: number;
  statuses: Record<string, number>;
};

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
}

export function summarize(
  latencies: number[],
  seconds: number,
  failures: number,
  statuses: Record<string, number>,
): Measurement {
  const sorted = Float64Array.from(latencies).sort();
  const values = Array.from(sorted);
  const round = (value: number) => Math.round(value * 100) / 100;
  return {
    requests: latencies.length,
    seconds: round(seconds),
    rps: Math.round(latencies.length / seconds),
    p50: round(percentile(values, 50)),
    p95: round(percentile(values, 95)),
    p99: round(percentile(values, 99)),
    max: round(values.at(-1) ?? Number.NaN),
    failures,
    statuses,
  };
}

export type HttpScenario = {
  /** The next request to send (path, and method + body for writes). */
  next: () => Request;
};

/**
 * Runs one scenario with autocannon: `connections` keep-alive connections for `duration`
 * seconds, each sending the scenario's next request as soon as the previous one is answered.
 * Latencies come from every response (autocannon's own summary has no p95).
 */
export async function runHttp(
  scenario: HttpScenario,
  options: { url: string; connections: number; duration: number; headers: Record<string, string> },
): Promise<Measurement> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let failures = 0;
  const instance = autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.duration,
    timeout: 30,
    headers: options.headers,
    requests: [{ setupRequest: (request) => ({ ...request, ...scenario.next() }) }],
  });
  instance.on("response", (_client, statusCode, _bytes, responseTime) => {
    statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
    if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
    else failures++;
  });
  const result = await instance;
  return summarize(latencies, result.duration, failures + result.errors, statuses);
}

/** One statement as the API sent it. */
export type Statement = { text: string; params: unknown[] };

/**
 * The raw baseline: `connections` clients of a pg Pool, each running `statements` (one unit of
 * work, e.g. BEGIN … COMMIT) back to back until `duration` seconds have passed.
 */
export async function runRaw(
  pool: pg.Pool,
  statements: Statement[],
  options: { connections: number; duration: number },
): Promise<Measurement> {
  const latencies: number[] = [];
  let failures = 0;
  const started = performance.now();
  const deadline = started + options.duration * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      const begin = performance.now();
      const client = await pool.connect();
      try {
        for (const statement of statements) await client.query(statement.text, statement.params);
        latencies.push(performance.now() - begin);
      } catch {
        failures++;
        await client.query("rollback").catch(() => undefined);
      } finally {
        client.release();
      }
    }
  };
  await Promise.all(Array.from({ length: options.connections }, worker));
  return summarize(latencies, (performance.now() - started) / 1000, failures, {});
}
