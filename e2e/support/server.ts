/**
 * Starts Keel the way a user does: build the web app (when stale), then `keel serve`, and waits
 * until /readyz answers. By default on a fresh embedded database seeded with the demo workspace
 * (the browser tests); with `databaseUrl` on that PostgreSQL database, without the demo (bench:web).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, mkdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../../src/server/test/ports.ts";
import { repoRoot, resultsDir } from "./env.ts";

export type RunningServer = { baseUrl: string; logFile: string; stop: () => Promise<void> };

const readyTimeoutMs = 180_000;

function tail(file: string, lines = 40): string {
  try {
    return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

/** Runs a command to completion, its output appended to the log; rejects on a non-zero exit. */
function run(command: string, args: string[], log: NodeJS.WritableStream, env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: repoRoot, env, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.pipe(log, { end: false });
    child.stderr.pipe(log, { end: false });
    child.on("error", reject);
    child.on("exit", (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(" ")} exited with ${signal ?? code}`)),
    );
  });
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", () => resolve());
  });
}

class WebAppError extends Error {}

/** The page and the scripts and styles it names must be served as such (not the SPA fallback). */
async function checkWebApp(baseUrl: string): Promise<void> {
  const page = await fetch(`${baseUrl}/`);
  const html = await page.text();
  if (!page.ok || !html.includes('id="root"'))
    throw new WebAppError(`GET / answered ${page.status} without the web app: ${html.slice(0, 200)}`);
  const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1] ?? "");
  for (const asset of assets) {
    const response = await fetch(`${baseUrl}${asset}`);
    const type = response.headers.get("content-type") ?? "";
    if (!response.ok || !/javascript|css/.test(type)) {
      throw new WebAppError(
        `${asset}, named by index.html, answered ${response.status} ${type}: dist/web changed while the server started? Run again.`,
      );
    }
  }
}

export type ServerOptions = {
  /** A PostgreSQL database to serve; absent: a fresh embedded one with the demo workspace. */
  databaseUrl?: string | undefined;
  /** Where the build's and the server's output go. */
  logFile?: string;
  nodeEnv?: "development" | "production";
};

export async function startServer(environment: NodeJS.ProcessEnv, options: ServerOptions = {}): Promise<RunningServer> {
  mkdirSync(resultsDir, { recursive: true });
  const logFile = options.logFile ?? join(resultsDir, "e2e-server.log");
  const log = createWriteStream(logFile);
  // A DATABASE_URL of the developer's shell is not for these runs: only the one asked for.
  const env: NodeJS.ProcessEnv = { ...environment, NODE_ENV: options.nodeEnv ?? "development", COOKIE_SECURE: "false" };
  delete env.DATABASE_URL;
  delete env.TEST_DATABASE_URL;
  if (options.databaseUrl) env.DATABASE_URL = options.databaseUrl;

  log.write("$ npx tsx scripts/build-web.ts\n");
  try {
    await run("npx", ["tsx", "scripts/build-web.ts"], log, env);
  } catch (error) {
    await new Promise((resolve) => log.end(resolve));
    throw new Error(`The web app did not build (npx tsx scripts/build-web.ts):\n${tail(logFile)}`, { cause: error });
  }

  const dataDir = await mkdtemp(join(tmpdir(), "keel-e2e-"));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  log.write(
    `$ ${options.databaseUrl ? "DATABASE_URL=…" : `KEEL_DATA_DIR=${dataDir}`} PORT=${port} tsx src/server/cli/main.ts serve\n`,
  );
  const server = spawn(join(repoRoot, "node_modules/.bin/tsx"), ["src/server/cli/main.ts", "serve"], {
    cwd: repoRoot,
    env: {
      ...env,
      KEEL_DATA_DIR: dataDir,
      PORT: String(port),
      HOST: "127.0.0.1",
      LOG_LEVEL: "warn",
      KEEL_DEMO: options.databaseUrl ? "false" : "true",
      // The journeys sign in as the same demo users many times a minute, from one address.
      RATE_LIMIT_API_PER_MINUTE: "0",
      RATE_LIMIT_AUTH_PER_MINUTE: "0",
    },
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group, so stopping it also stops what tsx started.
    detached: true,
  });
  server.stdout?.pipe(log, { end: false });
  server.stderr?.pipe(log, { end: false });
  const serverExit = exited(server);

  const stop = async () => {
    if (server.exitCode === null && server.signalCode === null && server.pid) {
      try {
        process.kill(-server.pid, "SIGTERM");
      } catch {
        // Already gone.
      }
      const killer = setTimeout(() => {
        try {
          if (server.pid) process.kill(-server.pid, "SIGKILL");
        } catch {
          // Already gone.
        }
      }, 10_000);
      await serverExit;
      clearTimeout(killer);
    }
    await new Promise((resolve) => log.end(resolve));
    await rm(dataDir, { recursive: true, force: true });
  };

  const started = Date.now();
  let isStopped = false;
  void serverExit.then(() => (isStopped = true));
  while (Date.now() - started < readyTimeoutMs) {
    if (isStopped) {
      await stop();
      throw new Error(`keel serve exited before it was ready:\n${tail(logFile)}`);
    }
    try {
      const response = await fetch(`${baseUrl}/readyz`);
      if (response.ok) {
        await checkWebApp(baseUrl).catch(async (error: unknown) => {
          await stop();
          throw error;
        });
        return { baseUrl, logFile, stop };
      }
    } catch (error) {
      if (error instanceof WebAppError) throw error;
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await stop();
  throw new Error(`keel serve was not ready after ${readyTimeoutMs / 1000} s:\n${tail(logFile)}`);
}
