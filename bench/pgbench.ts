import { spawn } from "node:child_process";
import { mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CapturedRequest } from "./capture.ts";
import { summarize, type Measurement } from "./load.ts";

/**
 * The physical baseline of each scenario: pgbench, PostgreSQL's own load generator, replaying
 * the statements Keel sent for one request of the scenario (captured by capture.ts) as one
 * pgbench transaction, prepared once per connection (`-M prepared`).
 */

/** What differs from one request of a scenario to the next, so that pgbench varies it too. */
export type Variation = {
  /** A value the scenario rotates through (the contact read or updated): pgbench picks one of
   * `values` per transaction, each client from its own share (see rotationOf). */
  rotating?: { captured: string; values: string[] };
  /** A value each request makes unique (a new contact's e-mail): `prefix`, the client and a
   * random number, `suffix`. */
  unique?: { captured: string; prefix: string; suffix: string };
};

/** pgbench's figures over the measured seconds, from its transaction log. */
export type PgbenchMeasurement = Measurement & { tps: number; latencyAverage: number };

/** pgbench's version line, or null when it is not on PATH. */
export async function pgbenchVersion(): Promise<string | null> {
  try {
    const { code, stdout } = await run("pgbench", ["--version"], process.env, 10_000);
    return code === 0 ? stdout.trim() : null;
  } catch {
    return null;
  }
}

/**
 * The pgbench script replaying `captured`: every statement in order (the membership lookup,
 * BEGIN, the `set_config` of role and workspace, the queries, COMMIT), parameters written in as
 * literals so PostgreSQL plans each with the values Keel sent. Ids the request generated become
 * new UUIDv7-shaped ids per transaction; `variation` says what else changes per transaction.
 */
export function pgbenchScript(captured: CapturedRequest, variation: Variation, clients: number): string {
  const generated = new Map<string, number>();
  const found = new Set<string>();
  const rotation = variation.rotating && rotationOf(variation.rotating.values, clients);
  const render = (value: string | null): string => {
    if (value === null) return "NULL";
    if (rotation && value === variation.rotating?.captured) {
      found.add(value);
      return rotation.expression;
    }
    if (value === variation.unique?.captured) {
      found.add(value);
      return `(${sqlLiteral(variation.unique.prefix)} || :client_id || '-' || :r || ${sqlLiteral(variation.unique.suffix)})`;
    }
    if (isGeneratedId(value, captured.startedAt)) return newId(value);
    return withNewIdsInside(value);
  };
  const newId = (value: string): string => {
    if (!generated.has(value)) generated.set(value, generated.size);
    return newIdExpression(generated.get(value) ?? 0);
  };
  // A JSON parameter (the audit entries and events of a write, sent as one document) names the
  // ids the request generated too: they are made anew there as well, or the second transaction
  // would insert the first one's event id again.
  const withNewIdsInside = (value: string): string => {
    const parts: string[] = [];
    let rest = 0;
    for (const match of value.matchAll(uuidV7Inside)) {
      if (!isGeneratedId(match[0], captured.startedAt)) continue;
      parts.push(sqlLiteral(value.slice(rest, match.index)), `${newId(match[0])}::text`);
      rest = match.index + match[0].length;
    }
    if (parts.length === 0) return sqlLiteral(value);
    parts.push(sqlLiteral(value.slice(rest)));
    return `(${parts.join(" || ")})`;
  };
  const statements = captured.statements.map(({ text: sent, params }) => {
    // Keel's markers for its driver (`/* keel:prepared:name */`, `/* keel:with-begin */`) are
    // comments to PostgreSQL, but pgbench would read their `:name` as a variable.
    const text = sent.replace(/\/\* keel:[^*]*\*\/\s*/g, "");
    const hazard = pgbenchVariableIn(text);
    if (hazard) throw new Error(`pgbench would read "${hazard}" in this statement as one of its variables: ${text}`);
    return `${text.trim().replace(/\$(\d+)/g, (_, n: string) => render(params[Number(n) - 1] ?? null))};`;
  });
  for (const value of [variation.rotating?.captured, variation.unique?.captured]) {
    if (value !== undefined && !found.has(value)) throw new Error(`"${value}" is in none of the captured statements`);
  }
  const header = [`-- ${captured.name}: the statements Keel sent for one request, as one transaction`];
  if (generated.size > 0 || variation.unique) header.push("\\set r random(0, 281474976710655)");
  if (rotation) header.push(rotation.index);
  return `${[...header, ...statements].join("\n")}\n`;
}

