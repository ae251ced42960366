import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import { readPgliteTemplate } from "../test/pglite-template.ts";
import { openPglite } from "./client.ts";
import { DataDirLockedError, lockFileName } from "./data-dir-lock.ts";

const folders: string[] = [];
function newDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "keel-lock-"));
  folders.push(dir);
  return dir;
}
afterAll(() => folders.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/**
 * Opens a folder that holds no database yet from the global setup's migrated template: an empty
 * folder would be initialised (initdb), which took 3–6 s a test on a busy machine. The lock is
 * taken before either.
 */
function openNew(dir: string) {
  const loadDataDir = readPgliteTemplate(inject("pgliteTemplate"));
  return openPglite(dir, loadDataDir ? { loadDataDir } : {});
}

/** A pid no process has: the highest a Linux kernel hands out is 2^22. */
const deadPid = 4_194_304 + 1;

// Each test opens an embedded database: slow on a busy machine.
describe("the embedded data folder's lock", { timeout: 120_000 }, () => {
  it("refuses a second opening of a folder in use, naming the owner, and frees it on close", async () => {
    const dir = newDataDir();
    const first = await openNew(dir);
    const owner = JSON.parse(readFileSync(join(dir, lockFileName), "utf8"));
    expect(owner).toMatchObject({ pid: process.pid, host: hostname() });

    const second = await openNew(dir).catch((error: unknown) => error);
    expect(second).toBeInstanceOf(DataDirLockedError);
    expect((second as Error).message).toContain(`pid ${process.pid}`);

    await first.close();
    expect(existsSync(join(dir, lockFileName))).toBe(false);
    const again = await openPglite(dir);
    await again.close();
  });

  it("replaces a stale lock left by a process that died", async () => {
    const dir = newDataDir();
    writeFileSync(join(dir, lockFileName), JSON.stringify({ pid: deadPid, host: hostname() }));
    const connection = await openNew(dir);
    expect(JSON.parse(readFileSync(join(dir, lockFileName), "utf8")).pid).toBe(process.pid);
    await connection.close();
  });

  it("replaces a lock file that is empty or unreadable (a crash while writing it)", async () => {
    const dir = newDataDir();
    writeFileSync(join(dir, lockFileName), "");
    const connection = await openNew(dir);
    await connection.close();
  });

  it("replaces a lock whose pid now belongs to another process (started later, or in another boot)", async () => {
    const own = JSON.parse(JSON.stringify({ pid: process.pid, host: hostname() }));
    for (const owner of [
      { ...own, startTime: "1" },
      { ...own, bootId: "00000000-0000-0000-0000-000000000000" },
    ]) {
      const dir = newDataDir();
      writeFileSync(join(dir, lockFileName), JSON.stringify(owner));
      const connection = await openNew(dir);
      await connection.close();
    }
  });

  // Zombies and start times are read from /proc: Linux only.
  it.runIf(process.platform === "linux")(
    "replaces a lock held by a killed process that is still a zombie (not yet reaped)",
    async () => {
      // `sleep 0` exits at once; its parent becomes `sleep 30`, which never reaps it.
      const parent = spawn("sh", ["-c", "sleep 0 & echo $!; exec sleep 30"], { stdio: ["ignore", "pipe", "ignore"] });
      try {
        const zombiePid = Number(
          await new Promise<string>((resolve) => parent.stdout.once("data", (d) => resolve(String(d)))),
        );
        for (let i = 0; i < 50 && !readFileSync(`/proc/${zombiePid}/stat`, "utf8").includes(") Z "); i++) {
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        expect(readFileSync(`/proc/${zombiePid}/stat`, "utf8")).toContain(") Z ");
        const dir = newDataDir();
        writeFileSync(join(dir, lockFileName), JSON.stringify({ pid: zombiePid, host: hostname() }));
        const connection = await openNew(dir);
        await connection.close();
      } finally {
        parent.kill("SIGKILL");
      }
    },
  );

  it("never presumes stale a lock taken on another host (a shared folder)", async () => {
    const dir = newDataDir();
    writeFileSync(join(dir, lockFileName), JSON.stringify({ pid: deadPid, host: "another-host" }));
    await expect(openNew(dir)).rejects.toBeInstanceOf(DataDirLockedError);
  });
});
