import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { get } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../test/ports.ts";
import { keelCli } from "../test/keel-cli.ts";

/** `keel serve` as an operator starts it, for the CLI's tests (serve.test.ts, cluster.test.ts). */

const folders: string[] = [];
const running: ChildProcess[] = [];

/** Kills what the file started and removes its folders: each test file calls it in afterAll. */
export function cleanUp(): void {
  running.splice(0).forEach((child) => child.kill("SIGKILL"));
  folders.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true }));
}

export type Served = { child: ChildProcess; port: number; output: () => string; exited: Promise<number | null> };

/** Starts `keel serve` as an operator would, on an embedded data folder. */
export async function serve(env: Record<string, string>, dataDir: string, args: string[] = []): Promise<Served> {
  const port = await freePort();
  const child = spawn(process.execPath, keelCli("serve", ...args), {
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

export async function waitReady(served: Served): Promise<void> {
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

export async function stop(served: Served): Promise<void> {
  served.child.kill("SIGTERM");
  await served.exited;
}

export function newDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "keel-serve-"));
  folders.push(dir);
  return dir;
}

/** GET on a connection of its own (a kept-alive one could lead to a worker killed meanwhile). */
export function getStatus(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false, headers }, (response) => {
      let body = "";
      response.on("data", (chunk) => (body += String(chunk)));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
    }).on("error", reject);
  });
}

export const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