/** The most values of a rotation one client uses (see rotationOf). */
export const maxValuesPerClient = 16;

/**
 * How pgbench rotates through `values`: `\set n` picks, per transaction, one value of the
 * client's own share (clients beyond the number of values share them), so concurrent
 * transactions never wait on each other's row locks; the expression reads it from the values
 * written in as an array. A share holds at most maxValuesPerClient values: pgbench prepares each
 * statement of each connection one after the other, and thousands of ids written into every
 * statement would keep its clients waiting for seconds before the first transaction.
 */
function rotationOf(values: string[], clients: number): { index: string; expression: string } {
  const shares = Math.max(1, Math.min(clients, values.length));
  const share = Math.min(maxValuesPerClient, Math.floor(values.length / shares));
  const used = values.slice(0, shares * share);
  return {
    index: `\\set n 1 + (:client_id % ${shares}) * ${share} + random(0, ${share - 1})`,
    expression: `(${sqlLiteral(`{${used.join(",")}}`)}::uuid[])[:n::int]`,
  };
}

/**
 * A new id per transaction in UUIDv7 layout, as Keel's newId makes them: the transaction's
 * millisecond first (so new rows land at the end of the indexes, as Keel's do), then which id
 * of the request it is, the client and a random number.
 */
function newIdExpression(index: number): string {
  const kind = index.toString(16).padStart(3, "0");
  return (
    `(lpad(to_hex((extract(epoch from now()) * 1000)::bigint), 12, '0') || '7${kind}8' || ` +
    `lpad(to_hex(:client_id::int), 3, '0') || lpad(to_hex(:r::bigint), 12, '0'))::uuid`
  );
}

