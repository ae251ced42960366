/**
 * A throwaway PostgreSQL cluster of the machine's own binaries, in a temp dir on a free port, for
 * the fault tests: start, stop, restart (both `-m fast`), terminate the backends of a database,
 * and remove everything. As root, initdb and postgres run as the `postgres` OS user.
 */
import { execFileSync, spawn } from "node:child_process";
import { chmodSync, chownSync, existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { freePort } from "../ports.ts";

export type PostgresCluster = {
  url: string;
  port: number;
  dir: string;
  start: () => Promise<void>;
  stop: () => Promise<void>;
  restart: () => Promise<void>;
  /** Terminates every other backend connected to `database`; returns how many. */
  terminateBackends: (database?: string) => Promise<number>;
  /** Stops the server (immediately) and deletes the temp dir. */
  remove: () => Promise<void>;
  logTail: () => string;
};

const isRoot = process.getuid?.() === 0;

function binDir(): string {
  try {
    const dir = execFileSync("pg_config", ["--bindir"], { encoding: "utf8" }).trim();
    if (existsSync(join(dir, "initdb"))) return dir;
  } catch {
    // No pg_config on the PATH: look in the Debian layout.
  }
  const versions = existsSync("/usr/lib/postgresql") ? readdirSync("/usr/lib/postgresql").sort() : [];
  const dir = versions.map((v) => `/usr/lib/postgresql/${v}/bin`).find((d) => existsSync(join(d, "initdb")));
  if (!dir) throw new Error("No PostgreSQL binaries: neither `pg_config --bindir` nor /usr/lib/postgresql/*/bin");
  return dir;
}

/** Runs a PostgreSQL binary (as `postgres` when we are root); resolves on exit 0, else rejects with its output. */
function runPg(bin: string, args: string[]): Promise<void> {
  const [command, commandArgs] = isRoot ? ["runuser", ["-u", "postgres", "--", bin, ...args]] : [bin, args];
  return new Promise((resolve, reject) => {
    // stdio ignored or piped but never waited on: a started postmaster must not hold our pipes open.
    const child = spawn(command, commandArgs, { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`${bin} ${args.join(" ")} exited with ${code}:\n${output}`)),
    );
  });
}

async function makeDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "keel-faults-pg-"));
  if (isRoot) {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
    chownSync(dir, uid, gid);
  }
  chmodSync(dir, 0o755);
  return dir;
}

/** Creates and starts a cluster; call `remove()` afterwards (in afterAll), also when a test failed. */
export async function startPostgresCluster(): Promise<PostgresCluster> {
  const bin = binDir();
  const dir = await makeDir();
  const data = join(dir, "data");
  const log = join(dir, "postgres.log");
  const port = await freePort();
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`;
  const ctl = (...args: string[]) => runPg(join(bin, "pg_ctl"), ["-D", data, "-l", log, ...args]);

  await runPg(join(bin, "initdb"), ["-A", "trust", "-U", "postgres", "-D", data, "--no-sync"]);
  const cluster: PostgresCluster = {
    url,
    port,
    dir,
    start: () => ctl("-o", options, "-w", "start"),
    stop: () => ctl("-m", "fast", "-w", "stop"),
    restart: () => ctl("-o", options, "-m", "fast", "-w", "restart"),
    terminateBackends: (database = "postgres") => terminateBackends(url, database),
    remove: async () => {
      await ctl("-m", "immediate", "-w", "stop").catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
    logTail: () => tail(log),
  };
  try {
    await cluster.start();
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return cluster;
}

async function terminateBackends(url: string, database: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query(
      "select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()",
      [database],
    );
    return result.rowCount ?? 0;
  } finally {
    await client.end();
  }
}

function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}
