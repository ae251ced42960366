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

/**
 * Who holds a lock. Besides the pid, where Linux tells them: the boot the process ran in and its
 * start time, so a pid handed to another process after a reboot or a container restart is not
 * mistaken for the owner.
 */
type LockOwner = { pid: number; host: string; bootId?: string; startTime?: string };

function readOwner(path: string): LockOwner | null {
  try {
    const owner = JSON.parse(readFileSync(path, "utf8")) as Partial<LockOwner>;
    return typeof owner.pid === "number" && typeof owner.host === "string" ? (owner as LockOwner) : null;
  } catch {
    return null; // unreadable or half-written: treated as stale
  }
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, "utf8").trim();
  } catch {
    return null;
  }
}

/** State and start time of a process from /proc (Linux), or null where there is no /proc. */
function processStatus(pid: number): { state: string; startTime: string } | null {
  const stat = readText(`/proc/${pid}/stat`);
  if (stat === null) return null;
  // The command name, in parentheses, may hold spaces: the fields after it are fixed.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return { state: fields[0] ?? "", startTime: fields[19] ?? "" };
}

const bootIdPath = "/proc/sys/kernel/random/boot_id";

function currentOwner(): LockOwner {
  const bootId = readText(bootIdPath);
  const startTime = processStatus(process.pid)?.startTime;
  return { pid: process.pid, host: hostname(), ...(bootId ? { bootId } : {}), ...(startTime ? { startTime } : {}) };
}

function isAlive(owner: LockOwner): boolean {
  const bootId = readText(bootIdPath);
  if (owner.bootId && bootId && owner.bootId !== bootId) return false;
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  const status = processStatus(owner.pid);
  if (!status) return true; // no /proc: the pid answering is all we can know
  // A killed process stays a zombie until its parent reaps it (never, without an init).
  if (status.state === "Z" || status.state === "X") return false;
  return !owner.startTime || owner.startTime === status.startTime;
}

/**
 * Takes the lock of a data folder, or throws DataDirLockedError naming the live owner. A lock
 * left by a process that died (kill -9, power loss; a zombie not yet reaped counts as dead) or by
 * a process of an earlier boot is stale: it is replaced. A lock written on
 * another host (a shared network folder) is never presumed stale, since its pid means nothing here.
 * Returns the function that releases it.
 */
export function lockDataDir(dataDir: string): () => void {
  const path = join(dataDir, lockFileName);
  const content = JSON.stringify({ ...currentOwner(), since: new Date().toISOString() });
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
      if (owner && (owner.host !== hostname() || isAlive(owner))) throw new DataDirLockedError(dataDir, owner.pid);
      rmSync(path, { force: true });
    }
  }
  throw new Error(`Could not lock the data folder ${dataDir}`);
}
