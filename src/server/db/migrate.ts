import { sql } from "drizzle-orm";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import type { PgliteDatabase } from "drizzle-orm/pglite";
import { installPath } from "../lib/install-root.ts";
import type { DatabaseConnection } from "./client.ts";

const migrationsFolder = installPath("migrations");

/**
 * The role row-level security switches to (migrations/0001_row_level_security.sql), created and
 * granted before the migrations run. A role belongs to the whole cluster, not to one database, and
 * the migrations' lock is per database: Keel migrating two databases of a new cluster at once
 * would both create it inside their migration transactions, and the second would fail on the
 * first's. Here each attempt commits at once, and one that lost the race finds the role made.
 * The block repeats 0001's on purpose (a merged migration is never edited): 0001 then finds
 * nothing left to do.
 */
const ensureAppRole = sql.raw(`DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'keel_app') THEN
    CREATE ROLE keel_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
  IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
     AND NOT pg_has_role(current_user, 'keel_app', 'MEMBER') THEN
    EXECUTE format('GRANT keel_app TO %I', current_user);
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  NULL;
END $$`);

/** Applies every committed migration not yet applied. Safe at every start and from several processes. */
export async function migrate(connection: DatabaseConnection): Promise<void> {
  await connection.runLocked(async (db) => {
    if (connection.kind === "postgres") await db.execute(ensureAppRole);
    if (connection.kind === "pglite") {
      // Loaded only here, like the embedded engine itself (client.ts): a server on PostgreSQL never needs it.
      const { migrate: migratePglite } = await import("drizzle-orm/pglite/migrator");
      await migratePglite(db as unknown as PgliteDatabase, { migrationsFolder });
    } else {
      await migratePg(db as unknown as NodePgDatabase, { migrationsFolder });
    }
  });
}
