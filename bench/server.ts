import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import type { FastifyInstance } from "fastify";
import { buildApp } from "../src/server/app.ts";
import { parseConfig } from "../src/server/config.ts";
import { openDatabase } from "../src/server/db/client.ts";
import { newId } from "../src/server/lib/ids.ts";
import { auditLogs } from "../src/server/modules/audit/audit.table.ts";
import { outboxEvents } from "../src/server/modules/outbox/outbox.table.ts";
import { captureStatements } from "./capture.ts";

/**
 * Keel as the benchmark runs it: the real app on DATABASE_URL, silent, on 127.0.0.1 and a free
 * port. Run as a child process (its own event loop, as in production) it prints `{"port":…}`
 * on stdout and stops on SIGTERM or when its parent goes away. With KEEL_BENCH_CAPTURE=<folder>
 * it writes the statements of requests that ask for it there (see captureStatements).
 */
export async function startKeel(
  env: Record<string, string | undefined>,
): Promise<{ app: FastifyInstance; port: number }> {
  const config = parseConfig({
    NODE_ENV: "production",
    // Production needs it (links in e-mails); the benchmark sends none.
    PUBLIC_URL: "http://127.0.0.1",
    ...env,
    LOG_LEVEL: "silent",
    HOST: "127.0.0.1",
    PORT: "0",
    KEEL_DEMO: "false",
    // Plain HTTP on 127.0.0.1: the session cookie keeps its plain name (signIn reads keel_session).
    COOKIE_SECURE: "false",
    // The benchmark measures Keel, not its rate limits.
    RATE_LIMIT_API_PER_MINUTE: "0",
    RATE_LIMIT_AUTH_PER_MINUTE: "0",
  });
  if (!config.databaseUrl) throw new Error("DATABASE_URL is required");
  const connection = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: config.databasePoolSize,
  });
  const db = env.KEEL_BENCH_TRAIL === "off" ? withoutTrail(connection.db) : connection.db;
  const app = await buildApp(config, { db });
  if (env.KEEL_BENCH_CAPTURE) captureStatements(app.server, env.KEEL_BENCH_CAPTURE);
  app.addHook("onClose", () => connection.close());
  await app.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.address();
  if (!address || typeof address === "string") throw new Error("the server has no TCP address");
  return { app, port: address.port };
}

/** `pid` is the process serving Keel (this one for an in-process server), for its memory figures. */
export type RunningKeel = { port: number; pid: number; stop: () => Promise<void> };

/** Keel as above in a child process (its own event loop, as in production), with this environment. */
export async function spawnKeel(env: NodeJS.ProcessEnv): Promise<RunningKeel> {
  const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url)], {
    env,
    stdio: ["ignore", "pipe", "inherit", "ipc"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("Keel did not start within 60 s")), 60_000);
    child.once("exit", (code) => reject(new Error(`Keel exited with code ${code} before listening`)));
    createInterface({ input: child.stdout! }).once("line", (line) => {
      clearTimeout(timer);
      resolve((JSON.parse(line) as { port: number }).port);
    });
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      child.once("exit", () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill("SIGTERM");
    });
  return { port, pid: child.pid ?? Number.NaN, stop };
}

/**
 * The database as Keel sees it, minus the trail of every change: inserts into `audit_logs` and
 * `outbox_events` are answered as done and never sent. Only for the benchmark's "with and without
 * audit + event" comparison (KEEL_BENCH_TRAIL=off); Keel itself has no way to turn its trail off.
 */
function withoutTrail<T extends object>(db: T): T {
  const trail = new Set<unknown>([auditLogs, outboxEvents]);
  const discardedQuery: object = {
    [discardedMark]: true,
    getSQL: () => discardedQuery,
    returning: () => Promise.resolve([{ id: newId(), createdAt: new Date() }]),
    then: (resolve: (value: undefined) => void) => resolve(undefined),
  };
  const discarded = { values: () => discardedQuery };
  // A statement built around discarded inserts (recordFact's entry and events in one) is not sent either.
  const isDiscarded = (query: unknown) =>
    (query as { queryChunks?: unknown[] }).queryChunks?.some(
      (chunk) =>
        typeof chunk === "object" &&
        chunk !== null &&
        (discardedMark in chunk ||
          (chunk as { value?: unknown[] }).value?.some((text) => String(text).includes("keel_record_fact("))),
    ) ?? false;
  return new Proxy(db, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== "function") return value;
      if (property === "insert") return (table: unknown) => (trail.has(table) ? discarded : value.call(target, table));
      if (property === "execute") {
        return (query: unknown) =>
          isDiscarded(query) ? Promise.resolve({ rows: [], rowCount: 0 }) : value.call(target, query);
      }
      if (property === "transaction") {
        return (work: (tx: object) => unknown, options?: unknown) =>
          value.call(target, (tx: object) => work(withoutTrail(tx)), options);
      }
      return value.bind(target);
    },
  });
}

const discardedMark = Symbol("discarded by the benchmark");

const isMain = process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, "/"));
if (isMain) {
  const { app, port } = await startKeel(process.env);
  const stop = () => {
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  process.once("disconnect", stop);
  process.stdout.write(`${JSON.stringify({ port })}\n`);
}
