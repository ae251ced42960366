/**
 * Builds the web app into dist/web when it is missing or older than its sources, so that
 * `npm install` and `npm start` alone give a working app. `--force` always builds.
 */
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, gzipSync } from "node:zlib";
import { build } from "vite";

const root = fileURLToPath(new URL("..", import.meta.url));
const output = join(root, "dist/web/index.html");
const sources = ["src/web", "src/shared", "vite.config.ts", "package-lock.json"].map((p) => join(root, p));

function newestChange(path: string): number {
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return readdirSync(path).reduce((newest, name) => Math.max(newest, newestChange(join(path, name))), stats.mtimeMs);
}

/** Writes .br and .gz next to each script and stylesheet; the server sends them to browsers that accept them. */
function precompressAssets(directory: string): void {
  for (const name of readdirSync(directory).filter((n) => /\.(js|css)$/.test(n))) {
    const content = readFileSync(join(directory, name));
    writeFileSync(join(directory, `${name}.br`), brotliCompressSync(content));
    writeFileSync(join(directory, `${name}.gz`), gzipSync(content, { level: 9 }));
  }
}

const isForced = process.argv.includes("--force");
const isFresh =
  existsSync(output) && statSync(output).mtimeMs >= Math.max(...sources.filter(existsSync).map(newestChange));
if (isForced || !isFresh) {
  // React's production build whatever the caller's NODE_ENV (the e2e server runs in development,
  // and a shell may have it set): the development build renders twice and checks as it goes.
  // eslint-disable-next-line n/no-process-env -- Vite and React read it: the build's mode
  process.env.NODE_ENV = "production";
  await build({ configFile: join(root, "vite.config.ts"), logLevel: "warn" });
  precompressAssets(join(root, "dist/web/assets"));
  console.log("web app built into dist/web");
}
