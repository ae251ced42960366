/**
 * Keel on a real PostgreSQL that fails under it: restarted, stopped for 5 s, its backends
 * terminated, and Keel itself killed mid-write. Run with `npm run test:faults`.
 */
import { afterAll, beforeAll, beforeEach, expect, test } from "vitest";
import type { KeelProcess } from "./keel-process.ts";
import type { Client } from "./load.ts";
import { sleep } from "../ports.ts";
import { startPostgresCluster, type PostgresCluster } from "./postgres-cluster.ts";
import { pollReadyz, type ReadyzSample } from "./readyz.ts";
import {
  expectAlive,
  expectEveryWriteFinished,
  expectGoodAnswers,
  expectWritesKept,
  killMidWrite,
  logLoad,
  scenarioDomain,
  startSignedIn,
  underLoad,
} from "./scenario.ts";

let cluster: PostgresCluster;
let keel: KeelProcess | undefined;
let client: Client;

beforeAll(async () => {
  cluster = await startPostgresCluster();
});

afterAll(async () => {
  await keel?.stop();
  await cluster?.remove();
});

// One Keel for the scenarios; a fresh one when a scenario left it dead (that scenario failed for it).
beforeEach(async () => {
  if (keel && !keel.exitState()) return;
  await keel?.stop();
  ({ keel, client } = await startSignedIn({ databaseUrl: cluster.url }));
});

/** After a fault: Keel alive, answers well-formed, writes kept. A dead Keel is replaced to read the data. */
async function expectSurvived(load: Awaited<ReturnType<typeof underLoad>>): Promise<void> {
  logLoad(load);
  if (!keel) throw new Error("no Keel");
  expectAlive(keel);
  expectGoodAnswers(load);
  expectEveryWriteFinished(load);
  if (keel.exitState()) ({ keel, client } = await startSignedIn({ databaseUrl: cluster.url }));
  await expectWritesKept(client, load, { exact: true });
}

test("PostgreSQL restarts (pg_ctl restart -m fast) under load", async () => {
  const load = await underLoad(client, scenarioDomain("restart"), async () => {
    const started = Date.now();
    await cluster.restart();
    console.log(`[faults] pg_ctl restart -m fast took ${Date.now() - started} ms`);
  });
  await expectSurvived(load);
});

type OutageTimes = { stoppedAt: number; startingAt: number; startedAt: number };

function describeReadyz(samples: ReadyzSample[], times: OutageTimes): string {
  const down = samples.filter((s) => s.sentAt >= times.stoppedAt && s.doneAt <= times.startingAt);
  const firstDown = down.find((s) => s.status === 503);
  const firstUp = samples.find((s) => s.sentAt >= times.stoppedAt && s.status === 200);
  return (
    `${down.length} polls while down (${[...new Set(down.map((s) => s.status))].join("/")}); ` +
    `first 503 ${firstDown ? firstDown.doneAt - times.stoppedAt : "-"} ms after pg_ctl stop returned; ` +
    `first 200 ${firstUp ? firstUp.doneAt - times.startedAt : "-"} ms after pg_ctl start returned ` +
    `(start took ${times.startedAt - times.startingAt} ms)`
  );
}

function expectReadyzFollowed(samples: ReadyzSample[], times: OutageTimes): void {
  const down = samples.filter((s) => s.sentAt >= times.stoppedAt && s.doneAt <= times.startingAt);
  expect.soft(down.length, "/readyz polls during the outage").toBeGreaterThan(20);
  const notUnavailable = down
    .filter((s) => s.status !== 503)
    .map((s) => `${s.status} at +${s.sentAt - times.stoppedAt} ms`);
  expect.soft(notUnavailable, "/readyz answers other than 503 while PostgreSQL was down").toEqual([]);
  const firstUp = samples.find((s) => s.sentAt >= times.stoppedAt && s.status === 200);
  expect.soft(firstUp, "/readyz never answered 200 after PostgreSQL came back").toBeDefined();
  if (!firstUp) return;
  expect
    .soft(firstUp.doneAt - times.startedAt, "ms from pg_ctl start returning to /readyz 200")
    .toBeLessThanOrEqual(1_000);
  const relapses = samples.filter((s) => s.sentAt > firstUp.doneAt && s.status !== 200).map((s) => s.status);
  expect.soft(relapses, "/readyz answers other than 200 after it recovered").toEqual([]);
}

test("PostgreSQL stopped for 5 s under load: 503s while down, ready within a second of its return", async () => {
  const poller = pollReadyz(client.baseUrl, 100);
  const times: OutageTimes = { stoppedAt: 0, startingAt: 0, startedAt: 0 };
  const load = await underLoad(client, scenarioDomain("outage"), async () => {
    await cluster.stop();
    times.stoppedAt = Date.now();
    try {
      await sleep(5_000);
    } finally {
      times.startingAt = Date.now();
      await cluster.start();
      times.startedAt = Date.now();
    }
  });
  await poller.stop();
  console.log(`[faults] readyz: ${describeReadyz(poller.samples, times)}`);
  expectReadyzFollowed(poller.samples, times);
  await expectSurvived(load);
});

test("every backend of Keel's database terminated (pg_terminate_backend), three times in a row", async () => {
  const terminated: number[] = [];
  const load = await underLoad(client, scenarioDomain("terminate"), async () => {
    for (let i = 0; i < 3; i++) {
      terminated.push(await cluster.terminateBackends("postgres"));
      await sleep(700);
    }
  });
  console.log(`[faults] pg_terminate_backend ended ${terminated.join(", ")} backends`);
  expect
    .soft(
      terminated.some((n) => n > 0),
      "backends terminated",
    )
    .toBe(true);
  await expectSurvived(load);
});

test("kill -9 of Keel mid-write (PostgreSQL): no acknowledged write lost, none stored twice", async () => {
  await killMidWrite({ databaseUrl: cluster.url }, scenarioDomain("kill9-pg"));
});
