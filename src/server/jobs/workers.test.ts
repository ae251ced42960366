import { Writable } from "node:stream";
import { sql } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../config.ts";
import { createLogger } from "../http/logging.ts";
import { newId } from "../lib/ids.ts";
import { testDatabase } from "../test/create-test-app.ts";
import type { JobDefinition } from "./definitions.ts";
import { startWorkers, type JobRuntime, type StartWorkersOptions } from "./workers.ts";

const config = parseConfig({ NODE_ENV: "test", LOG_LEVEL: "info" });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const lines: Record<string, unknown>[] = [];
const logger = createLogger(
  config,
  new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  }),
);

const runtimes: JobRuntime[] = [];
// Migrating the embedded test database takes a while: before the tests, whose timings matter.
beforeAll(() => testDatabase());
afterEach(async () => {
  await Promise.all(runtimes.splice(0).map((runtime) => runtime.stop()));
});

/** A runtime on the test database; stopped after each test, so the file ends. */
async function start(options: Partial<StartWorkersOptions> & Pick<StartWorkersOptions, "definitions">) {
  const runtime = await startWorkers({
    connection: await testDatabase(),
    config,
    logger,
    loops: [],
    stopTimeoutMs: 1_000,
    ...options,
  });
  runtimes.push(runtime);
  return runtime;
}

/** A queue name of its own: every test file on the same PostgreSQL server has workers polling. */
const queueName = (purpose: string) => `test.${purpose}.${newId()}`;

type JobRow = { state: string; retryCount: number; output: { message?: string; detail?: string } | null };

async function jobRow(id: string | null): Promise<JobRow | undefined> {
  const { db } = await testDatabase();
  const result = await db.execute(
    sql`select state, retry_count as "retryCount", output from pgboss.job where id = ${id}::uuid`,
  );
  return (result as unknown as { rows: JobRow[] }).rows[0];
}

