import { createHash } from "node:crypto";
import { createReadStream, readFileSync } from "node:fs";
import { sql } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "../../db/client.ts";
import { installPath } from "../../lib/install-root.ts";
import { listArchive, readEntry, type ArchiveEntry } from "./backup-archive.ts";

export const manifestEntryName = "manifest.json";
export const keyEntryName = "encryption.key";

const TableChecksumSchema = z.object({
  name: z.string(),
  rows: z.number().int().min(0),
  checksum: z.string().regex(/^[0-9a-f]{32}$/),
});
export type TableChecksum = z.infer<typeof TableChecksumSchema>;

/** What a backup says about itself; `keel restore` reads it before touching anything. */
export const ManifestSchema = z.object({
  format: z.literal("keel-backup"),
  formatVersion: z.literal(1),
  keelVersion: z.string(),
  createdAt: z.iso.datetime(),
  kind: z.enum(["embedded", "postgres"]),
  /** How many migrations the database had applied, and the last one's tag. */
  migrations: z.object({ applied: z.number().int().min(0), latest: z.string().nullable() }),
  /** The PostgreSQL server version (PGlite's own for embedded), and the tool versions that made the payload. */
  engine: z.object({ serverVersion: z.string(), pgDump: z.string().optional(), pglite: z.string().optional() }),
  payload: z.object({ name: z.string(), bytes: z.number().int().min(0), sha256: z.string().regex(/^[0-9a-f]{64}$/) }),
  encryptionKeyIncluded: z.boolean(),
  tables: z.array(TableChecksumSchema),
});
export type Manifest = z.infer<typeof ManifestSchema>;

const packageFile = installPath("package.json");
const journalFile = installPath("migrations/meta/_journal.json");

export function keelVersion(): string {
  return (JSON.parse(readFileSync(packageFile, "utf8")) as { version: string }).version;
}

/** The tags of this Keel's migrations, in order. */
export function migrationTags(): { tag: string; when: number }[] {
  return (JSON.parse(readFileSync(journalFile, "utf8")) as { entries: { tag: string; when: number }[] }).entries;
}

type Rows<T> = { rows: T[] };

/** The database's migration level, read from Drizzle's journal table. */
export async function migrationLevel(db: Database): Promise<Manifest["migrations"]> {
  const exists = (await db.execute(
    sql`select to_regclass('drizzle.__drizzle_migrations') is not null as "exists"`,
  )) as unknown as Rows<{ exists: boolean }>;
  if (!exists.rows[0]?.exists) return { applied: 0, latest: null };
  const result = (await db.execute(
    sql`select count(*)::int as applied, max(created_at)::text as latest from drizzle.__drizzle_migrations`,
  )) as unknown as Rows<{ applied: number; latest: string | null }>;
  const row = result.rows[0] ?? { applied: 0, latest: null };
  const latest = migrationTags().find((entry) => String(entry.when) === row.latest)?.tag ?? row.latest;
  return { applied: row.applied, latest };
}

/**
 * Row count and checksum of every table of the public schema (Keel's data; pg-boss's queue
 * schema is left out: its jobs are transient). The checksum is the md5 of every row's md5 in
 * primary-key order, so a table of any size costs 32 bytes a row. Rows print with fixed settings
 * (UTC, ISO dates, exact floats) so the same data always gives the same text.
 */
