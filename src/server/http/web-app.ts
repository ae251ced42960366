import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

const webRoot = fileURLToPath(new URL("../../../dist/web/", import.meta.url));

/**
 * Serves the built web app (dist/web) at `/`. Hashed assets are cached for a year; every other
 * path that is not an API path answers index.html so the app's router can take it.
 */
export async function registerWebApp(app: FastifyInstance): Promise<(request: FastifyRequest, reply: FastifyReply) => Promise<unknown>> {
  const indexFile = `${webRoot}index.html`;
  if (!existsSync(indexFile)) {
    app.log.warn("the web app is not built (dist/web is missing): run `npm run build:web`");
    return async (_request, reply) =>
      reply.code(503).type("text/plain").send("The web app is not built. Run `npm run build:web`, then reload.");
  }
  await app.register(fastifyStatic, {
    root: webRoot,
    wildcard: false,
    index: false,
    // The build writes .br and .gz beside each asset.
    preCompressed: true,
    setHeaders: (reply, path) => {
      const isHashed = path.includes("/assets/");
      reply.header("cache-control", isHashed ? "public, max-age=31536000, immutable" : "no-cache");
    },
  });
  const indexHtml = await readFile(indexFile, "utf8");
  return async (_request, reply) => reply.type("text/html").header("cache-control", "no-cache").send(indexHtml);
}
