import { spawn } from "node:child_process";
import { once } from "node:events";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { buildServer } from "../scripts/build-server.ts";
import { freePort, sleep } from "../src/server/test/ports.ts";
import { processMemory, type ProcessMemory } from "./process-memory.ts";

/**
 * Keel as the import and export benchmarks run it: `keel serve` with its workers in one child
 * process (so its memory figures are Keel's own), in production mode over plain HTTP on
 * 127.0.0.1, on DATABASE_URL or an embedded data folder in `work`, without rate limits. It runs
 * the compiled server, as `npm start` does, built first when its sources changed.
 */

const repoRoot = fileURLToPath(new URL("../", import.meta.url));
/**
 * The `keel` CLI as `npm start` runs it (package.json): node on dist/server, no TypeScript loader,
 * the young generation capped at 8 MiB a half and the old one growing by at most 2× between full
 * collections (docs/operations.md says why).
 */
export const keelCli = ["--max-semi-space-size=8", "--heap-growing-percent=100", "dist/server/main.js"];
/** The C library's allocator settings `npm start` gives Keel (package.json; docs/operations.md says why). */
export const allocatorEnvironment = {
  MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? "2",
  MALLOC_MMAP_THRESHOLD_: process.env.MALLOC_MMAP_THRESHOLD_ ?? "131072",
};
/** How `npm start` runs `keel serve`, for the reports. */
export const startCommand = `${Object.entries(allocatorEnvironment)
  .map(([name, value]) => `${name}=${value}`)
  .join(" ")} node ${keelCli.join(" ")} serve`;
let built: Promise<boolean> | undefined;
const compiledServer = () => (built ??= buildServer());

/** `keel serve` started and ready (`/readyz`); `stop` sends SIGTERM and waits for it to exit. */
export async function startServe(databaseUrl: string | undefined, work: string) {
  await compiledServer();
  const port = await freePort();
  const child = spawn(process.execPath, [...keelCli, "serve"], {
    cwd: repoRoot,
    env: { ...serveEnvironment(databaseUrl, work), PORT: String(port) },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  for (let waited = 0; ; waited += 250) {
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) break;
    if (child.exitCode !== null || waited > 180_000) throw new Error("keel serve did not start");
    await sleep(250);
  }
  return {
    port,
    pid: child.pid!,
    stop: async () => {
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/**
 * The resident memory of `keel serve` as `npm start` runs it, at rest: started on DATABASE_URL
 * (or an embedded folder in `work`), left idle for `idleMs` with no request but the readiness
 * probe, then read from /proc (null where there is no /proc).
 */
export async function idleMemoryOfServe(
  databaseUrl: string | undefined,
  work: string,
  idleMs = 10_000,
): Promise<ProcessMemory | null> {
  const keel = await startServe(databaseUrl, work);
  try {
    await sleep(idleMs);
    return await processMemory(keel.pid);
  } finally {
    await keel.stop();
  }
}

function serveEnvironment(databaseUrl: string | undefined, work: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    // Production needs it (links in e-mails); the benchmark sends none.
    PUBLIC_URL: "http://127.0.0.1",
    COOKIE_SECURE: "false",
    HOST: "127.0.0.1",
    LOG_LEVEL: "warn",
    KEEL_DEMO: "false",
    RATE_LIMIT_API_PER_MINUTE: "0",
    RATE_LIMIT_AUTH_PER_MINUTE: "0",
    RATE_LIMIT_EXPORT_PER_MINUTE: "0",
    ...allocatorEnvironment,
  };
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  else {
    delete env.DATABASE_URL;
    env.KEEL_DATA_DIR = path.join(work, "data");
  }
  return env;
}

/** `keel users create-admin` (which migrates first), the password on standard input. */
export async function createAdmin(
  databaseUrl: string | undefined,
  work: string,
  account: { email: string; password: string; workspace: string },
): Promise<void> {
  await compiledServer();
  const child = spawn(
    process.execPath,
    [...keelCli, "users", "create-admin", "--email", account.email, "--workspace", account.workspace],
    { cwd: repoRoot, env: serveEnvironment(databaseUrl, work), stdio: ["pipe", "ignore", "inherit"] },
  );
  child.stdin.end(`${account.password}\n`);
  const [code] = (await once(child, "exit")) as [number];
  if (code !== 0) throw new Error(`keel users create-admin exited with ${code}`);
}

/** Signs in at `api` (…/api/v1) and returns the session cookie to send. */
export async function signInAs(api: string, email: string, password: string): Promise<string> {
  const response = await fetch(`${api}/auth/sign-in`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password }),
  });
  const cookie = response.headers.getSetCookie().find((value) => /keel_session=/.test(value));
  if (response.status !== 200 || !cookie) throw new Error(`sign-in answered ${response.status}`);
  return cookie.split(";")[0] ?? "";
}

/**
 * A caller of the API at `api` (…/api/v1) with a session cookie: JSON in (or a multipart form) and
 * out; an answer other than 2xx throws with its status and the start of its body.
 */
export function apiCaller(api: string, cookie: string) {
  return async <T>(method: string, route: string, body?: FormData | object): Promise<T> => {
    const json = body !== undefined && !(body instanceof FormData);
    const response = await fetch(`${api}${route}`, {
      method,
      headers: { cookie, ...(json ? { "content-type": "application/json" } : {}) },
      body: json ? JSON.stringify(body) : (body ?? null),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${route} answered ${response.status}: ${text.slice(0, 500)}`);
    return JSON.parse(text) as T;
  };
}

export async function memoryOf(pid: number): Promise<ProcessMemory> {
  const memory = await processMemory(pid);
  if (!memory) throw new Error("no /proc: the memory figures need Linux");
  return memory;
}

/** One decimal. */
export const round = (value: number) => Math.round(value * 10) / 10;
