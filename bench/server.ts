import type { FastifyInstance } from "fastify";
import { buildApp } from "../src/server/app.ts";
import { parseConfig } from "../src/server/config.ts";
import { openDatabase } from "../src/server/db/client.ts";

/**
 * Keel as the benchmark runs it: the real app on DATABASE_URL, silent, on 127.0.0.1 and a free
 * port. Run as a child process (its own event loop, as in production) it prints `{"port":…}`
 * on stdout and stops on SIGTERM or when its parent goes away.
 */
export async function startKeel(
  env: Record<string, string | undefined>,
): Promise<{ app: FastifyInstance; port: number }> {
  const config = parseConfig({
    NODE_ENV: "production",
    ...env,
    LOG_LEVEL: "silent",
    HOST: "127.0.0.1",
    PORT: "0",
    KEEL_DEMO: "false",
    // The benchmark measures Keel, not its rate limits.
    RATE_LIMIT_API_PER_MINUTE: "0",
    RATE_LIMIT_AUTH_PER_MINUTE: "0",
  });
  if (!config.databaseUrl) throw new Error("DATABASE_URL is required");
  const connection = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: config.databasePoolSize,
  });
  const app = await buildApp(config, { db: connection.db });
  app.addHook("onClose", () => connection.close());
  await app.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.address();
  if (!address || typeof address === "string") throw new Error("the server has no TCP address");
  return { app, port: address.port };
}

const isMain = process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, "/"));
if (isMain) {
  const { app, port } = await startKeel(process.env);
  const stop = () => {
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  process.once("disconnect", stop);
  process.stdout.write(`${JSON.stringify({ port })}\n`);
}
