import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { sql } from "drizzle-orm";
import { openPostgres, type Database, type DatabaseConnection } from "../../db/client.ts";
import { migrate } from "../../db/migrate.ts";
import { installPath } from "../../lib/install-root.ts";
import { extractEntry, readEntry, writeArchive, type ArchiveSource } from "./backup-archive.ts";
import { BackupRefusedError, fileStamp, type BackupSummary, type RestoreSummary } from "./backup-embedded.ts";
import {
  checksumDifferences,
  keelVersion,
  keyEntryName,
  manifestEntryName,
  migrationLevel,
  openBackup,
  sha256OfFile,
  tableChecksums,
  type Manifest,
} from "./backup-manifest.ts";
import { checkDumpVersion, checkRestoreVersion, runTool, toolVersion, type ToolPaths } from "./backup-pg-tools.ts";

const payloadName = "database.pgdump";

/** Where the key that seals stored secrets lives when ENCRYPTION_KEY is not set (lib/secret-box.ts). */
export type KeySettings = { encryptionKey: string | undefined; dataDir: string };

type Rows<T> = { rows: T[] };

async function serverVersion(db: Database): Promise<{ version: string; major: number }> {
  const result = (await db.execute(
    sql`select current_setting('server_version') as version, current_setting('server_version_num')::int as num`,
  )) as unknown as Rows<{ version: string; num: number }>;
  const row = result.rows[0]!;
  return { version: row.version, major: Math.floor(Number(row.num) / 10_000) };
}

function keyFile(settings: KeySettings): string {
  return join(resolve(settings.dataDir), "encryption.key");
}

/**
 * `keel backup` of a PostgreSQL server, while Keel runs: one repeatable-read transaction exports
 * its snapshot, computes every table's count and checksum, and pg_dump (custom format) dumps that
 * same snapshot, so the manifest describes exactly what the dump holds. The encryption key file
 * goes in too when the key comes from it (no ENCRYPTION_KEY).
 */
export async function backupPostgres(url: string, file: string, tools: ToolPaths, keys: KeySettings) {
  const pgDump = await toolVersion("pg_dump", tools.pgDump);
  const connection = await openPostgres(url, 2);
  const work = mkdtempSync(join(tmpdir(), "keel-backup-"));
  const payloadFile = join(work, payloadName);
  const partial = `${file}.partial`;
  try {
    const server = await serverVersion(connection.db);
    checkDumpVersion(pgDump, server.major);
    const { tables, migrations } = await connection.db.transaction(
      async (tx) => {
        const snapshot = (await tx.execute(sql`select pg_export_snapshot() as id`)) as unknown as Rows<{ id: string }>;
        const state = {
          tables: await tableChecksums(tx as Database),
          migrations: await migrationLevel(tx as Database),
        };
        const args = ["--format=custom", "--file", payloadFile, "--snapshot", snapshot.rows[0]!.id];
        await runTool("pg_dump", tools.pgDump, args, { url });
        return state;
      },
      { isolationLevel: "repeatable read", accessMode: "read only" },
    );
    const key = !keys.encryptionKey && existsSync(keyFile(keys)) ? readFileSync(keyFile(keys)) : null;
    const { size: bytes } = statSync(payloadFile);
    const manifest: Manifest = {
      format: "keel-backup",
      formatVersion: 1,
      keelVersion: keelVersion(),
      createdAt: new Date().toISOString(),
      kind: "postgres",
      migrations,
      engine: { serverVersion: server.version, pgDump: pgDump.version },
      payload: { name: payloadName, bytes, sha256: await sha256OfFile(payloadFile) },
      encryptionKeyIncluded: key !== null,
      tables,
    };
    const sources: ArchiveSource[] = [
      { name: manifestEntryName, bytes: Buffer.from(JSON.stringify(manifest, null, 2)) },
      { name: payloadName, path: payloadFile },
    ];
    if (key) sources.push({ name: keyEntryName, bytes: key });
    await writeArchive(partial, sources);
    renameSync(partial, file);
    const rows = tables.reduce((sum, table) => sum + table.rows, 0);
    return { file, tables: tables.length, rows, bytes, keyIncluded: key !== null } satisfies BackupSummary;
  } finally {
    rmSync(work, { recursive: true, force: true });
    rmSync(partial, { force: true });
    await connection.close();
  }
}

/** Whether the database holds any table, view or sequence outside the system schemas. */
async function holdsData(db: Database): Promise<boolean> {
  const result = (await db.execute(sql`
    select exists (select 1 from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'p', 'v', 'm', 'S', 'f')
        and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg_toast%'
        and n.nspname not like 'pg_temp%') as "holds"`)) as unknown as Rows<{ holds: boolean }>;
  return Boolean(result.rows[0]?.holds);
}

/**
 * Replacing a database that Keel servers or workers still use would mix their writes into the
 * restore: refused while any other session is connected (this command holds one connection).
 */
async function refuseWhileConnected(db: Database): Promise<void> {
  const result = (await db.execute(sql`select count(*)::int as others from pg_stat_activity
    where datname = current_database() and pid <> pg_backend_pid()`)) as unknown as Rows<{ others: number }>;
  const others = Number(result.rows[0]?.others ?? 0);
  if (others === 0) return;
  throw new BackupRefusedError(
    `${others} other session${others === 1 ? " is" : "s are"} connected to this database (keel serve, keel ` +
      "worker, or another client): stop them, then run keel restore --force again.",
  );
}

