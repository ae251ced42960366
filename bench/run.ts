import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { and, desc, eq, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import { parseConfig } from "../src/server/config.ts";
import { openPostgres, type Database } from "../src/server/db/client.ts";
import { parseListRequest } from "../src/server/db/listing.ts";
import { migrate } from "../src/server/db/migrate.ts";
import { contactsListSpec } from "../src/server/modules/contacts/contacts.repository.ts";
import { listContacts } from "../src/server/modules/contacts/contacts.service.ts";
import { contacts } from "../src/server/modules/contacts/contacts.table.ts";
import { outboxEvents } from "../src/server/modules/outbox/outbox.table.ts";
import {
  benchUserEmail,
  benchmarkWorkspaceName,
  seedLargeWorkspace,
  workspaceCounts,
} from "../src/server/modules/seed/large.seed.ts";
import { users } from "../src/server/modules/users/users.table.ts";
import { workspaces } from "../src/server/modules/workspaces/workspaces.table.ts";
import { captureScenarios, pgbenchBaseline } from "./baseline.ts";
import { measureBulk, ownersCovering, type BulkRun } from "./bulk.ts";
import { measureBulkFloor } from "./bulk-floor.ts";
import { idleMemoryOfServe, startServe } from "./keel-serve.ts";
import { sectionOf } from "./doc-sections.ts";
import { runHttp, runRaw, type Statement } from "./load.ts";
import { pgbenchCommandLine, pgbenchScript, pgbenchVersion } from "./pgbench.ts";
import { processMemory } from "./process-memory.ts";
import { consoleTable, markdown, metricsOf, type BenchRun } from "./report.ts";
import { deepCursorPath, scenariosOf, signIn } from "./scenarios.ts";
import { spawnKeel, startKeel, type RunningKeel } from "./server.ts";

/**
 * `npm run bench -- [--contacts N] [--duration S] [--connections C] [--pgbench-clients C] [--warmup S] [--in-process]`:
 * seeds (or reuses) a large workspace on DATABASE_URL, serves Keel on 127.0.0.1, loads it with
 * autocannon scenario by scenario, runs pgbench on the SQL each scenario sends right after it
 * (and the list page's SQL through a node-postgres loop, as a secondary baseline), measures the
 * dashboard and Keel's memory, and writes bench/results.json and docs/benchmarks.md.
 */

const resultsFile = fileURLToPath(new URL("./results.json", import.meta.url));
const docFile = fileURLToPath(new URL("../docs/benchmarks.md", import.meta.url));
const log = (line: string) => process.stderr.write(`${line}\n`);

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      contacts: { type: "string", default: "1000000" },
      duration: { type: "string", default: "10" },
      connections: { type: "string", default: "50" },
      "pgbench-clients": { type: "string" },
      warmup: { type: "string", default: "5" },
      "in-process": { type: "boolean", default: false },
    },
  });
  const contactsWanted = positiveInteger("--contacts", values.contacts);
  const duration = positiveInteger("--duration", values.duration);
  const connections = positiveInteger("--connections", values.connections);
  const pgbenchClients = positiveInteger("--pgbench-clients", values["pgbench-clients"] ?? values.connections);
  const warmup = Number(values.warmup);
  if (!Number.isFinite(warmup) || warmup < 0) throw new UsageError("--warmup must be a number of seconds ≥ 0");
  const inProcess = values["in-process"] ?? false;

  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    throw new UsageError(
      "DATABASE_URL is not set. The benchmark runs against a PostgreSQL server, e.g.\n" +
        "  DATABASE_URL=postgres://postgres@127.0.0.1:5432/keel_bench npm run bench",
    );
  }
  const config = parseConfig({ ...process.env, LOG_LEVEL: "silent" });
  const loadBefore = os.loadavg();
  const started = new Date();

  const connection = await openPostgres(databaseUrl, 4);
  try {
    await migrate(connection);
    const { db } = connection;

    // 1. The workspace: the newest complete "Benchmark (N contacts)", or a new one.
    const name = benchmarkWorkspaceName(contactsWanted);
    const [existing] = await db
      .select({ id: workspaces.id })
      .from(workspaces)
      .where(eq(workspaces.name, name))
      .orderBy(desc(workspaces.createdAt))
      .limit(1);
    let seed: BenchRun["seed"];
    if (existing) {
      log(`[bench] reusing workspace "${name}" (${existing.id})`);
      seed = {
        workspaceId: existing.id,
        seededNow: false,
        seconds: await previousSeedSeconds(existing.id),
        counts: await workspaceCounts(db, existing.id),
      };
    } else {
      log(`[bench] seeding workspace "${name}"`);
      const result = await seedLargeWorkspace(connection, { contacts: contactsWanted, name });
      seed = { workspaceId: result.workspaceId, seededNow: true, seconds: result.seconds, counts: result.counts };
    }
    const workspaceId = seed.workspaceId;
    const email = benchUserEmail(workspaceId, 1);
    const [admin] = await db.select({ id: users.id }).from(users).where(eq(users.email, email));
    if (!admin) throw new Error(`The benchmark user ${email} is missing; delete the workspace and seed again.`);

    // Dead rows left by an earlier run's creates and updates would sit at the head of the indexes
    // the list walks (newest first) and slow it until autovacuum came by.
    for (const table of ["contacts", "outbox_events"]) await connection.exec(`VACUUM (ANALYZE) ${table}`);

    // 2. Ids to read and update: random live contacts.
    const sample = await db.execute<{ id: string }>(
      sql`select id from contacts where workspace_id = ${workspaceId} and deleted_at is null order by random() limit 7000`,
    );
    const ids = (sample as unknown as { rows: { id: string }[] }).rows.map((row) => row.id);
    const recordIds = ids.slice(0, 2000);
    const updateIds = ids.slice(2000);

    // 3. Keel on 127.0.0.1, signed in as the benchmark admin, and pgbench when it is there.
    const pgbench = await pgbenchVersion();
    if (!pgbench) {
      log(
        "[bench] pgbench is not on PATH: the comparison with pgbench is skipped. " +
          "pgbench comes with PostgreSQL (on Debian and Ubuntu in the postgresql package).",
      );
    }
    const runStarted = new Date();
    const server = await startServer(inProcess);
    let measured: Awaited<ReturnType<typeof measureKeel>>;
    try {
      const target = { workspaceId, email, userId: admin.id, recordIds, updateIds, pgbench: pgbench !== null };
      measured = await measureKeel(server, databaseUrl, target, { connections, pgbenchClients, duration, warmup });
    } finally {
      await server.stop();
    }
    // A bulk update of 100,000 contacts runs as a job: on `keel serve` with its workers, as in production.
    const owners = await ownersCovering(db, workspaceId);
    const bulk = await measureBulkOn(databaseUrl, email, owners);
    bulk.floor = await measureBulkFloor(databaseUrl, workspaceId, owners);
    log(`[bench] bulk update, PostgreSQL alone: ${bulk.floor.records} contacts in ${bulk.floor.seconds} s`);

    // 4. Leave the workspace as it was: no benchmark-created contacts, no pile of events.
    await db
      .delete(contacts)
      .where(and(eq(contacts.workspaceId, workspaceId), sql`${contacts.email} like 'bench-create-%'`));
    await db
      .delete(outboxEvents)
      .where(and(eq(outboxEvents.workspaceId, workspaceId), sql`${outboxEvents.createdAt} >= ${runStarted}`));
    for (const table of ["contacts", "outbox_events"]) await connection.exec(`VACUUM (ANALYZE) ${table}`);

    // Memory at rest of the server users run (`npm start`: compiled, plain node), not of the
    // benchmark's own harness above (under tsx, with its capture hooks). Measured once the run's
    // events are gone: started before, its relay would spend its first seconds publishing the
    // tens of thousands the write scenarios, pgbench and the bulk job left, which is not rest.
    const idleWork = await mkdtemp(join(os.tmpdir(), "keel-bench-idle-"));
    const idle = await idleMemoryOfServe(databaseUrl, idleWork).finally(() =>
      rm(idleWork, { recursive: true, force: true }),
    );
    if (idle && measured.memory) measured.memory.idleRssMib = idle.rssMib;

    const run: BenchRun = {
      command: commandLine(databaseUrl, process.argv.slice(2)),
      date: started.toISOString(),
      contacts: contactsWanted,
      duration,
      connections,
      serverMode: inProcess ? "in-process" : "child process",
      poolSize: config.databasePoolSize,
      machine: {
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model.trim() ?? "unknown",
        memoryGb: Math.round(os.totalmem() / 2 ** 30),
        node: process.version,
        postgres: await scalar(db, sql`select version()`),
        postgresSettings: await postgresSettings(db),
        platform: `${os.type()} ${os.release()}`,
        loadAverageBefore: loadBefore,
        loadAverageAfter: os.loadavg(),
      },
      seed,
      scenarios: measured.scenarios,
      raw: measured.raw,
      pgbench: {
        version: pgbench,
        command: pgbenchCommandLine(pgbenchClients, duration, warmup),
        listScript: measured.listScript,
      },
      dashboard: measured.dashboard,
      bulk,
      memory: measured.memory,
    };
    await writeFile(
      resultsFile,
      `${JSON.stringify({ metrics: metricsOf(run), contacts: run.contacts, machine: run.machine, date: run.date, run }, null, 2)}\n`,
    );
    // The web and webhook benchmarks' sections, and whatever was written after them, survive this rewrite.
    const previous = await readFile(docFile, "utf8").catch(() => "");
    const starts = ["web-app", "webhooks"]
      .map((name) => sectionOf(previous, name))
      .filter(Boolean)
      .map((section) => previous.indexOf(section));
    const kept = starts.length > 0 ? previous.slice(Math.min(...starts)).trim() : "";
    await writeFile(docFile, [markdown(run).trimEnd(), kept].filter(Boolean).join("\n\n") + "\n");
    console.log(consoleTable(run));
    log(`[bench] wrote ${resultsFile} and ${docFile}`);
  } finally {
    await connection.close();
  }
}

