import type { FastifyInstance } from "fastify";
import { buildApp } from "./app.ts";
import type { Config } from "./config.ts";
import { openDatabase, type DatabaseConnection } from "./db/client.ts";
import { migrate } from "./db/migrate.ts";
import { seedDemoIfEmpty } from "./modules/seed/index.ts";

/** Opens the configured database and brings its schema up to date. */
export async function openMigratedDatabase(config: Config): Promise<DatabaseConnection> {
  const connection = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: config.databasePoolSize,
  });
  await migrate(connection);
  return connection;
}

/** The `serve` process: migrate, seed the demo on first start, listen, and close cleanly on a signal. */
export async function serve(config: Config): Promise<FastifyInstance> {
  const connection = await openMigratedDatabase(config);
  let app: FastifyInstance;
  try {
    if (config.isDemo) await seedDemoIfEmpty(connection.db);
    app = await buildApp(config, { db: connection.db });
  } catch (error) {
    await connection.close();
    throw error;
  }
  app.addHook("onClose", () => connection.close());
  if (config.isDemo && config.env === "production") {
    // At error level, so that a production log level (warn, error) still shows it.
    app.log.error(
      "DEMO MODE IS ON IN PRODUCTION (KEEL_DEMO=true): the demo accounts have a published password and " +
        "the sign-in page lists them. Anyone can sign in. Unset KEEL_DEMO unless this server is a public demo.",
    );
  }
  const shutdown = (signal: string) => {
    app.log.info({ signal }, "shutting down");
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    await app.close();
    throw error;
  }
  return app;
}