export async function tableChecksums(db: Database): Promise<TableChecksum[]> {
  return db.transaction(async (tx) => {
    await tx.execute(
      sql`select set_config('TimeZone', 'UTC', true), set_config('DateStyle', 'ISO, MDY', true),
        set_config('IntervalStyle', 'postgres', true), set_config('extra_float_digits', '3', true),
        set_config('bytea_output', 'hex', true)`,
    );
    const tables = (await tx.execute(sql`
      select c.relname as name,
        (select string_agg('keel_row.' || quote_ident(a.attname), ', ' order by array_position(i.indkey, a.attnum))
           from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
          where i.indrelid = c.oid and i.indisprimary) as "orderBy"
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition
      order by c.relname`)) as unknown as Rows<{ name: string; orderBy: string | null }>;
    const checksums: TableChecksum[] = [];
    for (const table of tables.rows) {
      const orderBy = table.orderBy ?? "keel_row::text";
      const result = (await tx.execute(
        sql.raw(`select count(*)::int as rows,
          md5(coalesce(string_agg(md5(keel_row::text), '' order by ${orderBy}), '')) as checksum
          from public."${table.name.replaceAll('"', '""')}" keel_row`),
      )) as unknown as Rows<{ rows: number; checksum: string }>;
      const row = result.rows[0]!;
      checksums.push({ name: table.name, rows: Number(row.rows), checksum: row.checksum });
    }
    return checksums;
  });
}

/** The tables whose count or checksum differ from the expected ones (missing or extra ones too). */
export function checksumDifferences(expected: TableChecksum[], actual: TableChecksum[]): string[] {
  const actualByName = new Map(actual.map((table) => [table.name, table]));
  const differences: string[] = [];
  for (const table of expected) {
    const found = actualByName.get(table.name);
    if (!found) differences.push(`${table.name}: missing`);
    else if (found.rows !== table.rows) differences.push(`${table.name}: ${found.rows} rows, expected ${table.rows}`);
    else if (found.checksum !== table.checksum) differences.push(`${table.name}: same row count, different content`);
    actualByName.delete(table.name);
  }
  for (const name of actualByName.keys()) differences.push(`${name}: not in the backup`);
  return differences;
}

/** The sha256 of a file, or of one entry's bytes within it. */
export function sha256OfFile(path: string, entry?: ArchiveEntry): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash("sha256");
    if (entry?.size === 0) return resolve(hash.digest("hex"));
    const range = entry ? { start: entry.offset, end: entry.offset + entry.size - 1 } : {};
    createReadStream(path, range)
      .on("data", (chunk) => hash.update(chunk))
      .on("error", reject)
      .on("end", () => resolve(hash.digest("hex")));
  });
}

export class NotAKeelBackupError extends Error {
  constructor(file: string, why: string) {
    super(`${file} is not a Keel backup (${why}). Give a file written by keel backup.`);
  }
}

/** An opened backup: its manifest and where its entries lie in the file. */
export type OpenedBackup = { file: string; manifest: Manifest; entries: Map<string, ArchiveEntry> };

/** Reads and checks a backup's manifest and entries; throws NotAKeelBackupError otherwise. */
export async function openBackup(file: string): Promise<OpenedBackup> {
  const list = await listArchive(file);
  if (!list || list[0]?.name !== manifestEntryName)
    throw new NotAKeelBackupError(file, "no manifest.json at its start");
  let manifest: Manifest;
  try {
    manifest = ManifestSchema.parse(JSON.parse((await readEntry(file, list[0])).toString("utf8")));
  } catch {
    throw new NotAKeelBackupError(file, "its manifest.json is not a Keel backup manifest");
  }
  const entries = new Map(list.map((entry) => [entry.name, entry]));
  const payload = entries.get(manifest.payload.name);
  if (!payload || payload.size !== manifest.payload.bytes) {
    throw new NotAKeelBackupError(file, `its ${manifest.payload.name} is missing or truncated`);
  }
  const known = migrationTags().length;
  if (manifest.migrations.applied > known) {
    throw new Error(
      `${file} was made by a newer Keel (${manifest.keelVersion}, ${manifest.migrations.applied} migrations; ` +
        `this one knows ${known}). Restore it with that version or a later one.`,
    );
  }
  if ((await sha256OfFile(file, payload)) !== manifest.payload.sha256) {
    throw new Error(`${file} is damaged: its ${manifest.payload.name} does not match the checksum in its manifest.`);
  }
  return { file, manifest, entries };
}
