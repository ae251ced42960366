/**
 * Background jobs on a PostgreSQL that goes away under them: stopped for a few seconds, then its
 * backends terminated. The loop and the queue workers must log, wait, and resume on their own,
 * without ending the process. Run with `npm run test:faults`.
 */
import { Writable } from "node:stream";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, test } from "vitest";
import { parseConfig } from "../../config.ts";
import { openPostgres, type DatabaseConnection } from "../../db/client.ts";
import { migrate } from "../../db/migrate.ts";
import { createLogger } from "../../http/logging.ts";
import { startWorkers, type JobDefinition, type JobRuntime } from "../../jobs/index.ts";
import { sleep } from "../ports.ts";
import { startPostgresCluster, type PostgresCluster } from "./postgres-cluster.ts";

let cluster: PostgresCluster;
let connection: DatabaseConnection;
let runtime: JobRuntime;
const lines: Record<string, unknown>[] = [];
let loopRuns = 0;
const handled: string[] = [];

const deliver: JobDefinition = {
  name: "faults.deliver",
  options: { retryLimit: 5, retryDelay: 1, pollingIntervalSeconds: 0.5 },
  async handler(job) {
    handled.push(job.id);
  },
};

beforeAll(async () => {
  cluster = await startPostgresCluster();
  connection = await openPostgres(cluster.url, 5);
  await migrate(connection);
  const config = parseConfig({ NODE_ENV: "test", LOG_LEVEL: "info", DATABASE_URL: cluster.url });
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  runtime = await startWorkers({
    connection,
    config,
    logger: createLogger(config, stream),
    definitions: [deliver],
    loops: [
      {
        name: "faults.heartbeat",
        intervalMs: 100,
        async run({ db }) {
          await db.execute(sql`select 1`);
          loopRuns++;
        },
      },
    ],
    stopTimeoutMs: 2_000,
  });
});

afterAll(async () => {
  await runtime?.stop();
  await connection?.close();
  await cluster?.remove();
});

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** After a fault: the loop runs again, and a job sent now is worked. */
async function expectResumed(label: string): Promise<void> {
  const runsBefore = loopRuns;
  await until(() => loopRuns > runsBefore + 3, 30_000, `the loop to run again after ${label}`);
  const id = await runtime.send(deliver.name, { workspaceId: null });
  await until(() => handled.includes(id ?? ""), 30_000, `a job sent after ${label} to run`);
}

test("PostgreSQL stopped for 5 s, then started: the loop and the workers wait, log, and resume", async () => {
  await until(() => loopRuns > 3, 10_000, "the loop to start");
  await cluster.stop();
  await sleep(5_000);
  await cluster.start();
  await expectResumed("the restart");
  const failures = lines.filter((line) => line.msg === "background loop run failed");
  expect(failures.length).toBeGreaterThan(0);
  // Backing off: a 100 ms loop does not log ten failures a second while the database is away.
  expect(failures.length).toBeLessThan(15);
  expect(lines.some((line) => line.msg === "background loop runs again")).toBe(true);
}, 90_000);

test("every backend terminated (pg_terminate_backend): both resume", async () => {
  expect(await cluster.terminateBackends()).toBeGreaterThan(0);
  await expectResumed("the terminated backends");
}, 60_000);
