import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { keelCli } from "../test/keel-cli.ts";

const run = promisify(execFile);
const dataDir = mkdtempSync(join(tmpdir(), "keel-cli-"));

type Result = { code: number; stdout: string; stderr: string };

/** Runs `keel <args>` as a user would, on an embedded database of its own, with `stdin` piped in. */
function keelWithInput(stdin: string, ...args: string[]): Promise<Result> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      keelCli(...args),
      // eslint-disable-next-line n/no-process-env -- the CLI reads its configuration from the environment
      { env: { ...process.env, KEEL_DATA_DIR: dataDir, DATABASE_URL: "", LOG_LEVEL: "silent" } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin?.end(stdin);
  });
}

const keel = (...args: string[]) => keelWithInput("", ...args);

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe("keel CLI", () => {
  it("migrates, creates an admin with a workspace, then a second workspace for them", async () => {
    expect((await keel("migrate")).stdout).toContain("Migrations applied");
    const admin = await keelWithInput(
      "harbour-violet-engine-42\n",
      "users",
      "create-admin",
      "--email",
      "Owner@Example.com",
      "--name",
      "Owner",
    );
    expect(admin.code).toBe(0);
    expect(JSON.parse(admin.stdout)).toMatchObject({ email: "Owner@Example.com", workspaceName: "My workspace" });
    const workspace = await keel("workspaces", "create", "--name", "Admissions", "--admin", "owner@example.com");
    expect(workspace.code).toBe(0);
    expect(JSON.parse(workspace.stdout)).toMatchObject({ name: "Admissions" });
  }, 120_000);

  it("refuses bad input with a clear message and a non-zero exit", async () => {
    const weak = await keelWithInput("short\n", "users", "create-admin", "--email", "x@example.com");
    expect(weak.code).toBe(1);
    expect(weak.stderr).toContain("password: Must be at least 12 characters.");
    // A password on the command line would sit in shell history and `ps`: refused before anything is done.
    const inArgv = await keel(
      "users",
      "create-admin",
      "--email",
      "y@example.com",
      "--password",
      "harbour-violet-engine-42",
    );
    expect(inArgv.code).toBe(2);
    expect(inArgv.stderr).toContain("--password is not accepted");
    const unknown = await keel("workspaces", "create", "--name", "X", "--admin", "nobody@example.com");
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("No user with e-mail");
    const usage = await keel("frobnicate");
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("Usage: keel");
  }, 120_000);

  it("prints every configuration problem and exits non-zero", async () => {
    const result = await run(process.execPath, keelCli("migrate"), {
      // eslint-disable-next-line n/no-process-env -- deliberately bad configuration
      env: { ...process.env, PORT: "eighty", LOG_LEVEL: "loud", DATABASE_URL: "" },
    }).catch((error: { code: number; stderr: string }) => error);
    expect("code" in result && result.code).toBe(1);
    expect(result.stderr).toContain("PORT");
    expect(result.stderr).toContain("LOG_LEVEL");
  }, 60_000);
});
