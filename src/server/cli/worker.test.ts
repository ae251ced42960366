import { execFile, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { keelCli } from "../test/keel-cli.ts";

// eslint-disable-next-line n/no-process-env -- tests choose their database like CI does
const testDatabaseUrl = process.env.TEST_DATABASE_URL;
const folder = mkdtempSync(join(tmpdir(), "keel-worker-"));

afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** The environment of `keel …` as an operator would start it; DATABASE_URL empty: the embedded database. */
function environment(overrides: Record<string, string>): NodeJS.ProcessEnv {
  // eslint-disable-next-line n/no-process-env -- the CLI reads its configuration from the environment
  return { ...process.env, DATABASE_URL: "", KEEL_DATA_DIR: join(folder, "data"), LOG_LEVEL: "info", ...overrides };
}

describe("keel worker", () => {
  it("refuses the embedded database with a clear message and a non-zero exit, touching no data folder", async () => {
    const result = await new Promise<{ code: number; stderr: string }>((resolve) => {
      execFile(process.execPath, keelCli("worker"), { env: environment({}) }, (error, _out, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, stderr }),
      );
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("keel worker needs a PostgreSQL server (DATABASE_URL)");
    expect(result.stderr).toContain("can be opened by one process only");
    expect(existsSync(join(folder, "data"))).toBe(false);
  }, 60_000);

  it("is listed in the usage", async () => {
    const usage = await new Promise<string>((resolve) => {
      execFile(process.execPath, keelCli("--help"), { env: environment({}) }, (_error, stdout) => resolve(stdout));
    });
    expect(usage).toMatch(/worker\s+Run the background jobs only/);
  }, 60_000);

  it.skipIf(!testDatabaseUrl)(
    "runs the background jobs on PostgreSQL until SIGTERM, then stops them and exits 0",
    async () => {
      const child = spawn(process.execPath, keelCli("worker"), {
        env: environment({ DATABASE_URL: testDatabaseUrl ?? "" }),
        stdio: ["ignore", "pipe", "pipe"],
      });
      let output = "";
      child.stdout.on("data", (data) => (output += String(data)));
      child.stderr.on("data", (data) => (output += String(data)));
      const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
      try {
        for (let i = 0; i < 240 && !output.includes("background jobs running"); i++) {
          if (child.exitCode !== null) break;
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
        expect(output).toContain("background jobs running");
        child.kill("SIGTERM");
        expect(await exited).toBe(0);
        expect(output).toContain("background jobs stopped");
      } finally {
        child.kill("SIGKILL");
      }
    },
    90_000,
  );
});
