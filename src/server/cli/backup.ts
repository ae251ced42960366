import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import type { Config } from "../config.ts";
import { backupEmbedded, restoreEmbedded } from "../modules/backup/backup-embedded.ts";
import { toolPaths } from "../modules/backup/backup-pg-tools.ts";
import { backupPostgres, restorePostgres } from "../modules/backup/backup-postgres.ts";

export class BackupUsageError extends Error {}

// eslint-disable-next-line n/no-process-env -- where the PostgreSQL client tools are is not Keel's configuration
const tools = () => toolPaths(process.env);

function seconds(since: number): string {
  return `${((performance.now() - since) / 1000).toFixed(1)} s`;
}

/** `keel backup <file>`: the embedded data folder or the DATABASE_URL database into one file. */
export async function backupCommand(config: Config, args: string[]): Promise<number> {
  const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
  const file = positionals[0];
  if (!file || positionals.length > 1) throw new BackupUsageError("keel backup takes one file name");
  if (existsSync(file)) throw new Error(`${file} already exists: give the backup a new file name.`);
  const started = performance.now();
  const summary = config.databaseUrl
    ? await backupPostgres(config.databaseUrl, file, tools(), config)
    : await backupEmbedded(config.dataDir, file);
  const key = summary.keyIncluded ? " and the encryption key file" : "";
  console.log(
    `Backed up ${summary.tables} tables (${summary.rows} rows) to ${summary.file} in ${seconds(started)}. ` +
      `It holds all the data (password hashes too)${key}: keep it as safe as the database.`,
  );
  return 0;
}

/** `keel restore <file> [--force]`: into the embedded data folder or the DATABASE_URL database. */
export async function restoreCommand(config: Config, args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { force: { type: "boolean", default: false } },
  });
  const file = positionals[0];
  if (!file || positionals.length > 1) throw new BackupUsageError("keel restore takes one file name");
  if (!existsSync(file)) throw new Error(`${file} does not exist.`);
  const started = performance.now();
  const summary = config.databaseUrl
    ? await restorePostgres(config.databaseUrl, file, values.force, tools(), config)
    : await restoreEmbedded(config.dataDir, file, values.force);
  const applied = summary.migrationsApplied;
  const upgraded = applied > 0 ? `, then applied ${applied} newer migration${applied === 1 ? "" : "s"}` : "";
  console.log(
    `Restored ${summary.tables} tables (${summary.rows} rows, every table's count and checksum verified)` +
      `${upgraded} in ${seconds(started)}.`,
  );
  if (summary.movedAside) console.log(`What was there before is kept in ${summary.movedAside}.`);
  if ("note" in summary && summary.note) console.log(summary.note);
  return 0;
}
