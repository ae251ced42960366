import { availableParallelism } from "node:os";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

/**
 * Three projects, all run by `npm test` (`vitest run`); pick one with `--project NAME`.
 * - server: the API, the database and the shared code, in Node (embedded PGlite, or
 *   TEST_DATABASE_URL for a PostgreSQL server).
 * - web: component tests of the React app in happy-dom.
 * - e2e: the real server and the built web app driven in Chromium (e2e/README.md). Skipped, with
 *   one message, when Chromium is not installed. Runs after the other two, one file at a time.
 */
export default defineConfig({
  test: {
    // Vitest's default keeps a core for its own process, which idles while the test files run: on a
    // 2-core machine that is one worker. Test files (each with its own database) use every core.
    maxWorkers: availableParallelism(),
    projects: [
      {
        test: {
          name: "server",
          environment: "node",
          include: ["src/server/**/*.test.ts", "src/shared/**/*.test.ts", "scripts/**/*.test.ts", "bench/**/*.test.ts"],
          // One migrated embedded database, copied by every test file (src/server/test/global-setup.ts).
          globalSetup: ["src/server/test/global-setup.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          pool: "forks",
        },
      },
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
        },
      },
      {
        test: {
          name: "e2e",
          environment: "node",
          include: ["e2e/**/*.test.ts"],
          globalSetup: ["e2e/support/global-setup.ts"],
          // A journey signs in, loads pages and waits for the server; the first test of a file
          // also launches Chromium.
          testTimeout: 120_000,
          hookTimeout: 180_000,
          pool: "forks",
          // One browser journey at a time, against the one server of the run, after the other projects.
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
