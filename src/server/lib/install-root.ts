import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The folder holding Keel's package.json (and migrations/, dist/web, node_modules), found by
 * walking up from this module: the same answer from src/ under tsx and from the bundle in
 * dist/server, where relative paths from import.meta.url no longer match the source tree.
 */
function findInstallRoot(): string {
  const start = dirname(fileURLToPath(import.meta.url));
  for (let folder = start; ; folder = dirname(folder)) {
    if (existsSync(join(folder, "package.json"))) return folder;
    if (dirname(folder) === folder) throw new Error(`no package.json above ${start}`);
  }
}

const installRoot = findInstallRoot();

/** A path inside Keel's install folder, e.g. `installPath("migrations")`. */
export function installPath(...segments: string[]): string {
  return join(installRoot, ...segments);
}
