import { existsSync, openAsBlob, readFileSync, readdirSync, renameSync, rmSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { sql } from "drizzle-orm";
import { openPglite, type DatabaseConnection } from "../../db/client.ts";
import { DataDirLockedError, lockDataDir, lockFileName } from "../../db/data-dir-lock.ts";
import { migrate } from "../../db/migrate.ts";
import { installPath } from "../../lib/install-root.ts";
import { writeArchive } from "./backup-archive.ts";
import {
  checksumDifferences,
  keelVersion,
  manifestEntryName,
  migrationLevel,
  openBackup,
  sha256OfFile,
  tableChecksums,
  type Manifest,
  type OpenedBackup,
} from "./backup-manifest.ts";

const payloadName = "pgdata.tar.gz";
const pglitePackage = installPath("node_modules/@electric-sql/pglite/package.json");

/** The PGlite version that made a data folder: another version may not read it. */
function pgliteVersion(): string {
  try {
    return (JSON.parse(readFileSync(pglitePackage, "utf8")) as { version: string }).version;
  } catch {
    return "unknown";
  }
}

export class BackupRefusedError extends Error {}

/** A timestamp usable in a file name: 20261204T015132Z. */
export function fileStamp(date = new Date()): string {
  return date.toISOString().replace(/[-:]/g, "").replace(/\.\d+/, "");
}

function runningRefusal(action: string, error: DataDirLockedError): BackupRefusedError {
  return new BackupRefusedError(
    `Keel is running on the data folder ${error.dataDir} (pid ${error.ownerPid}): the embedded database can be ` +
      `${action} only while no process has it open. Stop keel serve (and anything else using this ` +
      "KEEL_DATA_DIR), run the command again, then start Keel. With a PostgreSQL server (DATABASE_URL), " +
      "backups run while Keel serves.",
  );
}

/** Opens the folder, turning "in use" into the backup/restore refusal. */
async function openExclusively(dataDir: string, action: string, loadDataDir?: Blob): Promise<DatabaseConnection> {
  try {
    return await openPglite(dataDir, loadDataDir ? { loadDataDir } : {});
  } catch (error) {
    if (error instanceof DataDirLockedError) throw runningRefusal(action, error);
    throw error;
  }
}

export type BackupSummary = { file: string; tables: number; rows: number; bytes: number; keyIncluded: boolean };

/**
 * `keel backup` of the embedded database: takes the folder's lock (so refuses while Keel runs on
 * it), records every table's count and checksum, and stores PGlite's dump of the whole data folder
 * (the encryption key file included) next to the manifest. Written to `<file>.partial` and renamed
 * at the end, so a failed backup leaves no half file under the name asked for.
 */
export async function backupEmbedded(dataDir: string, file: string): Promise<BackupSummary> {
  const folder = resolve(dataDir);
  if (!existsSync(join(folder, "PG_VERSION"))) {
    throw new BackupRefusedError(`There is no embedded database in ${folder} (KEEL_DATA_DIR) to back up.`);
  }
  const partial = `${file}.partial`;
  const payloadFile = `${file}.payload`;
  const connection = await openExclusively(folder, "backed up");
  try {
    if (connection.driver.kind !== "pglite") throw new Error("expected the embedded database");
    const tables = await tableChecksums(connection.db);
    const migrations = await migrationLevel(connection.db);
    const version = (await connection.db.execute(sql`show server_version`)) as unknown as {
      rows: { server_version: string }[];
    };
    const dump = await connection.driver.client.dumpDataDir("gzip");
    await writeFile(payloadFile, Buffer.from(await dump.arrayBuffer()), { mode: 0o600 });
    const manifest: Manifest = {
      format: "keel-backup",
      formatVersion: 1,
      keelVersion: keelVersion(),
      createdAt: new Date().toISOString(),
      kind: "embedded",
      migrations,
      engine: { serverVersion: version.rows[0]?.server_version ?? "unknown", pglite: pgliteVersion() },
      payload: { name: payloadName, bytes: dump.size, sha256: await sha256OfFile(payloadFile) },
      encryptionKeyIncluded: existsSync(join(folder, "encryption.key")),
      tables,
    };
    await writeArchive(partial, [
      { name: manifestEntryName, bytes: Buffer.from(JSON.stringify(manifest, null, 2)) },
      { name: payloadName, path: payloadFile },
    ]);
    renameSync(partial, file);
    const rows = tables.reduce((sum, table) => sum + table.rows, 0);
    return {
      file,
      tables: tables.length,
      rows,
      bytes: manifest.payload.bytes,
      keyIncluded: manifest.encryptionKeyIncluded,
    };
  } finally {
    rmSync(payloadFile, { force: true });
    rmSync(partial, { force: true });
    await connection.close();
  }
}

export type RestoreSummary = { tables: number; rows: number; movedAside: string | null; migrationsApplied: number };

/** Whether a folder holds anything but a lock file. */
function holdsData(folder: string): boolean {
  return existsSync(folder) && readdirSync(folder).some((name) => name !== lockFileName);
}

/** Refuses while a live process holds the folder's lock; takes it otherwise (returns the release). */
function lockTarget(folder: string): () => void {
  if (!existsSync(folder)) return () => {};
  try {
    return lockDataDir(folder);
  } catch (error) {
    if (error instanceof DataDirLockedError) throw runningRefusal("restored", error);
    throw error;
  }
}

/**
 * `keel restore` into the embedded data folder. The backup is loaded into a new sibling folder,
 * checked table by table against its manifest, then migrated (an older backup upgrades); only then
 * does it take the data folder's place. The folder it replaces (only with `force`) is moved aside
 * to `<dir>.before-restore-<timestamp>`, never deleted. Any failure leaves the data folder as it was.
 */
export async function restoreEmbedded(dataDir: string, file: string, force: boolean): Promise<RestoreSummary> {
  const backup = await openBackup(file);
  if (backup.manifest.kind !== "embedded") {
    throw new BackupRefusedError(
      `${file} is a backup of a PostgreSQL server (pg_dump). Restore it with DATABASE_URL naming the target database.`,
    );
  }
  const folder = resolve(dataDir);
  lockTarget(folder)();
  if (holdsData(folder) && !force) {
    throw new BackupRefusedError(
      `The data folder ${folder} already holds a database. Point KEEL_DATA_DIR at an empty folder, or add ` +
        `--force to move the current one aside (to ${basename(folder)}.before-restore-<timestamp>) and restore.`,
    );
  }
  const stamp = fileStamp();
  const staging = `${folder}.restoring-${stamp}`;
  let migrationsApplied: number;
  try {
    migrationsApplied = await loadAndVerify(backup, staging);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  const movedAside = swapIn(folder, staging, stamp);
  const tables = backup.manifest.tables;
  return {
    tables: tables.length,
    rows: tables.reduce((sum, table) => sum + table.rows, 0),
    movedAside,
    migrationsApplied,
  };
}

/**
 * Loads the backup into `staging`, checks every table against the manifest, then migrates.
 * Returns how many migrations the backup lacked.
 */
async function loadAndVerify(backup: OpenedBackup, staging: string): Promise<number> {
  const { file, manifest } = backup;
  const entry = backup.entries.get(manifest.payload.name)!;
  const blob = (await openAsBlob(file)).slice(entry.offset, entry.offset + entry.size);
  let connection: DatabaseConnection;
  try {
    connection = await openExclusively(staging, "restored", blob);
  } catch (error) {
    if (manifest.engine.pglite === pgliteVersion() || error instanceof BackupRefusedError) throw error;
    throw new Error(
      `${file} was made by PGlite ${manifest.engine.pglite} (PostgreSQL ${manifest.engine.serverVersion}), which ` +
        `this Keel's PGlite ${pgliteVersion()} could not open: restore it with the Keel version that made it ` +
        `(${manifest.keelVersion}), then upgrade. (${(error as Error).message})`,
      { cause: error },
    );
  }
  try {
    const differences = checksumDifferences(manifest.tables, await tableChecksums(connection.db));
    if (differences.length > 0) {
      throw new Error(`The restored data differs from the backup's manifest: ${differences.join("; ")}`);
    }
    await migrate(connection);
    return (await migrationLevel(connection.db)).applied - manifest.migrations.applied;
  } finally {
    await connection.close();
  }
}

/** Puts the restored folder in place, moving what was there aside; returns where it went. */
function swapIn(folder: string, staging: string, stamp: string): string | null {
  const release = lockTarget(folder);
  let movedAside: string | null = null;
  try {
    if (holdsData(folder)) {
      movedAside = `${folder}.before-restore-${stamp}`;
      renameSync(folder, movedAside);
      rmSync(join(movedAside, lockFileName), { force: true });
    } else {
      rmSync(folder, { recursive: true, force: true });
    }
  } finally {
    release();
  }
  renameSync(staging, folder);
  return movedAside;
}
