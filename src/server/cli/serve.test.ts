import { spawn, type ChildProcess } from "node:child_process";
import { get } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { demoAccounts, demoPassword } from "../modules/seed/index.ts";
import { freePort, sleep } from "../test/ports.ts";

// eslint-disable-next-line n/no-process-env -- tests choose their database like CI does
const testDatabaseUrl = process.env.TEST_DATABASE_URL;

const cliEntry = new URL("./main.ts", import.meta.url).pathname;
const folders: string[] = [];
const running: ChildProcess[] = [];

afterAll(() => {
  running.forEach((child) => child.kill("SIGKILL"));
  folders.forEach((dir) => rmSync(dir, { recursive: true, force: true }));
});

type Served = { child: ChildProcess; port: number; output: () => string; exited: Promise<number | null> };

/** Starts `keel serve` as an operator would, on an embedded data folder. */
async function serve(env: Record<string, string>, dataDir: string, args: string[] = []): Promise<Served> {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", cliEntry, "serve", ...args], {
    env: {
      // eslint-disable-next-line n/no-process-env -- the CLI reads its configuration from the environment
      ...process.env,
      DATABASE_URL: "",
      KEEL_DEMO: "",
      KEEL_DATA_DIR: dataDir,
      PORT: String(port),
      HOST: "127.0.0.1",
      LOG_LEVEL: "warn",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.push(child);
  let output = "";
  child.stdout?.on("data", (data) => (output += String(data)));
  child.stderr?.on("data", (data) => (output += String(data)));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, port, output: () => output, exited };
}

async function waitReady(served: Served): Promise<void> {
  for (let i = 0; i < 240; i++) {
    const ok = await fetch(`http://127.0.0.1:${served.port}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    if (served.child.exitCode !== null) throw new Error(`keel serve exited: ${served.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`keel serve never became ready: ${served.output()}`);
}

async function stop(served: Served): Promise<void> {
  served.child.kill("SIGTERM");
  await served.exited;
}

function newDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "keel-serve-"));
  folders.push(dir);
  return dir;
}

describe("keel serve", () => {
  it("in production, seeds no demo and publishes no demo password unless KEEL_DEMO=true", async () => {
    const served = await serve({ NODE_ENV: "production" }, newDataDir());
    try {
      await waitReady(served);
      const base = `http://127.0.0.1:${served.port}`;
      expect(await (await fetch(`${base}/api/v1/auth/options`)).json()).toEqual({
        demoAccounts: [],
        demoPassword: null,
      });
      const signIn = await fetch(`${base}/api/v1/auth/sign-in`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: demoAccounts[0]?.email, password: demoPassword }),
      });
      expect(signIn.status).toBe(401);
      expect(served.output()).not.toMatch(/DEMO MODE/);
    } finally {
      await stop(served);
    }
  }, 120_000);

  it("in production with KEEL_DEMO=true, warns loudly in the log", async () => {
    const served = await serve({ NODE_ENV: "production", KEEL_DEMO: "true" }, newDataDir());
    try {
      await waitReady(served);
      expect(served.output()).toMatch(/DEMO MODE IS ON IN PRODUCTION/);
    } finally {
      await stop(served);
    }
  }, 120_000);

  it("refuses to start on a data folder another process is serving, saying which", async () => {
    const dataDir = newDataDir();
    const first = await serve({}, dataDir);
    try {
      await waitReady(first);
      const second = await serve({}, dataDir);
      expect(await second.exited).toBe(1);
      expect(second.output()).toContain(`in use by another Keel process (pid ${first.child.pid})`);
      expect((await fetch(`http://127.0.0.1:${first.port}/readyz`)).status).toBe(200);
    } finally {
      await stop(first);
    }
  }, 120_000);

  it("in production, refuses METRICS=true without a metrics token or port, saying what to set", async () => {
    const served = await serve({ NODE_ENV: "production", METRICS: "true" }, newDataDir());
    expect(await served.exited).toBe(1);
    expect(served.output()).toContain("METRICS=true in production needs METRICS_TOKEN");
    expect(served.output()).toContain("or METRICS_PORT");
  }, 60_000);

  it("refuses --workers above 1 on the embedded database, and a --workers that is no count", async () => {
    const embedded = await serve({}, newDataDir(), ["--workers", "2"]);
    expect(await embedded.exited).toBe(1);
    expect(embedded.output()).toContain("--workers N (N > 1) needs a PostgreSQL server (DATABASE_URL)");
    const zero = await serve({}, newDataDir(), ["--workers", "0"]);
    expect(await zero.exited).toBe(2);
    expect(zero.output()).toContain("--workers must be a whole number from 1 to 64");
  }, 60_000);
});

/** GET on a connection of its own (a kept-alive one could lead to a worker killed meanwhile). */
function getStatus(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false, headers }, (response) => {
      let body = "";
      response.on("data", (chunk) => (body += String(chunk)));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
    }).on("error", reject);
  });
}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe.skipIf(!testDatabaseUrl)("keel serve --workers 2 (PostgreSQL)", () => {
  it("runs two workers on one port, restarts one that dies while the other answers, and stops both on SIGTERM", async () => {
    const token = "cluster-metrics-token-0123456789";
    const served = await serve(
      { DATABASE_URL: testDatabaseUrl ?? "", KEEL_DEMO: "false", METRICS: "true", METRICS_TOKEN: token },
      newDataDir(),
      ["--workers", "2"],
    );
    const base = `http://127.0.0.1:${served.port}`;
    /** The process ids every worker reports: any worker's /metrics answers for all of them. */
    const workerPids = async () => {
      const { body } = await getStatus(`${base}/metrics`, { authorization: `Bearer ${token}` });
      return [...body.matchAll(/^keel_process_info\{pid="(\d+)"\} 1$/gm)].map((match) => Number(match[1]));
    };
    const waitForWorkers = async (isWanted: (pids: number[]) => boolean) => {
      for (let i = 0; i < 240; i++) {
        const pids = await workerPids().catch(() => []);
        if (isWanted(pids)) return pids;
        await sleep(250);
      }
      throw new Error(`the workers never came up as expected: ${served.output()}`);
    };
    try {
      await waitReady(served);
      const first = await waitForWorkers((pids) => pids.length === 2);
      expect(first).not.toContain(served.child.pid);

      const [killed = 0, survivor = 0] = first;
      process.kill(killed, "SIGKILL");
      while (!served.output().includes(`worker ${killed} killed by SIGKILL; restarting it in`)) await sleep(50);
      // While the primary waits to restart it, the other worker answers every request.
      const statuses = await Promise.all(Array.from({ length: 10 }, () => getStatus(`${base}/readyz`)));
      expect(statuses.map((answer) => answer.status)).toEqual(Array(10).fill(200));

      const second = await waitForWorkers((pids) => pids.length === 2 && !pids.includes(killed));
      expect(second).toContain(survivor);
      expect((await getStatus(`${base}/readyz`)).status).toBe(200);

      served.child.kill("SIGTERM");
      expect(await served.exited).toBe(0);
      expect(second.filter(isAlive)).toEqual([]);
    } finally {
      served.child.kill("SIGKILL");
    }
  }, 120_000);
});
