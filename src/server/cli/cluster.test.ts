import { afterAll, describe, expect, it } from "vitest";
import { sleep } from "../test/ports.ts";
import { cleanUp, getStatus, isAlive, newDataDir, serve, waitReady } from "./serve.helpers.ts";

afterAll(cleanUp);

// eslint-disable-next-line n/no-process-env -- tests choose their database like CI does
const testDatabaseUrl = process.env.TEST_DATABASE_URL;

/** `keel serve --workers N` needs a PostgreSQL server: CI runs this file in its PostgreSQL step. */
describe.skipIf(!testDatabaseUrl)("keel serve --workers 2 (PostgreSQL)", () => {
  it("runs two workers on one port, restarts one that dies while the other answers, and stops both on SIGTERM", async () => {
    const token = "cluster-metrics-token-0123456789";
    const served = await serve(
      { DATABASE_URL: testDatabaseUrl ?? "", KEEL_DEMO: "false", METRICS: "true", METRICS_TOKEN: token },
      newDataDir(),
      ["--workers", "2"],
    );
    const base = `http://127.0.0.1:${served.port}`;
    /** The process ids every worker reports: any worker's /metrics answers for all of them. */
    const workerPids = async () => {
      const { body } = await getStatus(`${base}/metrics`, { authorization: `Bearer ${token}` });
      return [...body.matchAll(/^keel_process_info\{pid="(\d+)"\} 1$/gm)].map((match) => Number(match[1]));
    };
    const waitForWorkers = async (isWanted: (pids: number[]) => boolean) => {
      for (let i = 0; i < 240; i++) {
        const pids = await workerPids().catch(() => []);
        if (isWanted(pids)) return pids;
        await sleep(250);
      }
      throw new Error(`the workers never came up as expected: ${served.output()}`);
    };
    try {
      await waitReady(served);
      const first = await waitForWorkers((pids) => pids.length === 2);
      expect(first).not.toContain(served.child.pid);

      const [killed = 0, survivor = 0] = first;
      process.kill(killed, "SIGKILL");
      while (!served.output().includes(`worker ${killed} killed by SIGKILL; restarting it in`)) await sleep(50);
      // While the primary waits to restart it, the other worker answers every request.
      const statuses = await Promise.all(Array.from({ length: 10 }, () => getStatus(`${base}/readyz`)));
      expect(statuses.map((answer) => answer.status)).toEqual(Array(10).fill(200));

      const second = await waitForWorkers((pids) => pids.length === 2 && !pids.includes(killed));
      expect(second).toContain(survivor);
      expect((await getStatus(`${base}/readyz`)).status).toBe(200);

      served.child.kill("SIGTERM");
      expect(await served.exited).toBe(0);
      expect(second.filter(isAlive)).toEqual([]);
    } finally {
      served.child.kill("SIGKILL");
    }
  }, 120_000);
});
