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
  if (config.isDemo) await seedDemoIfEmpty(connection.db);
  const app = await buildApp(config, { db: connection.db });
  app.addHook("onClose", () => connection.close());
  const shutdown = (signal: string) => {
    app.log.info({ signal }, "shutting down");
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
  await app.listen({ host: config.host, port: config.port });
  return app;
}