async function until<T>(read: () => Promise<T>, isDone: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await read();
    if (isDone(value)) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out; last: ${JSON.stringify(value)}`);
    await sleep(100);
  }
}

describe("background jobs", () => {
  it("runs a job with its data, and retries a failing one with growing delays until it succeeds", async () => {
    const attempts: { at: number; retryCount: number; data: unknown }[] = [];
    const flaky: JobDefinition<{ workspaceId: string; contactId: string }> = {
      name: queueName("flaky"),
      options: { retryLimit: 3, retryDelay: 1, retryBackoff: true, pollingIntervalSeconds: 0.5 },
      async handler(job) {
        attempts.push({ at: Date.now(), retryCount: job.retryCount, data: job.data });
        if (attempts.length < 3) throw new Error(`attempt ${attempts.length} failed`);
      },
    };
    const runtime = await start({ definitions: [flaky] });
    const data = { workspaceId: newId(), contactId: newId() };
    const id = await runtime.send(flaky.name, data);
    const row = await until(
      () => jobRow(id),
      (job) => job?.state === "completed",
    );
    expect(row?.retryCount).toBe(2);
    expect(attempts.map((attempt) => attempt.retryCount)).toEqual([0, 1, 2]);
    expect(attempts[0]?.data).toEqual(data);
    const [first, second, third] = attempts.map((attempt) => attempt.at) as [number, number, number];
    // Backoff: about 1–2 s before the first retry, 2–4 s before the second (with polling on top).
    expect(second - first).toBeGreaterThanOrEqual(900);
    expect(third - second).toBeGreaterThanOrEqual(1_900);
    expect(lines.filter((line) => line.jobId === id && line.msg === "job attempt failed")).toHaveLength(2);
  }, 30_000);

  it("runs a batch queue's jobs side by side, one after another batch without polling, each settled on its own", async () => {
    const running: number[] = [];
    let mostAtOnce = 0;
    const batched: JobDefinition<{ workspaceId: null; index: number }> = {
      name: queueName("batched"),
      options: { retryLimit: 0, batchSize: 5, pollingIntervalSeconds: 30 },
      async handler(job) {
        running.push(job.data.index);
        mostAtOnce = Math.max(mostAtOnce, running.length);
        await sleep(50);
        running.splice(running.indexOf(job.data.index), 1);
        if (job.data.index === 3) throw new Error("job 3 failed");
      },
    };
    // Sent before any worker polls the queue: its first fetch finds a full batch.
    const sender = await start({ definitions: [batched], shouldRunWorkers: false });
    const ids = await Promise.all(
      Array.from({ length: 12 }, (_, index) => sender.send(batched.name, { workspaceId: null, index })),
    );
    await start({ definitions: [batched] });
    const started = Date.now();
    const rows = await until(
      () => Promise.all(ids.map((id) => jobRow(id))),
      (all) => all.every((row) => row?.state === "completed" || row?.state === "failed"),
    );
    // Full batches are followed by the next fetch at once: well within one 30 s poll.
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(mostAtOnce).toBeGreaterThan(1);
    expect(rows.map((row) => row?.state)).toEqual(ids.map((_, index) => (index === 3 ? "failed" : "completed")));
    expect(rows[3]?.output?.message).toBe("job 3 failed");
  }, 30_000);

  it("keeps a failed job's message and stack, without what else the error carried or a database's values", async () => {
    const failing: JobDefinition = {
      name: queueName("failing"),
      options: { retryLimit: 1, retryDelay: 0, pollingIntervalSeconds: 0.5 },
      async handler(job) {
        if (job.retryCount === 0) throw Object.assign(new Error("The endpoint answered 500"), { detail: "s3cr3t" });
        throw Object.assign(new Error('duplicate key value violates "contacts_email"'), {
          code: "23505",
          detail: "Key (email)=(ann@example.com) already exists.",
        });
      },
    };
    const runtime = await start({ definitions: [failing] });
    const id = await runtime.send(failing.name, { workspaceId: newId() });
    const row = await until(
      () => jobRow(id),
      (job) => job?.state === "failed",
    );
    expect(row?.output?.message).toBe("database error 23505");
    expect(JSON.stringify(row?.output)).not.toContain("ann@example.com");
    expect(JSON.stringify(row?.output)).not.toContain("s3cr3t");
    expect(JSON.stringify(lines)).not.toContain("ann@example.com");
  }, 30_000);

  it("sends only to registered queues, and only data that says its workspace", async () => {
    const known: JobDefinition = { name: queueName("known"), async handler() {} };
    const runtime = await start({ definitions: [known], shouldRunWorkers: false });
    await expect(runtime.send("test.unknown", { workspaceId: null })).rejects.toThrow(/No job queue "test.unknown"/);
    await expect(runtime.send(known.name, {} as { workspaceId: null })).rejects.toThrow(/must say its workspaceId/);
    expect(await runtime.send(known.name, { workspaceId: null })).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("only sends when it does not work (WORKERS=false): the job waits for a working process", async () => {
    let runs = 0;
    const definition: JobDefinition = {
      name: queueName("elsewhere"),
      options: { pollingIntervalSeconds: 0.5 },
      async handler() {
        runs++;
      },
    };
    const sender = await start({ definitions: [definition], shouldRunWorkers: false });
    const id = await sender.send(definition.name, { workspaceId: newId() });
    await sleep(1_500);
    expect(runs).toBe(0);
    expect((await jobRow(id))?.state).toBe("created");
    await start({ definitions: [definition] });
    await until(
      () => jobRow(id),
      (job) => job?.state === "completed",
    );
    expect(runs).toBe(1);
  }, 30_000);

  it("de-duplicates sends of the same job id (a relay sending an event twice)", async () => {
    const definition: JobDefinition = { name: queueName("once"), async handler() {} };
    const runtime = await start({ definitions: [definition], shouldRunWorkers: false });
    const id = newId();
    expect(await runtime.send(definition.name, { workspaceId: null }, { id })).toBe(id);
    expect(await runtime.send(definition.name, { workspaceId: null }, { id })).toBeNull();
  });

  it("sends a batch of jobs in one statement, skipping ids it already has, and checks it like a send", async () => {
    const definition: JobDefinition = { name: queueName("batch"), async handler() {} };
    const runtime = await start({ definitions: [definition], shouldRunWorkers: false });
    const [first, second, third] = [newId(), newId(), newId()];
    const job = (id: string) => ({ data: { workspaceId: null, n: id }, options: { id } });
    expect(await runtime.sendBatch(definition.name, [job(first), job(second)])).toBe(2);
    expect(await runtime.sendBatch(definition.name, [job(second), job(third)])).toBe(1);
    expect(await runtime.sendBatch(definition.name, [])).toBe(0);
    expect((await jobRow(third))?.state).toBe("created");
    await expect(runtime.sendBatch("test.unknown", [job(newId())])).rejects.toThrow(/No job queue/);
    await expect(runtime.sendBatch(definition.name, [{ data: {} as { workspaceId: null } }])).rejects.toThrow(
      /must say its workspaceId/,
    );
  });

  it("keeps the cron schedule of a definition", async () => {
    const definition: JobDefinition = { name: queueName("nightly"), schedule: "0 3 * * *", async handler() {} };
    await start({ definitions: [definition] });
    const { db } = await testDatabase();
    const result = await db.execute(sql`select cron from pgboss.schedule where name = ${definition.name}`);
    expect((result as unknown as { rows: unknown[] }).rows).toEqual([{ cron: "0 3 * * *" }]);
  });

  it("lets an active job finish when stopped", async () => {
    let finished = false;
    let started = false;
    const definition: JobDefinition = {
      name: queueName("finishing"),
      options: { pollingIntervalSeconds: 0.5 },
      async handler() {
        started = true;
        await sleep(300);
        finished = true;
      },
    };
    const runtime = await start({ definitions: [definition], stopTimeoutMs: 5_000 });
    const id = await runtime.send(definition.name, { workspaceId: null });
    await until(
      async () => started,
      (value) => value,
    );
    await runtime.stop();
    expect(finished).toBe(true);
    expect((await jobRow(id))?.state).toBe("completed");
  }, 30_000);

  it("releases a job still running at the stop timeout: it fails this attempt and is retried later", async () => {
    let sawAbort = false;
    const definition: JobDefinition = {
      name: queueName("stuck"),
      options: { retryLimit: 2, pollingIntervalSeconds: 0.5 },
      async handler(job) {
        await new Promise<void>((resolve) => job.signal.addEventListener("abort", () => resolve(), { once: true }));
        sawAbort = true;
      },
    };
    const runtime = await start({ definitions: [definition], stopTimeoutMs: 1_000 });
    const id = await runtime.send(definition.name, { workspaceId: null });
    await until(
      () => jobRow(id),
      (job) => job?.state === "active",
    );
    await runtime.stop();
    expect(sawAbort).toBe(true);
    expect((await jobRow(id))?.state).toBe("retry");
  }, 30_000);

  it("runs the background loops of a working process, and stops them with it", async () => {
    let runs = 0;
    const runtime = await start({
      definitions: [],
      loops: [
        {
          name: "test.counting",
          intervalMs: 20,
          async run({ db }) {
            await db.execute(sql`select 1`);
            runs++;
          },
        },
      ],
    });
    await until(
      async () => runs,
      (count) => count >= 3,
    );
    await runtime.stop();
    const stoppedAt = runs;
    await sleep(100);
    expect(runs).toBe(stoppedAt);
  });
});
