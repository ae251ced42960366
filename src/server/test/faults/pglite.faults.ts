/**
 * Keel on an embedded PGlite folder: killed with SIGKILL mid-write (a new process must start on
 * the folder it left behind, its lock stale), and a second process on a folder in use (it must
 * refuse to start). Run with `npm run test:faults`.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { describeExit, spawnKeel, startKeel, waitReady } from "./keel-process.ts";
import { killMidWrite, scenarioDomain } from "./scenario.ts";

let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "keel-faults-pglite-"));
});

afterAll(async () => {
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

test("kill -9 of Keel mid-write (PGlite): a new Keel starts on the folder; no acknowledged write lost, none twice", async () => {
  await killMidWrite({ dataDir }, scenarioDomain("kill9-pglite"));
});

// A killed server lingers as a zombie until its parent (PID 1 for an orphan) reaps it; some PID 1s
// reap late (1.4 s in the sandbox these tests were written in), a container's without an init never.
// Its lock is stale all the same.
test("kill -9 of Keel mid-write (PGlite), a new Keel started before the killed one is reaped", async () => {
  await killMidWrite({ dataDir }, scenarioDomain("kill9-pglite-zombie"), "zombie");
});

test("a second Keel on a data folder in use refuses to start, and the first keeps serving", async () => {
  const first = await startKeel({ dataDir });
  const second = await spawnKeel({ dataDir });
  try {
    await Promise.race([second.exited, waitReady(second, 60_000).catch(() => undefined)]);
    const state = second.exitState();
    expect.soft(state, `the second Keel is running on the same folder; its output:\n${second.output()}`).not.toBeNull();
    if (state) {
      console.log(`[faults] the second Keel exited (${describeExit(state)}): ${second.output().trim().slice(-500)}`);
      expect.soft(state.code, "exit code of the second Keel").not.toBe(0);
    }
    const readyz = await fetch(`${first.baseUrl}/readyz`);
    expect.soft(readyz.status, "/readyz of the first Keel").toBe(200);
    expect.soft(first.exitState(), `the first Keel exited; its output:\n${first.output()}`).toBeNull();
  } finally {
    await second.stop();
    await first.stop();
  }
});