const uuidV7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
const uuidV7Inside = /[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/gi;

/** A UUIDv7 made no earlier than the request arrived: an id the request generated. */
export function isGeneratedId(value: string, requestStartedAt: number): boolean {
  if (!uuidV7.test(value)) return false;
  return Number.parseInt(value.replace(/-/g, "").slice(0, 12), 16) >= requestStartedAt;
}

/**
 * A string literal pgbench leaves alone: pgbench turns every `:name` of a statement into a
 * variable, inside quotes too, so a value with a colon is written as an escape string with the
 * colon as \x3a (backslashes and line breaks escaped with it).
 */
export function sqlLiteral(value: string): string {
  const quoted = value.replace(/'/g, "''");
  if (!/[:\\\n\r]/.test(value)) return `'${quoted}'`;
  const escaped = quoted.replace(/\\/g, "\\\\").replace(/:/g, "\\x3a").replace(/\n/g, "\\n").replace(/\r/g, "\\r");
  return `E'${escaped}'`;
}

/** The first `:name` in a statement's own text that pgbench would take for a variable (`::` casts are fine). */
function pgbenchVariableIn(text: string): string | null {
  return /(?<!:):(?!:)[A-Za-z0-9_\u0080-\uffff]+/.exec(text)?.[0] ?? null;
}

/** One line of pgbench's per-transaction log: when it ended (s) and its latency (ms; null: failed). */
export type LoggedTransaction = { end: number; latency: number | null };

/**
 * pgbench's per-transaction log (`-l`): each line is `client transaction latency_µs script
 * epoch_s µs …`, the latency "failed" for a transaction that failed (and "skipped" for one a
 * rate limit skipped, which did not run: left out).
 */
export function parseTransactionLog(log: string): LoggedTransaction[] {
  const transactions: LoggedTransaction[] = [];
  for (const line of log.split("\n")) {
    const [, , latency, , epoch, micros] = line.trim().split(/\s+/);
    if (latency === undefined || epoch === undefined || micros === undefined || latency === "skipped") continue;
    const end = Number(epoch) + Number(micros) / 1e6;
    transactions.push({ end, latency: latency === "failed" ? null : Number(latency) / 1000 });
  }
  return transactions;
}

/**
 * The transactions of the last `seconds` of a run (up to the last one logged): the run's first
 * seconds open and warm its connections, which Keel's long-lived pool has long done.
 */
export function lastSeconds(transactions: LoggedTransaction[], seconds: number): LoggedTransaction[] {
  const last = transactions.reduce((latest, t) => Math.max(latest, t.end), Number.NEGATIVE_INFINITY);
  return transactions.filter((t) => t.end > last - seconds);
}

/**
 * Runs the scripts (picked at random with equal weights, one per shape of the scenario's
 * requests) with `connections` clients for `warmup` + `duration` seconds, each transaction
 * logged, and measures the last `duration` seconds: one run, so the warm-up warms the very
 * connections that are measured (a new PostgreSQL session first loads its catalog caches and
 * plans every statement). Throws with pgbench's own message when it fails.
 */
export async function runPgbench(
  databaseUrl: string,
  scripts: string[],
  options: { connections: number; duration: number; warmup: number },
): Promise<PgbenchMeasurement> {
  const folder = await mkdtemp(join(tmpdir(), "keel-pgbench-"));
  try {
    const files = await Promise.all(
      scripts.map(async (script, index) => {
        const file = join(folder, `shape-${index + 1}.sql`);
        await writeFile(file, script);
        return file;
      }),
    );
    const seconds = options.duration + Math.ceil(options.warmup);
    const { connection, env } = pgbenchConnection(databaseUrl);
    const args = [
      ...pgbenchOptions(options.connections, seconds),
      ...files.flatMap((file) => ["-f", `${file}@1`]),
      ...["-l", `--log-prefix=${join(folder, "transactions")}`, connection],
    ];
    const result = await run("pgbench", args, env, (seconds + 120) * 1000);
    if (result.code !== 0) {
      throw new Error(
        `pgbench failed (exit ${result.code}): ${result.stderr.trim().split("\n").slice(0, 3).join(" ")}`,
      );
    }
    const logs = (await readdir(folder)).filter((name) => name.startsWith("transactions."));
    const logged = parseTransactionLog(
      (await Promise.all(logs.map((name) => readFile(join(folder, name), "utf8")))).join("\n"),
    );
    const measured = lastSeconds(logged, options.duration);
    const latencies = measured.flatMap((t) => (t.latency === null ? [] : [t.latency]));
    if (latencies.length === 0) throw new Error(`pgbench completed no transaction in ${seconds} s`);
    const tps = latencies.length / options.duration;
    return {
      ...summarize(latencies, options.duration, measured.length - latencies.length, {}),
      rps: Math.round(tps),
      tps: Math.round(tps * 10) / 10,
      latencyAverage: Math.round((latencies.reduce((sum, l) => sum + l, 0) / latencies.length) * 100) / 100,
    };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/** Prepared statements, no vacuum of pgbench's own tables (there are none), two threads at most. */
function pgbenchOptions(connections: number, seconds: number): string[] {
  return [
    "-M",
    "prepared",
    "-n",
    "-c",
    String(connections),
    "-j",
    String(Math.min(2, connections)),
    "-T",
    String(seconds),
  ];
}

/** The pgbench run as a command line, for the report. */
export function pgbenchCommandLine(connections: number, duration: number, warmup: number): string {
  return `pgbench ${pgbenchOptions(connections, duration + Math.ceil(warmup)).join(" ")} -f <shape>.sql@1 … -l`;
}

/** DATABASE_URL as libpq takes it, the password moved to PGPASSWORD (off the command line). */
function pgbenchConnection(databaseUrl: string): { connection: string; env: NodeJS.ProcessEnv } {
  const url = new URL(databaseUrl);
  const env = { ...process.env };
  if (url.password) env.PGPASSWORD = decodeURIComponent(url.password);
  url.password = "";
  return { connection: url.toString(), env };
}

function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
