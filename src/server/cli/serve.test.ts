import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { demoAccounts, demoPassword } from "../modules/seed/index.ts";
import { freePort } from "../test/ports.ts";

const cliEntry = new URL("./main.ts", import.meta.url).pathname;
const folders: string[] = [];
const running: ChildProcess[] = [];

afterAll(() => {
  running.forEach((child) => child.kill("SIGKILL"));
  folders.forEach((dir) => rmSync(dir, { recursive: true, force: true }));
});

type Served = { child: ChildProcess; port: number; output: () => string; exited: Promise<number | null> };

/** Starts `keel serve` as an operator would, on an embedded data folder. */
async function serve(env: Record<string, string>, dataDir: string): Promise<Served> {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", cliEntry, "serve"], {
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
});
