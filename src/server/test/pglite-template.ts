/**
 * The migrated embedded database the server tests start from. The global setup (global-setup.ts)
 * creates one PGlite, applies every migration and saves it as a `dumpDataDir()` tarball; each test
 * worker's testDatabase() then loads its own in-memory copy instead of running initdb and every
 * migration again (about 60% less CPU per worker; a file in a process of its own is a worker too).
 *
 * The copy is used only while the migrations are still those it was made from (a fingerprint of
 * the migrations folder): one edited or regenerated during a watch run falls back to a fresh
 * database. Each worker still runs migrate() on its copy, which finds nothing to apply.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";

export type PgliteTemplate = { file: string; migrations: string };

declare module "vitest" {
  export interface ProvidedContext {
    /** The migrated database test workers copy; null on a PostgreSQL server (TEST_DATABASE_URL). */
    pgliteTemplate: PgliteTemplate | null;
  }
}

const migrationsFolder = fileURLToPath(new URL("../../../migrations", import.meta.url));

/** What the migrator reads: the journal and every SQL file, by name and content. */
export function migrationsFingerprint(): string {
  const hash = createHash("sha256");
  const files = readdirSync(migrationsFolder).filter((name) => name.endsWith(".sql"));
  for (const name of [...files.sort(), "meta/_journal.json"]) {
    hash
      .update(name)
      .update("\0")
      .update(readFileSync(join(migrationsFolder, name)))
      .update("\0");
  }
  return hash.digest("hex");
}

/** Creates a database with every migration applied and saves it into `file`. */
export async function writePgliteTemplate(file: string): Promise<PgliteTemplate> {
  const migrations = migrationsFingerprint();
  // The extensions openPglite loads: the migrations create pg_trgm.
  const client = await PGlite.create("memory://", { extensions: { pg_trgm } });
  try {
    await migrate(drizzle(client), { migrationsFolder });
    writeFileSync(file, Buffer.from(await (await client.dumpDataDir("gzip")).arrayBuffer()));
  } finally {
    await client.close();
  }
  return { file, migrations };
}

/** The template's tarball, when it was made from the migrations as they are now. */
export function readPgliteTemplate(template: PgliteTemplate | null | undefined): Blob | undefined {
  if (!template || template.migrations !== migrationsFingerprint()) return undefined;
  return new Blob([readFileSync(template.file)]);
}