/** Keel's load, and pgbench's clients (by default as many as Keel's connections). */
type Load = { connections: number; pgbenchClients: number; duration: number; warmup: number };

/**
 * Everything measured against one running Keel: its memory after start, the dashboard first
 * (its first request after start is the cold one), then each scenario followed by pgbench on its
 * SQL (captured beforehand from a Keel of its own), and after the list page the node-postgres loop.
 */
async function measureKeel(
  server: RunningKeel,
  databaseUrl: string,
  target: {
    workspaceId: string;
    email: string;
    userId: string;
    recordIds: string[];
    updateIds: string[];
    pgbench: boolean;
  },
  options: Load,
): Promise<Pick<BenchRun, "scenarios" | "raw" | "dashboard" | "memory"> & { listScript: string | null }> {
  const { connections, duration, warmup } = options;
  const idle = await processMemory(server.pid);
  const base = `http://127.0.0.1:${server.port}`;
  const cookie = await signIn(base, target.email);
  const headers = { cookie, "x-workspace-id": target.workspaceId, accept: "application/json" };
  const load = { url: base, connections, headers };
  const dashboard = await measureDashboard(load, duration);

  const deepPath = await deepCursorPath(base, headers);
  const runTag = Date.now().toString(36);
  const scenarios = scenariosOf({ ...target, deepPath, headers, runTag });
  const captures = target.pgbench ? await captureScenarios(scenarios, headers) : undefined;
  const results: Partial<BenchRun["scenarios"]> = {};
  let raw: BenchRun["raw"] | undefined;
  for (const scenario of scenarios) {
    const http = { next: scenario.next };
    if (warmup > 0) await runHttp(http, { ...load, duration: warmup });
    const result = await runHttp(http, { ...load, duration });
    // One connection: the service time of a request, without queueing behind 49 others.
    const unloaded = await runHttp(http, { ...load, connections: 1, duration: Math.min(3, duration) });
    log(
      `[bench] ${scenario.name}: ${result.rps} req/s, p95 ${result.p95} ms; alone p50 ${unloaded.p50} ms, p95 ${unloaded.p95} ms` +
        (result.failures ? `; ${result.failures} failures ${JSON.stringify(result.statuses)}` : ""),
    );
    // PostgreSQL's limit on the same SQL, right after, under the same machine conditions.
    const pgbench = await pgbenchBaseline(databaseUrl, scenario, captures?.get(scenario.name), {
      ...options,
      connections: options.pgbenchClients,
    });
    results[scenario.name] = { ...result, description: scenario.description, unloaded, pgbench };
    // The node-postgres loop, the secondary baseline, right after the API list.
    if (scenario.name === "list") raw = await rawBaseline(databaseUrl, target.workspaceId, target.userId, options);
  }
  const peak = await processMemory(server.pid);
  if (!raw) throw new Error("the raw baseline did not run");
  const list = captures?.get("list");
  return {
    scenarios: results as BenchRun["scenarios"],
    raw,
    dashboard,
    memory: idle && peak ? { idleRssMib: idle.rssMib, peakRssMib: peak.peakRssMib } : null,
    listScript: Array.isArray(list) && list[0] ? pgbenchScript(list[0], {}, options.pgbenchClients) : null,
  };
}

