import { execFile, spawn, type ChildProcess } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openPglite } from "../db/client.ts";
import { listArchive } from "../modules/backup/backup-archive.ts";
import { tableChecksums, type TableChecksum } from "../modules/backup/backup-manifest.ts";
import { demoAccounts, demoPassword } from "../modules/seed/index.ts";
import { freePort } from "../test/ports.ts";
import { keelCli } from "../test/keel-cli.ts";

const root = mkdtempSync(join(tmpdir(), "keel-backup-"));
const source = join(root, "source");
const restored = join(root, "restored");
const backupFile = join(root, "demo.keel-backup");
const running: ChildProcess[] = [];

afterAll(() => {
  running.forEach((child) => child.kill("SIGKILL"));
  rmSync(root, { recursive: true, force: true });
});

/** The environment of a `keel` run on an embedded data folder, demo mode on. */
function envFor(dataDir: string, more: Record<string, string> = {}): NodeJS.ProcessEnv {
  // eslint-disable-next-line n/no-process-env -- the CLI reads its configuration from the environment
  return { ...process.env, DATABASE_URL: "", KEEL_DEMO: "true", KEEL_DATA_DIR: dataDir, LOG_LEVEL: "silent", ...more };
}

type Result = { code: number; stdout: string; stderr: string };

function keel(dataDir: string, ...args: string[]): Promise<Result> {
  return new Promise((resolve) => {
    execFile(process.execPath, keelCli(...args), { env: envFor(dataDir) }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

type Served = { base: string; stop: () => Promise<void>; pid: number };

/** `keel serve` on a data folder (it seeds the demo workspace on first start), once ready. */
async function serve(dataDir: string): Promise<Served> {
  const port = await freePort();
  const child = spawn(process.execPath, keelCli("serve"), {
    env: envFor(dataDir, { PORT: String(port), HOST: "127.0.0.1", LOG_LEVEL: "warn" }),
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.push(child);
  let output = "";
  child.stdout.on("data", (data) => (output += String(data)));
  child.stderr.on("data", (data) => (output += String(data)));
  const exited = new Promise((resolve) => child.on("exit", resolve));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (
      await fetch(`${base}/readyz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    if (child.exitCode !== null || i > 400) throw new Error(`keel serve did not start: ${output}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return {
    base,
    pid: child.pid!,
    stop: async () => {
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/** Signs in as the demo admin and reads the first contact of the demo workspace, then one by its id. */
async function readContact(base: string, id?: string): Promise<Record<string, unknown>> {
  const signIn = await fetch(`${base}/api/v1/auth/sign-in`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: demoAccounts[0].email, password: demoPassword }),
  });
  expect(signIn.status).toBe(200);
  const headers = {
    cookie: signIn.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; "),
  };
  if (id) {
    const response = await fetch(`${base}/api/v1/contacts/${id}`, { headers });
    expect(response.status).toBe(200);
    return (await response.json()) as Record<string, unknown>;
  }
  const list = (await (await fetch(`${base}/api/v1/contacts?limit=1`, { headers })).json()) as {
    data: Record<string, unknown>[];
  };
  expect(list.data).toHaveLength(1);
  return list.data[0]!;
}

async function checksumsOf(dataDir: string): Promise<TableChecksum[]> {
  const connection = await openPglite(dataDir);
  try {
    return await tableChecksums(connection.db);
  } finally {
    await connection.close();
  }
}

describe("keel backup and keel restore, embedded database", () => {
  let contact: Record<string, unknown>;

  it("refuses to back up or restore a data folder while Keel serves it", async () => {
    const served = await serve(source);
    try {
      contact = await readContact(served.base);
      const backup = await keel(source, "backup", backupFile);
      expect(backup.code).toBe(1);
      expect(backup.stderr).toContain(`Keel is running on the data folder ${source} (pid ${served.pid})`);
      expect(backup.stderr).toContain("Stop keel serve");
      expect(existsSync(backupFile)).toBe(false);
    } finally {
      await served.stop();
    }
  }, 300_000);

  it("backs up, restores into a fresh folder with every table identical, and serves the restored data", async () => {
    const backup = await keel(source, "backup", backupFile);
    expect(backup.stderr).toBe("");
    expect(backup.stdout).toMatch(/Backed up \d+ tables/);
    expect((await listArchive(backupFile))?.map((entry) => entry.name)).toEqual(["manifest.json", "pgdata.tar.gz"]);

    const restore = await keel(restored, "restore", backupFile);
    expect(restore.stderr).toBe("");
    expect(restore.stdout).toContain("every table's count and checksum verified");

    const before = await checksumsOf(source);
    expect(before.find((table) => table.name === "contacts")?.rows).toBeGreaterThan(0);
    expect(await checksumsOf(restored)).toEqual(before);

    const served = await serve(restored);
    try {
      const again = await readContact(served.base, String(contact.id));
      expect(again).toEqual(contact);
      // Restoring over a folder Keel is serving is refused, even with --force.
      const busy = await keel(restored, "restore", backupFile, "--force");
      expect(busy.code).toBe(1);
      expect(busy.stderr).toContain("Keel is running on the data folder");
    } finally {
      await served.stop();
    }
  }, 360_000);

  it("refuses to overwrite a data folder without --force, and keeps the old one aside with it", async () => {
    const refused = await keel(restored, "restore", backupFile);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("already holds a database");
    expect(refused.stderr).toContain("--force");

    const forced = await keel(restored, "restore", backupFile, "--force");
    expect(forced.stderr).toBe("");
    const aside = readdirSync(root).find((name) => name.startsWith("restored.before-restore-"));
    expect(aside).toBeDefined();
    expect(forced.stdout).toContain(`kept in ${join(root, aside!)}`);
    expect(existsSync(join(root, aside!, "PG_VERSION"))).toBe(true);
    expect(await checksumsOf(restored)).toEqual(await checksumsOf(source));
  }, 300_000);

  it("refuses a file that is not a Keel backup, or a damaged one, and leaves the folder alone", async () => {
    const notBackup = join(root, "notes.txt");
    writeFileSync(notBackup, "just some text\n");
    const fresh = join(root, "fresh");
    const refused = await keel(fresh, "restore", notBackup);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`${notBackup} is not a Keel backup`);

    const damaged = join(root, "damaged.keel-backup");
    copyFileSync(backupFile, damaged);
    const bytes = readFileSync(damaged);
    bytes[bytes.length - 4096] = bytes[bytes.length - 4096]! ^ 0xff;
    writeFileSync(damaged, bytes);
    const broken = await keel(fresh, "restore", damaged);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain("is damaged");
    expect(existsSync(join(fresh, "PG_VERSION"))).toBe(false);

    const exists = await keel(source, "backup", backupFile);
    expect(exists.code).toBe(1);
    expect(exists.stderr).toContain("already exists");
  }, 120_000);
});
