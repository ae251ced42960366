/**
 * Keel as a child process (`tsx src/server/cli/main.ts serve`, in its own process group) on a
 * PostgreSQL URL or an embedded data folder, with the demo workspace. Captures its output, knows
 * whether it exited, and can be killed with SIGKILL (the whole group: tsx and the node it runs).
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { demoAccounts, demoPassword } from "../../modules/seed/demo-accounts.ts";
import { freePort, sleep } from "../ports.ts";

const repoRoot = fileURLToPath(new URL("../../../../", import.meta.url));

export type KeelDatabase = { databaseUrl: string } | { dataDir: string };
export type ExitState = { code: number | null; signal: NodeJS.Signals | null };

export type KeelProcess = {
  baseUrl: string;
  /** Everything it printed so far (stdout and stderr interleaved). */
  output: () => string;
  /** How it exited, or null while it runs. */
  exitState: () => ExitState | null;
  exited: Promise<ExitState>;
  /** SIGKILL to tsx and the server, then waits until both are gone (reaped, not zombies). */
  kill9: () => Promise<void>;
  /**
   * SIGKILL to the server only, its parent (tsx) stopped first so nobody reaps it: the server stays
   * a zombie, as under a PID 1 that does not reap (a container without an init). `kill9` ends it.
   */
  kill9Unreaped: () => Promise<void>;
  stop: () => Promise<void>;
};

function keelEnvironment(database: KeelDatabase, port: number): NodeJS.ProcessEnv {
  // eslint-disable-next-line n/no-process-env -- the child gets our environment minus any database of the shell
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.DATABASE_URL;
  delete env.TEST_DATABASE_URL;
  delete env.KEEL_DATA_DIR;
  return {
    ...env,
    ...("databaseUrl" in database ? { DATABASE_URL: database.databaseUrl } : { KEEL_DATA_DIR: database.dataDir }),
    NODE_ENV: "development",
    COOKIE_SECURE: "false",
    PORT: String(port),
    HOST: "127.0.0.1",
    LOG_LEVEL: "warn",
    KEEL_DEMO: "true",
    // The fault tests send bursts of requests as a few demo users.
    RATE_LIMIT_API_PER_MINUTE: "0",
    RATE_LIMIT_AUTH_PER_MINUTE: "0",
  };
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid) process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

/** The process state letter of /proc/<pid>/stat (R, S, Z…), or null when there is no such process. */
function processState(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
  } catch {
    return null;
  }
}

/** The node process tsx started (the server itself; tsx also runs an esbuild service). */
function serverPid(tsxPid: number): number {
  const children = execFileSync("ps", ["-o", "pid=,comm=", "--ppid", String(tsxPid)], { encoding: "utf8" });
  const line = children.split("\n").find((l) => l.trim().endsWith(" node"));
  if (!line) throw new Error(`No node process under tsx (pid ${tsxPid}): ${children}`);
  return Number(line.trim().split(/\s+/)[0]);
}

/** Waits until no process of the group is left, zombies included. */
async function groupGone(pgid: number, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      process.kill(-pgid, 0);
    } catch {
      return;
    }
    if (Date.now() > deadline) throw new Error(`Process group ${pgid} still exists after ${timeoutMs} ms`);
    await sleep(50);
  }
}

/** Starts Keel without waiting for it; see `waitReady`. `env` adds to (or overrides) its environment. */
export async function spawnKeel(database: KeelDatabase, env: Record<string, string> = {}): Promise<KeelProcess> {
  const port = await freePort();
  const child = spawn(`${repoRoot}node_modules/.bin/tsx`, ["src/server/cli/main.ts", "serve"], {
    cwd: repoRoot,
    env: { ...keelEnvironment(database, port), ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  const append = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-2_000_000));
  child.stdout?.on("data", append);
  child.stderr?.on("data", append);
  let state: ExitState | null = null;
  const exited = new Promise<ExitState>((resolve) =>
    child.once("exit", (code, signal) => resolve((state = { code, signal }))),
  );
  const signalAndWait = async (signal: NodeJS.Signals) => {
    if (state) return;
    killGroup(child, signal);
    await exited;
  };
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    output: () => output,
    exitState: () => state,
    exited,
    kill9: async () => {
      await signalAndWait("SIGKILL");
      if (child.pid) await groupGone(child.pid);
    },
    kill9Unreaped: async () => {
      if (!child.pid || state) throw new Error("Keel is not running");
      const server = serverPid(child.pid);
      process.kill(child.pid, "SIGSTOP");
      process.kill(server, "SIGKILL");
      while (processState(server) !== "Z") await sleep(10);
    },
    stop: async () => {
      const killer = setTimeout(() => killGroup(child, "SIGKILL"), 5_000);
      await signalAndWait("SIGTERM");
      clearTimeout(killer);
      // tsx may leave the node it started behind for a moment; make sure the group is gone.
      killGroup(child, "SIGKILL");
    },
  };
}

/** Waits until /readyz answers 200; throws with the process output when it exits or times out. */
export async function waitReady(keel: KeelProcess, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const state = keel.exitState();
    if (state) throw new Error(`Keel exited (${describeExit(state)}) before it was ready:\n${keel.output()}`);
    const response = await fetch(`${keel.baseUrl}/readyz`, { signal: AbortSignal.timeout(2_000) }).catch(() => null);
    if (response?.status === 200) return;
    await sleep(200);
  }
  throw new Error(`Keel was not ready after ${timeoutMs} ms:\n${keel.output()}`);
}

/** Spawns Keel and waits for /readyz. */
export async function startKeel(database: KeelDatabase, env: Record<string, string> = {}): Promise<KeelProcess> {
  const keel = await spawnKeel(database, env);
  try {
    await waitReady(keel);
  } catch (error) {
    await keel.stop();
    throw error;
  }
  return keel;
}

export function describeExit(state: ExitState): string {
  return state.signal ? `signal ${state.signal}` : `code ${state.code}`;
}

/** Signs in as the demo admin; returns the Cookie header to send. */
export async function signIn(baseUrl: string): Promise<string> {
  const response = await fetch(`${baseUrl}/api/v1/auth/sign-in`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: demoAccounts[0].email, password: demoPassword }),
  });
  if (response.status !== 200) throw new Error(`Sign-in answered ${response.status}: ${await response.text()}`);
  const session = response.headers.getSetCookie().find((cookie) => /^(__Host-)?keel_session=/.test(cookie));
  if (!session) throw new Error(`Sign-in set no session cookie: ${response.headers.getSetCookie().join(" | ")}`);
  return session.split(";")[0] ?? "";
}