/** The bulk scenario (bench/bulk.ts) on `keel serve` in a child process, after the others. */
async function measureBulkOn(databaseUrl: string, email: string, owners: string[]): Promise<BulkRun> {
  const keel = await startServe(databaseUrl, os.tmpdir());
  try {
    const base = `http://127.0.0.1:${keel.port}`;
    const headers = { cookie: await signIn(base, email), accept: "application/json" };
    const bulk = await measureBulk(base, headers, owners, Date.now().toString(36));
    log(`[bench] bulk update: ${bulk.updated} of ${bulk.matched} contacts in ${bulk.seconds} s`);
    return bulk;
  } finally {
    await keel.stop();
  }
}

/** Keel in a child process (default: its own event loop, as in production) or in this one. */
async function startServer(inProcess: boolean): Promise<RunningKeel> {
  if (!inProcess) return spawnKeel(process.env);
  const { app, port } = await startKeel(process.env);
  return { port, pid: process.pid, stop: () => app.close() };
}

/**
 * The dashboard: its first request after Keel started (nothing computed or cached yet), then
 * over one connection for up to 5 s.
 */
async function measureDashboard(
  load: { url: string; headers: Record<string, string> },
  duration: number,
): Promise<BenchRun["dashboard"]> {
  const path = "/api/v1/dashboard";
  const started = performance.now();
  const response = await fetch(`${load.url}${path}`, { headers: load.headers });
  await response.arrayBuffer();
  const coldMs = Math.round((performance.now() - started) * 10) / 10;
  if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}`);
  const warm = await runHttp(
    { next: () => ({ method: "GET", path }) },
    { ...load, connections: 1, duration: Math.min(5, duration) },
  );
  log(`[bench] dashboard: cold ${coldMs} ms; warm p50 ${warm.p50} ms, p95 ${warm.p95} ms (${warm.requests} requests)`);
  return { coldMs, warm };
}

/**
 * The list page straight against PostgreSQL: the statements the API runs for it are captured
 * from Drizzle (BEGIN, set_config of role and workspace, the SELECT, COMMIT) and replayed
 * through a pg pool; then the SELECT alone.
 */
async function rawBaseline(
  databaseUrl: string,
  workspaceId: string,
  userId: string,
  options: { connections: number; duration: number; warmup: number },
): Promise<BenchRun["raw"]> {
  const captured: Statement[] = [];
  const capturePool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  try {
    const capturing = drizzle(capturePool, {
      casing: "snake_case",
      logger: { logQuery: (text, params) => captured.push({ text, params }) },
    }) as unknown as Database;
    const ctx = {
      db: capturing,
      workspaceId,
      actor: { kind: "user" as const, userId, role: "admin" as const },
      requestId: "bench",
    };
    const query = { "filter[lifecycle]": "customer", sort: "-createdAt", limit: 50 };
    await listContacts(ctx, parseListRequest(contactsListSpec, query, userId));
  } finally {
    await capturePool.end();
  }
  const select = captured.find((s) => /^select .* from "contacts"/is.test(s.text));
  if (!select)
    throw new Error(`No list SELECT among the captured statements: ${captured.map((s) => s.text).join("; ")}`);

  const pool = new pg.Pool({ connectionString: databaseUrl, max: options.connections });
  try {
    const run = async (statements: Statement[]) => {
      if (options.warmup > 0)
        await runRaw(pool, statements, { connections: options.connections, duration: options.warmup });
      return runRaw(pool, statements, { connections: options.connections, duration: options.duration });
    };
    const transaction = await run(captured);
    log(`[bench] raw list (transaction): ${transaction.rps} req/s, p95 ${transaction.p95} ms`);
    const plain = await run([select]);
    log(`[bench] raw list (plain SELECT): ${plain.rps} req/s, p95 ${plain.p95} ms`);
    return { transaction, plain, statements: captured.map((s) => inlineParams(s)) };
  } finally {
    await pool.end();
  }
}

/** A statement with its parameters written in, for the report. */
function inlineParams(statement: Statement): string {
  return statement.text.replace(/\$(\d+)/g, (_, n: string) => {
    const value = statement.params[Number(n) - 1];
    return typeof value === "number" ? String(value) : `'${String(value).replace(/'/g, "''")}'`;
  });
}

