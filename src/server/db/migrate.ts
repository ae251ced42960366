import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import type { PgliteDatabase } from "drizzle-orm/pglite";
import { installPath } from "../lib/install-root.ts";
import type { DatabaseConnection } from "./client.ts";

const migrationsFolder = installPath("migrations");

/** Applies every committed migration not yet applied. Safe at every start and from several processes. */
export async function migrate(connection: DatabaseConnection): Promise<void> {
  await connection.runLocked(async (db) => {
    if (connection.kind === "pglite") {
      // Loaded only here, like the embedded engine itself (client.ts): a server on PostgreSQL never needs it.
      const { migrate: migratePglite } = await import("drizzle-orm/pglite/migrator");
      await migratePglite(db as unknown as PgliteDatabase, { migrationsFolder });
    } else {
      await migratePg(db as unknown as NodePgDatabase, { migrationsFolder });
    }
  });
}
