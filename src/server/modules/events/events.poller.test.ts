import { Writable } from "node:stream";
import { sql } from "drizzle-orm";
import pg from "pg";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../config.ts";
import type { Database } from "../../db/client.ts";
import { withWorkspaceTransaction } from "../../db/transaction.ts";
import { createLogger } from "../../http/logging.ts";
import { newId } from "../../lib/ids.ts";
import { testDatabase } from "../../test/create-test-app.ts";
import { enqueueEvent } from "../outbox/index.ts";
import { OutboxPoller, type LiveEvent } from "./events.poller.ts";

// eslint-disable-next-line n/no-process-env -- transactions side by side need a PostgreSQL server
const postgresUrl = process.env.TEST_DATABASE_URL;

const lines: { msg?: string }[] = [];
const logger = createLogger(
  parseConfig({ NODE_ENV: "test", LOG_LEVEL: "info" }),
  new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as { msg?: string });
      done();
    },
  }),
);

/** Every test's events are of a workspace of its own: other files write to the same outbox. */
let workspaceId: string;
let delivered: LiveEvent[];
const pollers: OutboxPoller[] = [];

beforeAll(() => testDatabase());
afterEach(async () => {
  await Promise.all(pollers.splice(0).map((poller) => poller.stop()));
});

async function startPoller(db: Database): Promise<void> {
  workspaceId = newId();
  delivered = [];
  const poller = new OutboxPoller(db, logger, (events) => delivered.push(...events), {
    intervalMs: 20,
    batchSize: 100,
  });
  pollers.push(poller);
  await poller.begin();
}

/** Emits an event of this test's workspace, committed at once (or published too, as by the relay); answers its seq. */
async function emit({ isPublished = false } = {}): Promise<number> {
  const { db } = await testDatabase();
  const resourceId = newId();
  await withWorkspaceTransaction(db, workspaceId, (tx) =>
    enqueueEvent(
      tx,
      { workspaceId, actor: { kind: "system" } },
      { type: "webhook.test", resourceId, payload: { webhookId: resourceId, message: "test" } },
      { isDirect: isPublished },
    ),
  );
  const result = await db.execute(sql`select seq from outbox_events where resource_id = ${resourceId}`);
  return Number((result as unknown as { rows: { seq: number }[] }).rows[0]?.seq);
}

const seqsDelivered = () => delivered.filter((event) => event.workspaceId === workspaceId).map((event) => event.seq);

async function until(isDone: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!isDone()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("OutboxPoller", () => {
  it("delivers the events committed after it started, once each, and none from before", async () => {
    const { db } = await testDatabase();
    workspaceId = newId();
    const before = await emit();
    const workspace = workspaceId;
    await startPoller(db);
    workspaceId = workspace;
    const after = [await emit(), await emit()];
    await until(() => seqsDelivered().length === 2, "two events");
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(seqsDelivered()).toEqual(after);
    expect(seqsDelivered()).not.toContain(before);
  });

  it("delivers events the relay published before they were read", async () => {
    const { db } = await testDatabase();
    await startPoller(db);
    const published = [await emit({ isPublished: true }), await emit(), await emit({ isPublished: true })];
    await until(() => seqsDelivered().length === 3, "three events");
    expect(seqsDelivered()).toEqual(published);
  });

  it("keeps reading after failed reads (the database away), and delivers what it missed", async () => {
    const { db } = await testDatabase();
    let isAway = false;
    const flaky = new Proxy(db, {
      get(target, property) {
        if (property === "execute" && isAway) return () => Promise.reject(new Error("Connection terminated"));
        const value = Reflect.get(target, property) as unknown;
        return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
    await startPoller(flaky);
    isAway = true;
    const missed = await emit();
    await until(() => lines.some((line) => line.msg === "live events read failed"), "a failed read");
    expect(seqsDelivered()).toEqual([]);
    isAway = false;
    await until(() => seqsDelivered().length === 1, "the missed event", 15_000);
    expect(seqsDelivered()).toEqual([missed]);
    expect(lines.some((line) => line.msg === "live events read again")).toBe(true);
  });

  it.skipIf(!postgresUrl)(
    "delivers an event whose transaction commits after a later one's, once that commits",
    async () => {
      const { db } = await testDatabase();
      await startPoller(db);
      const slow = new pg.Client({ connectionString: postgresUrl });
      await slow.connect();
      try {
        await slow.query("begin");
        const inserted = await slow.query(
          `insert into outbox_events (workspace_id, id, type, resource_type, resource_id, payload)
           values ($1, $2, 'webhook.test', 'webhook', $2, '{}') returning seq`,
          [workspaceId, newId()],
        );
        const early = Number(inserted.rows[0].seq);
        const late = await emit();
        expect(early).toBeLessThan(late);
        // On a server the poller reads every file's events: beside a busy suite, allow it time to catch up.
        await until(() => seqsDelivered().includes(late), "the committed event", 45_000);
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect(seqsDelivered()).toEqual([late]);

        await slow.query("commit");
        await until(() => seqsDelivered().includes(early), "the late commit", 45_000);
        expect(seqsDelivered()).toEqual([late, early]);

        // A rolled-back seq is given up, and does not hold back what follows.
        await slow.query("begin");
        await slow.query(
          `insert into outbox_events (workspace_id, id, type, resource_type, resource_id, payload)
           values ($1, $2, 'webhook.test', 'webhook', $2, '{}')`,
          [workspaceId, newId()],
        );
        await slow.query("rollback");
        const next = await emit();
        await until(() => seqsDelivered().includes(next), "the event after a rollback", 45_000);
        expect(seqsDelivered()).toEqual([late, early, next]);
      } finally {
        await slow.end();
      }
    },
    150_000,
  );
});