async function previousSeedSeconds(workspaceId: string): Promise<number | null> {
  try {
    const previous = JSON.parse(await readFile(resultsFile, "utf8")) as { run?: BenchRun };
    return previous.run?.seed.workspaceId === workspaceId ? previous.run.seed.seconds : null;
  } catch {
    return null;
  }
}

async function scalar(db: Database, query: ReturnType<typeof sql>): Promise<string> {
  const result = (await db.execute(query)) as unknown as { rows: Record<string, unknown>[] };
  return String(Object.values(result.rows[0] ?? {})[0] ?? "");
}

async function postgresSettings(db: Database): Promise<Record<string, string>> {
  const result = (await db.execute(
    sql`select name, current_setting(name) as value from pg_settings
        where name in ('shared_buffers', 'work_mem', 'effective_cache_size', 'max_connections', 'synchronous_commit', 'jit')
        order by name`,
  )) as unknown as { rows: { name: string; value: string }[] };
  return Object.fromEntries(result.rows.map((row) => [row.name, row.value]));
}

/** The command as run, with the database password hidden. */
function commandLine(databaseUrl: string, args: string[]): string {
  const url = new URL(databaseUrl);
  if (url.password) url.password = "…";
  return `DATABASE_URL=${url.toString()} npm run bench${args.length ? ` -- ${args.join(" ")}` : ""}`;
}

function positiveInteger(flag: string, value: string | undefined): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new UsageError(`${flag} must be a positive integer`);
  return number;
}

class UsageError extends Error {}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof UsageError ? error.message : error);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
