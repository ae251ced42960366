import { closeSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";

/** The lock file of an embedded data folder: one process owns the folder at a time. */
export const lockFileName = "keel.lock";

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly ownerPid: number,
  ) {
    super(
      `The data folder ${dataDir} is in use by another Keel process (pid ${ownerPid}). ` +
        "Embedded PostgreSQL allows one process per folder: stop that process, give this one another " +
        "KEEL_DATA_DIR, or share a PostgreSQL server (DATABASE_URL) between several processes.",
    );
  }
}

type LockOwner = { pid: number; host: string };

function readOwner(path: string): LockOwner | null {
  try {
    const owner = JSON.parse(readFileSync(path, "utf8")) as Partial<LockOwner>;
    return typeof owner.pid === "number" && typeof owner.host === "string"
      ? { pid: owner.pid, host: owner.host }
      : null;
  } catch {
    return null; // unreadable or half-written: treated as stale
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Takes the lock of a data folder, or throws DataDirLockedError naming the live owner. A lock
 * left by a process that died (kill -9, power loss) is stale: it is replaced. A lock written on
 * another host (a shared network folder) is never presumed stale, since its pid means nothing here.
 * Returns the function that releases it.
 */
export function lockDataDir(dataDir: string): () => void {
  const path = join(dataDir, lockFileName);
  const content = JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      // "wx": created only if absent, so two processes starting together cannot both win.
      const fd = openSync(path, "wx");
      writeSync(fd, content);
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const owner = readOwner(path);
      if (owner && (owner.host !== hostname() || isAlive(owner.pid))) throw new DataDirLockedError(dataDir, owner.pid);
      rmSync(path, { force: true });
    }
  }
  throw new Error(`Could not lock the data folder ${dataDir}`);
}