/** The first statement of a migration file (its role set-up), or the whole file. */
function migrationSql(prefix: string, firstStatementOnly: boolean): string {
  const names = readFileSync(installPath("migrations/meta/_journal.json"), "utf8");
  const tag = (JSON.parse(names) as { entries: { tag: string }[] }).entries.find((e) => e.tag.startsWith(prefix))!.tag;
  const text = readFileSync(installPath("migrations", `${tag}.sql`), "utf8");
  return firstStatementOnly ? text.split("--> statement-breakpoint")[0]! : text;
}

/**
 * What a dump cannot carry: roles are the cluster's (keel_app must exist, and the connecting role
 * be allowed to become it, before the GRANTs and policies are restored), and the LEAKPROOF marks
 * on pg_catalog's search operators belong to each database. Both come from the migrations that
 * set them up, which are written to run again.
 */
async function prepareRoles(connection: DatabaseConnection): Promise<void> {
  await connection.exec(migrationSql("0001_", true));
}

/** The encryption key in the backup, written where Keel will read it (checked before anything changes). */
function planKey(backupKey: Buffer | null, keys: KeySettings, force: boolean, stamp: string): () => string | null {
  if (!backupKey) return () => null;
  if (keys.encryptionKey) {
    return () =>
      "The backup holds an encryption key file, but ENCRYPTION_KEY is set and wins: it must be the key the backup was made with.";
  }
  const target = keyFile(keys);
  const current = existsSync(target) ? readFileSync(target) : null;
  if (current?.equals(backupKey)) return () => null;
  if (current && !force) {
    throw new BackupRefusedError(
      `${target} holds another encryption key than the backup's. Add --force to move it aside and use the backup's.`,
    );
  }
  return () => {
    if (current) renameSync(target, `${target}.before-restore-${stamp}`);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, backupKey, { mode: 0o600 });
    return `Wrote the backup's encryption key to ${target}.`;
  };
}

/**
 * `keel restore` into a PostgreSQL database: refuses one that holds tables unless `force`; with
 * it, first saves that database with `keel backup` (beside the file being restored), then drops
 * Keel's schemas. pg_restore (no owners: everything belongs to the connecting role; grants and
 * policies kept) runs in one transaction that stops at the first error, the tables are checked
 * against the manifest, then migrations run (an older backup upgrades).
 */
export async function restorePostgres(url: string, file: string, force: boolean, tools: ToolPaths, keys: KeySettings) {
  const backup = await openBackup(file);
  const { manifest } = backup;
  if (manifest.kind !== "postgres") {
    throw new BackupRefusedError(
      `${file} is a backup of the embedded database. Restore it without DATABASE_URL (into KEEL_DATA_DIR).`,
    );
  }
  checkRestoreVersion(await toolVersion("pg_restore", tools.pgRestore), manifest.engine.pgDump ?? "0");
  const stamp = fileStamp();
  const keyEntry = backup.entries.get(keyEntryName);
  const writeKey = planKey(keyEntry ? await readEntry(file, keyEntry) : null, keys, force, stamp);
  const connection = await openPostgres(url, 1);
  const work = mkdtempSync(join(tmpdir(), "keel-restore-"));
  let movedAside: string | null = null;
  try {
    if (await holdsData(connection.db)) {
      if (!force) {
        throw new BackupRefusedError(
          "The database already holds tables. Restore into an empty database (CREATE DATABASE …), or add " +
            "--force to save it with keel backup first, then replace it.",
        );
      }
      await refuseWhileConnected(connection.db);
      movedAside = join(dirname(resolve(file)), `before-restore-${stamp}.keel-backup`);
      await backupPostgres(url, movedAside, tools, keys);
      await connection.exec(
        "DROP SCHEMA IF EXISTS pgboss CASCADE; DROP SCHEMA IF EXISTS drizzle CASCADE; " +
          "DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;",
      );
    }
    await prepareRoles(connection);
    const payloadFile = join(work, payloadName);
    await extractEntry(file, backup.entries.get(manifest.payload.name)!, payloadFile);
    await runTool(
      "pg_restore",
      tools.pgRestore,
      ["--no-owner", "--exit-on-error", "--single-transaction", payloadFile],
      {
        url,
      },
    );
    await connection.exec(migrationSql("0002_", false));
    const differences = checksumDifferences(manifest.tables, await tableChecksums(connection.db));
    if (differences.length > 0) {
      throw new Error(`The restored data differs from the backup's manifest: ${differences.join("; ")}`);
    }
    const before = manifest.migrations.applied;
    await migrate(connection);
    const migrationsApplied = (await migrationLevel(connection.db)).applied - before;
    const note = writeKey();
    const rows = manifest.tables.reduce((sum, table) => sum + table.rows, 0);
    return { tables: manifest.tables.length, rows, movedAside, migrationsApplied, note } satisfies RestoreSummary & {
      note: string | null;
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
    await connection.close();
  }
}
