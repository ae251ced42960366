/**
 * Compiles the server into dist/server, so that `npm start` runs plain `node` and not tsx, whose
 * loader (a module-loading thread and esbuild) costs some 50 MiB of resident memory. Skips the
 * work when dist/server is newer than its sources; `--force` always builds.
 */
import { existsSync, readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
const outdir = join(root, "dist/server");
const output = join(outdir, "main.js");
const sources = [
  ...["src/server", "src/shared", "tsconfig.json"].map((p) => join(root, p)),
  fileURLToPath(import.meta.url),
];

function newestChange(path: string): number {
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return readdirSync(path).reduce((newest, name) => Math.max(newest, newestChange(join(path, name))), stats.mtimeMs);
}

/** Builds dist/server/main.js (the `keel` CLI) unless it is newer than every source; true when it built. */
export async function buildServer({ force = false } = {}): Promise<boolean> {
  const isFresh =
    existsSync(output) && statSync(output).mtimeMs >= Math.max(...sources.filter(existsSync).map(newestChange));
  if (isFresh && !force) return false;
  // Chunk names carry a hash: clear out the previous build's instead of piling them up.
  rmSync(outdir, { recursive: true, force: true });
  await build({
    absWorkingDir: root,
    entryPoints: { main: "src/server/cli/main.ts" },
    outdir,
    platform: "node",
    target: "node20",
    format: "esm",
    bundle: true,
    // Dynamic import() stays lazy: rarely used code (CLI commands, exports, mail, Redis…) gets a chunk of its own.
    splitting: true,
    // node_modules load from node_modules, as under tsx: native addons (argon2) and PGlite's wasm stay where they expect to be.
    packages: "external",
    sourcemap: "linked",
    // Stack traces only need positions; the sources are in the repository.
    sourcesContent: false,
    logLevel: "warning",
  });
  return true;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  if (await buildServer({ force: process.argv.includes("--force") })) console.log("server built into dist/server");
}
