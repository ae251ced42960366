/**
 * Global setup of the server projects, whose CLI tests start the `keel` CLI in child processes:
 * builds the compiled server (dist/server, as `npm start` runs it) from the sources under test,
 * when they changed since the last build. See keel-cli.ts.
 */
import { buildServer } from "../../../scripts/build-server.ts";

// Vitest loads a global setup once per project: the copies share one build through a global of
// the main process, so two projects never write dist/server at the same time.
const shared = Symbol.for("keel.test.serverBuild");

export default async function setup(): Promise<void> {
  const holder = globalThis as typeof globalThis & { [shared]?: Promise<boolean> };
  await (holder[shared] ??= buildServer());
}
