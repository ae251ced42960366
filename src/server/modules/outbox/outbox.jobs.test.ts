import { and, eq, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../config.ts";
import { createLogger } from "../../http/logging.ts";
import {
  jobDefinitions,
  startWorkers,
  type JobRuntime,
  type LoopDependencies,
  type SendJobBatch,
} from "../../jobs/index.ts";
import { newId } from "../../lib/ids.ts";
import { createTestApp, createTestWorkspace, testDatabase, type TestWorkspace } from "../../test/create-test-app.ts";
import { webhookEndpoints } from "../webhooks/webhooks.table.ts";
import { eventsRelay, outboxRetentionMs, pruneOutbox } from "./outbox.jobs.ts";
import { outboxEvents } from "./outbox.table.ts";

// eslint-disable-next-line n/no-process-env -- tests choose their database like CI does
const testDatabaseUrl = process.env.TEST_DATABASE_URL;
const config = parseConfig({ NODE_ENV: "test", LOG_LEVEL: "silent" });
const day = 86_400_000;

let app: Awaited<ReturnType<typeof createTestApp>>;
let ws: TestWorkspace;
/** The real job queue, sending only: what this file's relays hand over of other files' events. */
let queue: JobRuntime;
/** This file's workspaces: their jobs go to each test's own `sendBatch`. */
const ownWorkspaces = new Set<string>();

beforeAll(async () => {
  app = await createTestApp();
  ws = await createTestWorkspace(app);
  ownWorkspaces.add(ws.id);
  queue = await startWorkers({
    connection: await testDatabase(),
    config,
    logger: createLogger(config),
    definitions: jobDefinitions,
    loops: [],
    shouldRunWorkers: false,
  });
});
afterAll(async () => {
  await app.close();
  await queue.stop();
});

async function insertEvent(values: Partial<typeof outboxEvents.$inferInsert> = {}) {
  const { db } = await testDatabase();
  const [row] = await db
    .insert(outboxEvents)
    .values({
      workspaceId: ws.id,
      id: newId(),
      type: "contact.created",
      resourceType: "contact",
      resourceId: newId(),
      payload: { record: {} },
      ...values,
    })
    .returning();
  return row!;
}

async function publishedOf(ids: string[]): Promise<Map<string, Date | null>> {
  const { db } = await testDatabase();
  const rows = await db
    .select({ id: outboxEvents.id, publishedAt: outboxEvents.publishedAt })
    .from(outboxEvents)
    .where(inArray(outboxEvents.id, ids));
  return new Map(rows.map((row) => [row.id, row.publishedAt]));
}

/**
 * What a relay run is given: the jobs of this file's events go to `sendBatch`. A relay hands over
 * every workspace's events, and on PostgreSQL other files' share the database: theirs go to the
 * real queue, as any relay would send them (kept from it, their webhooks would never be delivered).
 */
async function loopDeps(sendBatch: SendJobBatch): Promise<LoopDependencies> {
  const { db } = await testDatabase();
  const send = async () => null;
  const sendOwnOrQueue: SendJobBatch = async (name, jobs) => {
    const isOwn = (job: (typeof jobs)[number]) => ownWorkspaces.has(job.data.workspaceId ?? "");
    const others = jobs.filter((job) => !isOwn(job));
    if (others.length > 0) await queue.sendBatch(name, others);
    return (await sendBatch(name, jobs.filter(isOwn))) + others.length;
  };
  return {
    db,
    config,
    logger: createLogger(config),
    send,
    sendBatch: sendOwnOrQueue,
    signal: new AbortController().signal,
  };
}

/** Runs the relay until these events are published (another relay may hold the choice for a moment). */
async function relayUntilPublished(ids: string[], sendBatch: SendJobBatch): Promise<void> {
  const deps = await loopDeps(sendBatch);
  for (let run = 0; run < 100; run++) {
    await eventsRelay.run(deps);
    if ([...(await publishedOf(ids)).values()].every((publishedAt) => publishedAt !== null)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("the events were never published");
}

describe("the events relay", () => {
  it.skipIf(testDatabaseUrl)(
    "sends one first attempt per event and subscribed endpoint, in seq order, then marks the events published",
    async () => {
      const { db } = await testDatabase();
      const endpoint = (id: string, events: string[]) => ({
        workspaceId: ws.id,
        id,
        url: "http://127.0.0.1:9/hook",
        events,
        secretSealed: "v1.x.y.z",
        createdBy: ws.admin.userId,
      });
      const [contacts, everything, off] = [newId(), newId(), newId()];
      await db
        .insert(webhookEndpoints)
        .values([
          endpoint(contacts, ["contact.*"]),
          endpoint(everything, ["*"]),
          { ...endpoint(off, ["*"]), active: false },
        ]);
      const first = await insertEvent();
      const second = await insertEvent({ type: "deal.won", resourceType: "deal" });
      const sent: { endpointId: unknown; eventId: unknown; attempt: unknown }[] = [];
      await relayUntilPublished([first.id, second.id], async (name, jobs) => {
        expect(name).toBe("webhooks.deliver");
        // Other files' events in this worker's database go to their own endpoints: not counted.
        for (const { data } of jobs)
          if ([contacts, everything, off].includes(data.endpointId as string))
            sent.push({ endpointId: data.endpointId, eventId: data.eventId, attempt: data.attempt });
        return jobs.length;
      });
      expect(sent).toEqual([
        { endpointId: contacts, eventId: first.id, attempt: 1 },
        { endpointId: everything, eventId: first.id, attempt: 1 },
        { endpointId: everything, eventId: second.id, attempt: 1 },
      ]);
      // Published: the next runs send nothing more.
      await eventsRelay.run(await loopDeps(async () => 0));
      expect(sent).toHaveLength(3);
    },
  );

  it("marks nothing published when a send fails: the next run sends the batch again", async () => {
    const { db } = await testDatabase();
    await db.insert(webhookEndpoints).values({
      workspaceId: ws.id,
      id: newId(),
      url: "http://127.0.0.1:9/hook",
      events: ["task.created"],
      secretSealed: "v1.x.y.z",
      createdBy: ws.admin.userId,
    });
    const event = await insertEvent({ type: "task.created", resourceType: "task" });
    let failures = 0;
    const deps = await loopDeps(async () => {
      failures++;
      throw new Error("pg-boss is away");
    });
    // Until a run of this file's relay chose the batch holding the event (another relay may have the lock).
    for (let run = 0; run < 100 && failures === 0; run++) {
      await eventsRelay.run(deps).catch(() => undefined);
      if ((await publishedOf([event.id])).get(event.id) !== null) break;
    }
    if (failures > 0) expect((await publishedOf([event.id])).get(event.id)).toBeNull();
    await relayUntilPublished([event.id], async (_name, jobs) => jobs.length);
  });

  it("shares each batch between workspaces: one workspace's thousands of events never hold back another's", async () => {
    const { db } = await testDatabase();
    const busy = await createTestWorkspace(app, "Importing");
    ownWorkspaces.add(busy.id);
    const waiting = 5_000;
    // As an import leaves them: thousands of one workspace's events, then one of another's.
    await db.execute(sql`insert into outbox_events (workspace_id, id, type, resource_type, resource_id, payload)
      select ${busy.id}::uuid, gen_random_uuid(), 'contact.created', 'contact', gen_random_uuid(), '{}'
      from generate_series(1, ${waiting})`);
    const next = await insertEvent();
    await relayUntilPublished([next.id], async (_name, jobs) => jobs.length);
    const [{ published } = { published: -1 }] = await db
      .select({ published: sql<number>`count(*)::int` })
      .from(outboxEvents)
      .where(and(eq(outboxEvents.workspaceId, busy.id), isNotNull(outboxEvents.publishedAt)));
    // Its event went out in one of the first batches (500 events each), not after all 5,000.
    expect(published).toBeLessThanOrEqual(waiting / 2);
  });

  it("takes turns when more workspaces wait than a batch serves: each is served before any gets far ahead", async () => {
    const { db } = await testDatabase();
    const workspaces = Array.from({ length: 120 }, () => newId());
    const each = 200;
    // One workspace after another, so that oldest-first (or always the same first workspaces)
    // would serve the first ones whole before the last ones get anything.
    await db.execute(sql`insert into outbox_events (workspace_id, id, type, resource_type, resource_id, payload)
      select workspace_id, gen_random_uuid(), 'contact.created', 'contact', gen_random_uuid(), '{}'
      from unnest(string_to_array(${workspaces.join(",")}, ',')::uuid[]) with ordinality as w(workspace_id, position), generate_series(1, ${each})
      order by position`);
    const publishedPerWorkspace = async () => {
      const rows = await db
        .select({ workspaceId: outboxEvents.workspaceId, published: sql<number>`count(*)::int` })
        .from(outboxEvents)
        .where(and(inArray(outboxEvents.workspaceId, workspaces), isNotNull(outboxEvents.publishedAt)))
        .groupBy(outboxEvents.workspaceId);
      return rows.map((row) => row.published);
    };
    const deps = await loopDeps(async (_name, jobs) => jobs.length);
    let served = await publishedPerWorkspace();
    for (let run = 0; run < 200 && served.length < workspaces.length; run++) {
      await eventsRelay.run(deps);
      served = await publishedPerWorkspace();
    }
    expect(served).toHaveLength(workspaces.length);
    expect(Math.max(...served)).toBeLessThanOrEqual(each / 4);
    await db
      .update(outboxEvents)
      .set({ publishedAt: sql`now()` })
      .where(and(inArray(outboxEvents.workspaceId, workspaces), isNull(outboxEvents.publishedAt)));
  });

  it.skipIf(!testDatabaseUrl)(
    "waits for transactions still open: a later event is not handed over before an earlier transaction ends",
    async () => {
      const open = new pg.Client({ connectionString: testDatabaseUrl });
      await open.connect();
      try {
        await open.query("begin");
        const earlier = newId();
        await open.query(
          `insert into outbox_events (workspace_id, id, type, resource_type, resource_id, payload)
           values ($1, $2, 'contact.created', 'contact', $3, '{}')`,
          [ws.id, earlier, newId()],
        );
        const later = await insertEvent();
        const deps = await loopDeps(async (_name, jobs) => jobs.length);
        for (let run = 0; run < 5; run++) await eventsRelay.run(deps);
        expect((await publishedOf([later.id])).get(later.id)).toBeNull();
        await open.query("commit");
        await relayUntilPublished([earlier, later.id], async (_name, jobs) => jobs.length);
      } finally {
        await open.query("rollback").catch(() => undefined);
        await open.end();
      }
    },
  );
});

describe("pruning the outbox", () => {
  it("deletes published events past their retention, in batches, and keeps the rest", async () => {
    const old = await Promise.all([1, 2, 3].map(() => insertEvent({ publishedAt: new Date(Date.now() - 10 * day) })));
    const recent = await insertEvent({ publishedAt: new Date(Date.now() - day) });
    const unpublished = await insertEvent({ createdAt: new Date(Date.now() - 30 * day) });
    const { db } = await testDatabase();
    expect(await pruneOutbox(db, 7 * day, 2)).toBeGreaterThanOrEqual(3);
    const left = await publishedOf([...old.map((event) => event.id), recent.id, unpublished.id]);
    expect([...left.keys()].sort()).toEqual([recent.id, unpublished.id].sort());
    // Published now, so that other tests' relays do not count it as waiting.
    await db
      .update(outboxEvents)
      .set({ publishedAt: sql`now()` })
      .where(eq(outboxEvents.id, unpublished.id));
  });

  it("keeps events at least as long as their deliveries are retried", () => {
    expect(outboxRetentionMs(config)).toBe(7 * day);
    const short = parseConfig({ OUTBOX_RETENTION_DAYS: "1" });
    expect(outboxRetentionMs(short) / 3_600_000).toBeCloseTo(79.8, 0);
    const slow = parseConfig({ WEBHOOK_RETRY_BASE_SECONDS: "600" });
    expect(outboxRetentionMs(slow)).toBeGreaterThan(30 * day);
  });
});
