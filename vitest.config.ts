import { availableParallelism } from "node:os";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";
import { BalancedSequencer } from "./vitest.sequencer.ts";

/**
 * Three projects, all run by `npm test` (`vitest run`); pick one with `--project NAME`.
 * - server: the API, the database and the shared code, in Node (embedded PGlite, or
 *   TEST_DATABASE_URL for a PostgreSQL server). Without isolation: each worker process runs its
 *   files one after another on modules it imported once and on one test database
 *   (src/server/test/create-test-app.ts), so a file must leave nothing running or changed behind,
 *   and replaces no module (vi.mock): it injects a failure through a real part instead (a
 *   database trigger, a server that answers badly).
 * - web: component tests of the React app in happy-dom.
 * - e2e: the real server and the built web app driven in Chromium (e2e/README.md). Skipped, with
 *   one message, when Chromium is not installed. Runs after the others, one file at a time.
 */

const server = {
  name: "server",
  include: [
    "src/server/**/*.test.ts",
    "src/shared/**/*.test.ts",
    "scripts/**/*.test.ts",
    "bench/**/*.test.ts",
    "vitest.sequencer.test.ts",
  ],
  isolate: false,
  // One migrated embedded database, copied by every test worker (src/server/test/global-setup.ts),
  // and the compiled server the CLI's tests start in child processes (src/server/test/keel-cli.ts).
  globalSetup: ["src/server/test/global-setup.ts", "src/server/test/build-server-setup.ts"],
  // Node's environment, which also closes the worker's test database when the worker stops.
  environment: "./src/server/test/environment.ts",
  testTimeout: 30_000,
  hookTimeout: 60_000,
  pool: "forks" as const,
};

export default defineConfig({
  test: {
    // Vitest's default keeps a core for its own process, which idles while the test files run: on a
    // 2-core machine that is one worker. Test workers (each with its own database) use every core.
    maxWorkers: availableParallelism(),
    // The longest files first, and `--shard` split by expected time (vitest.sequencer.ts).
    sequence: { sequencer: BalancedSequencer },
    projects: [
      { test: server },
      {
        plugins: [react()],
        test: {
          name: "web",
          environment: "happy-dom",
          include: ["src/web/**/*.test.{ts,tsx}"],
          setupFiles: ["src/web/test/setup.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          pool: "forks",
          // Each worker runs its files one after another on modules imported once (React, the
          // testing library, the app): importing them again for every file cost more than the
          // tests. So no file replaces a module (vi.mock); the setup file resets what tests change.
          isolate: false,
        },
      },
      {
        test: {
          name: "e2e",
          environment: "node",
          include: ["e2e/*.test.ts"],
          globalSetup: ["e2e/support/global-setup.ts"],
          // A journey signs in, loads pages and waits for the server; the first test of a file
          // also launches Chromium.
          testTimeout: 120_000,
          hookTimeout: 180_000,
          pool: "forks",
          // One browser journey at a time, against the one server of the run, after the other projects,
          // all in one worker process: a file shares nothing with the next but the server and
          // Chromium, and each test gets a fresh browser context (e2e/support/fixtures.ts).
          fileParallelism: false,
          isolate: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
