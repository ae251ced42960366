import type { FastifyInstance } from "fastify";
import type { Redis } from "ioredis";

/**
 * A Redis client that never stops or stalls Keel (rate limits, cached dashboards): commands fail
 * at once while it is disconnected (no offline queue) and after `commandTimeoutMs` without an
 * answer, so the caller goes on without it; its failures are logged once per outage, with what
 * that means for Keel (`whenDown`, `whenBack`), never with credentials. Closed with the app.
 * The client library is loaded here, not at start: without REDIS_URL it is never needed.
 */
export async function openRedis(
  app: FastifyInstance,
  url: string,
  options: { commandTimeoutMs: number; whenDown: string; whenBack: string },
): Promise<Redis> {
  const { Redis } = await import("ioredis");
  const redis = new Redis(url, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    commandTimeout: options.commandTimeoutMs,
  });
  const server = new URL(url).host;
  let isDown = false;
  redis.on("error", (error) => {
    if (!isDown) app.log.warn({ err: error, redis: server }, options.whenDown);
    isDown = true;
  });
  redis.on("ready", () => {
    if (isDown) app.log.info({ redis: server }, options.whenBack);
    isDown = false;
  });
  app.addHook("onClose", async () => redis.disconnect());
  return redis;
}
