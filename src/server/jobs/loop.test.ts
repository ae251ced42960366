import { Writable } from "node:stream";
import { DrizzleQueryError } from "drizzle-orm/errors";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../config.ts";
import type { Database } from "../db/client.ts";
import { createLogger } from "../http/logging.ts";
import type { BackgroundLoop, JobDependencies } from "./definitions.ts";
import { backoffMs, startLoop } from "./loop.ts";

const config = parseConfig({ NODE_ENV: "test", LOG_LEVEL: "info" });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Loop dependencies with a logger whose lines the test reads; the loops here never touch `db`. */
function dependencies() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  const deps: JobDependencies = {
    db: {} as Database,
    config,
    logger: createLogger(config, stream),
    send: () => Promise.resolve(null),
    sendBatch: () => Promise.resolve(0),
  };
  return { deps, lines };
}

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error("timed out");
    await sleep(10);
  }
}

describe("a background loop", () => {
  it("runs at once, then every intervalMs, never two runs at the same time", async () => {
    const { deps } = dependencies();
    let active = 0;
    let mostAtOnce = 0;
    const starts: number[] = [];
    const loop: BackgroundLoop = {
      name: "test.steady",
      intervalMs: 20,
      async run() {
        starts.push(Date.now());
        active++;
        mostAtOnce = Math.max(mostAtOnce, active);
        await sleep(50); // longer than the interval
        active--;
      },
    };
    const running = startLoop(loop, deps);
    await until(() => starts.length >= 4);
    await running.stop(1_000);
    expect(mostAtOnce).toBe(1);
    const gaps = starts.slice(1).map((start, index) => start - (starts[index] ?? 0));
    // Each run waits for the one before it (50 ms) and then the interval (20 ms).
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(65);
  });

  it("survives a run that throws: logs the loop and the error's type, never its values, and runs again", async () => {
    const { deps, lines } = dependencies();
    let runs = 0;
    const loop: BackgroundLoop = {
      name: "test.flaky",
      intervalMs: 10,
      async run() {
        runs++;
        if (runs === 1) {
          const error = new Error("boom") as Error & { detail: string };
          error.detail = "ann@example.com";
          throw error;
        }
        if (runs === 2) throw Object.assign(new Error("duplicate key"), { code: "23505", detail: "Key (email)=(x)" });
        if (runs === 3) {
          const unreachable = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
          throw new DrizzleQueryError("select id from contacts where email = $1", ["ann@example.com"], unreachable);
        }
      },
    };
    const running = startLoop(loop, deps);
    await until(() => runs >= 5);
    await running.stop(1_000);
    const failures = lines.filter((line) => line.msg === "background loop run failed");
    expect(failures).toHaveLength(3);
    expect(failures[0]).toMatchObject({ loop: "test.flaky", failures: 1, err: { type: "Error", message: "boom" } });
    // A database error is logged by its SQLSTATE, its message withheld (it quotes the values).
    expect(failures[1]).toMatchObject({ failures: 2, err: { message: "database error 23505", sqlState: "23505" } });
    // A query that could not reach the database: why, without the statement's parameters.
    expect(failures[2]).toMatchObject({
      failures: 3,
      err: { message: "database query failed", cause: { code: "ECONNREFUSED" } },
    });
    expect(JSON.stringify(lines)).not.toContain("ann@example.com");
    expect(JSON.stringify(lines)).not.toContain("Key (email)");
    expect(lines.some((line) => line.msg === "background loop runs again" && line.failures === 3)).toBe(true);
  });

  it("waits longer after each failure in a row, up to 10 s, and its interval again once a run succeeds", () => {
    expect([1, 2, 3, 4].map((failures) => backoffMs(200, failures))).toEqual([200, 400, 800, 1600]);
    expect(backoffMs(200, 10)).toBe(10_000);
    expect(backoffMs(200, 1_000)).toBe(10_000);
    // A loop slower than the cap keeps its own interval.
    expect(backoffMs(60_000, 3)).toBe(60_000);
  });

  it("runs again at once when a run says it left work behind", async () => {
    const { deps } = dependencies();
    let runs = 0;
    const loop: BackgroundLoop = {
      name: "test.batches",
      intervalMs: 60_000,
      async run() {
        runs++;
        return runs < 5;
      },
    };
    const running = startLoop(loop, deps);
    await until(() => runs >= 5, 2_000);
    await running.stop(1_000);
    expect(runs).toBe(5);
  });

  it("aborts its signal on stop, waits for the run in progress, and runs no more", async () => {
    const { deps } = dependencies();
    let runs = 0;
    let sawAbort = false;
    let finished = false;
    const loop: BackgroundLoop = {
      name: "test.stopping",
      intervalMs: 10,
      async run({ signal }) {
        runs++;
        await new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
        sawAbort = signal.aborted;
        await sleep(30);
        finished = true;
      },
    };
    const running = startLoop(loop, deps);
    await until(() => runs === 1);
    await running.stop(1_000);
    expect(sawAbort).toBe(true);
    expect(finished).toBe(true);
    await sleep(50);
    expect(runs).toBe(1);
  });

  it("stops within the timeout even when a run ignores its signal", async () => {
    const { deps, lines } = dependencies();
    let runs = 0;
    const loop: BackgroundLoop = {
      name: "test.stuck",
      intervalMs: 10,
      async run() {
        runs++;
        await sleep(2_000);
      },
    };
    const running = startLoop(loop, deps);
    await until(() => runs === 1);
    const started = Date.now();
    await running.stop(100);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(lines.some((line) => line.msg === "background loop still running at shutdown: left behind")).toBe(true);
  });
});
