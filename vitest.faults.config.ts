// Fault tests (`npm run test:faults`), not part of `npm test`: src/server/test/faults/*.faults.ts.
// They start a throwaway PostgreSQL cluster of the machine's binaries (pg_config --bindir) and Keel
// as a child process, then restart/stop PostgreSQL, terminate its backends and kill -9 Keel (on
// PostgreSQL and on an embedded PGlite folder) under concurrent HTTP load, and check that Keel stays
// up, answers 503 problem+json (never 500) while the database is away, and loses no acknowledged write.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    environment: "node",
    include: ["src/server/test/faults/**/*.faults.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: "forks",
    // One file at a time: each drives processes and a database of its own under load.
    fileParallelism: false,
  },
});
