import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Request } from "autocannon";
import { captureRequest, type CapturedRequest } from "./capture.ts";
import { pgbenchScript, runPgbench, type PgbenchMeasurement } from "./pgbench.ts";
import type { ScenarioResult } from "./report.ts";
import type { Scenario } from "./scenarios.ts";
import { spawnKeel } from "./server.ts";

/** The pgbench baseline of every scenario: the SQL its requests send, and pgbench running it. */

/** Per scenario, the statements of each of its shapes, or why they could not be captured. */
export type Captures = Map<Scenario["name"], CapturedRequest[] | { failed: string }>;

const log = (line: string) => process.stderr.write(`${line}\n`);

/**
 * Starts a Keel of its own with statement capture on (capture follows each request through
 * async context, a cost the measured Keel must not pay), sends each scenario's next request
 * once so caches are as warm as under load, then each of its shapes asking for a capture.
 * `headers` are a signed-in session's: sessions live in the database, so any Keel accepts them.
 */
export async function captureScenarios(scenarios: Scenario[], headers: Record<string, string>): Promise<Captures> {
  const folder = await mkdtemp(join(tmpdir(), "keel-capture-"));
  const keel = await spawnKeel({ ...process.env, KEEL_BENCH_CAPTURE: folder });
  const captures: Captures = new Map();
  try {
    const base = `http://127.0.0.1:${keel.port}`;
    const signedIn = (request: Request) => ({ ...request, headers: { ...request.headers, ...headers } });
    for (const scenario of scenarios) {
      try {
        const warm = signedIn(scenario.next());
        const answer = await fetch(`${base}${warm.path}`, {
          method: warm.method,
          headers: warm.headers,
          body: warm.body,
        });
        await answer.arrayBuffer();
        const captured: CapturedRequest[] = [];
        for (const [index, shape] of scenario.shapes.entries()) {
          captured.push(await captureRequest(base, folder, `${scenario.name}_${index + 1}`, signedIn(shape)));
        }
        captures.set(scenario.name, captured);
      } catch (error) {
        captures.set(scenario.name, { failed: `capture failed: ${messageOf(error)}` });
      }
    }
  } finally {
    await keel.stop();
    await rm(folder, { recursive: true, force: true });
  }
  const count = [...captures.values()].reduce((sum, c) => sum + (Array.isArray(c) ? c.length : 0), 0);
  log(`[bench] captured the statements of ${count} requests for pgbench`);
  return captures;
}

/** pgbench on a scenario's captured SQL, with the same connections and durations as Keel had. */
export async function pgbenchBaseline(
  databaseUrl: string,
  scenario: Scenario,
  captured: CapturedRequest[] | { failed: string } | undefined,
  options: { connections: number; duration: number; warmup: number },
): Promise<ScenarioResult["pgbench"]> {
  if (!captured) return { skipped: "pgbench is not on PATH" };
  if (!Array.isArray(captured)) return skipped(scenario, captured.failed);
  let result: PgbenchMeasurement;
  try {
    const scripts = captured.map((request) => pgbenchScript(request, scenario.variation, options.connections));
    result = await runPgbench(databaseUrl, scripts, options);
  } catch (error) {
    return skipped(scenario, messageOf(error));
  }
  log(`[bench] ${scenario.name} pgbench: ${result.tps} tps, p95 ${result.p95} ms`);
  return result;
}

function skipped(scenario: Scenario, reason: string): { skipped: string } {
  log(`[bench] ${scenario.name} pgbench skipped: ${reason}`);
  return { skipped: reason };
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
