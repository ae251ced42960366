import { existsSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { AppError } from "../lib/errors.ts";
import { installPath } from "../lib/install-root.ts";
import { sendProblem } from "./problem-details.ts";

const webRoot = installPath("dist/web");
const indexFile = installPath("dist/web/index.html");

/** index.html, re-read when a rebuild replaced it (its asset names change with every build). */
let cachedIndex: { modifiedMs: number; html: string } | null = null;
async function readIndex(): Promise<string | null> {
  try {
    const { mtimeMs } = await stat(indexFile);
    if (cachedIndex?.modifiedMs !== mtimeMs)
      cachedIndex = { modifiedMs: mtimeMs, html: await readFile(indexFile, "utf8") };
    return cachedIndex.html;
  } catch {
    return null;
  }
}

/**
 * Serves the built web app (dist/web) at `/`. Hashed assets are cached for a year; every other
 * path that is not a file answers index.html so the app's router can take it. Files are looked
 * up per request, so a rebuild while the server runs is picked up.
 */
export async function registerWebApp(
  app: FastifyInstance,
): Promise<(request: FastifyRequest, reply: FastifyReply) => Promise<unknown>> {
  if (!existsSync(indexFile)) {
    app.log.warn("the web app is not built (dist/web is missing): run `npm run build:web`");
  }
  await app.register(fastifyStatic, {
    root: webRoot,
    index: false,
    // The build writes .br and .gz beside each asset.
    preCompressed: true,
    setHeaders: (reply, path) => {
      const isHashed = path.includes("/assets/");
      reply.header("cache-control", isHashed ? "public, max-age=31536000, immutable" : "no-cache");
    },
  });
  return async (request, reply) => {
    // A missing script must fail as one, not come back as a page (a chunk of an older build).
    if (request.url.startsWith("/assets/")) {
      return sendProblem(request, reply, new AppError("not-found", `No file ${request.url.split("?")[0]}.`));
    }
    const html = await readIndex();
    if (html === null) {
      return sendProblem(
        request,
        reply,
        new AppError("unavailable", "The web app is not built. Run `npm run build:web`, then reload."),
      );
    }
    return reply.type("text/html").header("cache-control", "no-cache").send(html);
  };
}
