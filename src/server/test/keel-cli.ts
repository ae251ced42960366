import { installPath } from "../lib/install-root.ts";

/**
 * The arguments of `node` that run the `keel` CLI in a test's child process: the compiled server,
 * as `npm start` runs it, built from the sources under test by the project's global setup
 * (build-server-setup.ts). It starts in a third of the time the TypeScript loader takes, and the
 * CLI's tests start Keel dozens of times. (The fault tests still start it under tsx: their zombie
 * scenario stops tsx, the server's parent, so that nobody reaps the server.)
 */
export function keelCli(...args: string[]): string[] {
  return [installPath("dist/server/main.js"), ...args];
}
