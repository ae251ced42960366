import { and, isNull, sql, type SQL } from "drizzle-orm";
import type { Config } from "../../config.ts";
import type { Database } from "../../db/client.ts";
import { equalsAny } from "../../db/id-lists.ts";
import type { BackgroundLoop, JobDefinition } from "../../jobs/index.ts";
import { handOverEvents, retryWindowMs, type PublishedEvent } from "../webhooks/index.ts";
import { outboxEvents } from "./outbox.table.ts";

/** Events one relay run hands over; a full batch runs the next one at once. */
const relayBatchSize = 500;
/** Published events one statement of the pruner deletes. */
const pruneBatchSize = 5_000;

type RelayedEvent = PublishedEvent & { seq: number };

/**
 * Workspaces one batch shares out: each gets at least 500 / 50 = 10 events. More would make each
 * batch probe every waiting workspace (thousands, when a shared server's tenants all have a few)
 * for a share of one event or none; the next batches go on from where this one stopped.
 */
const relayWorkspacesPerBatch = 50;
/** The last workspace the previous batch shared out to: the next one starts after it. */
let relayRotation: string | null = null;

/**
 * The next events to hand over, shared fairly between the workspaces that have some waiting: up to
 * 50 of them, in turn (after the last one the previous batch served, wrapping around), each first
 * gets an equal share of the batch, its oldest events by `seq`; what the shares leave unused goes
 * to the oldest events left, whatever their workspace. So one workspace's import of a million rows
 * never delays another's next event by more than a few batches, and still fills every batch when
 * it is alone. Only unpublished events whose transaction has ended (every transaction that could
 * still add an earlier event has, see db/columns.ts xid8). Null when another relay is choosing its
 * batch at this moment.
 *
 * The waiting workspaces are found by a skip scan of the index of unpublished events by workspace
 * and seq (one probe per workspace, however many events wait); each one's share through the same
 * index, the rest through the index of unpublished events by seq.
 */
async function nextBatch(db: Database, limit: number): Promise<RelayedEvent[] | null> {
  return db.transaction(async (tx) => {
    // Without JIT: the planner's guess of the skip scan's cost is far above its 2 ms, and would
    // compile it at every run (15-100 ms).
    const [lock] = (
      (await tx.execute(
        sql`select set_config('jit', 'off', true),
          pg_try_advisory_xact_lock(hashtextextended('keel:events-relay', 0)) as locked`,
      )) as unknown as { rows: { locked: boolean }[] }
    ).rows;
    if (!lock?.locked) return null;
    const ended = sql`xact_id < pg_snapshot_xmin(pg_current_snapshot())`;
    const firstWaiting = (after: SQL) => sql`(select workspace_id from outbox_events
      where published_at is null and workspace_id > ${after} order by workspace_id, seq limit 1)`;
    const firstOfAll = sql`(select workspace_id from outbox_events
      where published_at is null order by workspace_id, seq limit 1)`;
    const { rows } = (await tx.execute(sql`
      with recursive waiting (workspace_id, first_id, turn) as (
        (select id, id, 1 from (select coalesce(${firstWaiting(sql`${relayRotation}::uuid`)}, ${firstOfAll}) as id) start
         where id is not null)
        union all
        select next.id, waiting.first_id, waiting.turn + 1
        from waiting cross join lateral (
          select coalesce(${firstWaiting(sql`waiting.workspace_id`)}, ${firstOfAll}) as id) next
        where waiting.turn < ${relayWorkspacesPerBatch} and next.id <> waiting.first_id
      ),
      share as (select ceil(${limit}::numeric / greatest(count(*), 1))::int as events from waiting),
      shares as (
        select event.* from waiting cross join share cross join lateral (
          select seq, workspace_id, id, type, created_at from outbox_events
          where workspace_id = waiting.workspace_id and published_at is null and ${ended}
          order by seq limit share.events
          for update skip locked
        ) event
      ),
      rest as (
        select seq, workspace_id, id, type, created_at from outbox_events
        where published_at is null and ${ended} and seq not in (select seq from shares)
        order by seq limit greatest(${limit} - (select count(*) from shares), 0)
        for update skip locked
      )
      select batch.*, (select workspace_id from waiting order by turn desc limit 1) as last_served
      from (select * from shares union all select * from rest) batch
      order by seq
      limit ${limit}`)) as unknown as { rows: EventRow[] };
    relayRotation = rows[0]?.last_served ?? relayRotation;
    return rows.map((row) => ({
      seq: Number(row.seq),
      workspaceId: row.workspace_id,
      id: row.id,
      type: row.type,
      createdAt: new Date(row.created_at),
    }));
  });
}

type EventRow = {
  seq: number | string;
  workspace_id: string;
  id: string;
  type: string;
  created_at: Date | string;
  last_served: string | null;
};

/** Marks events published (through the index of unpublished events, by seq). */
async function markPublished(db: Database, events: readonly RelayedEvent[]): Promise<void> {
  await db
    .update(outboxEvents)
    .set({ publishedAt: sql`now()` })
    .where(
      and(
        isNull(outboxEvents.publishedAt),
        equalsAny(
          outboxEvents.seq,
          events.map((event) => event.seq),
          "bigint",
        ),
      ),
    );
}

/**
 * Hands the outbox's events to their subscribers (webhook endpoints: one delivery job per event
 * and subscribed endpoint), then marks them published. Every working process runs it every 250 ms.
 *
 * Jobs are never sent inside a transaction (pg-boss writes on a connection of its own: on the
 * embedded database the send would wait for the transaction forever), so a run has three steps:
 *
 * 1. Choose a batch, in a short transaction: each waiting workspace's share of its oldest
 *    unpublished events whose transactions have ended, then the oldest left (nextBatch),
 *    `for update skip locked`, under an advisory lock that lets one relay choose at a time.
 *    The row locks end with that transaction; what they still do is skip events that another
 *    relay is marking published at this moment (step 3): those have been handed over already.
 * 2. Send the jobs, in `seq` order, a thousand per statement. Each job's id is derived from its
 *    endpoint and event (webhooks.attempts.ts `attemptId`), and pg-boss keeps one job per id.
 * 3. Mark the batch published.
 *
 * Nothing is lost: an event is marked published only after every one of its jobs was sent (a send
 * is committed when it answers); a relay that fails or dies before step 3 leaves its events
 * unpublished, and the next run sends them again. Nothing is duplicated: a job sent again has the
 * same id, which pg-boss skips, so one attempt is made, however many relays sent it. Two relays may both send a batch chosen one after the other (the first has not
 * marked it yet): duplicates, refused alike. Order holds within a workspace (webhook endpoints
 * belong to one): a relay sends a batch's jobs in `seq` order, one statement after another, and
 * batches are chosen one at a time from each workspace's oldest, so a job for a later event is never
 * sent before the jobs of the workspace's earlier events exist. (Attempts run in
 * parallel and retry, so receivers still get no guaranteed order: docs/webhooks.md.)
 */
export const eventsRelay: BackgroundLoop = {
  name: "events.relay",
  intervalMs: 250,
  run: async ({ db, sendBatch }) => {
    const batch = await nextBatch(db, relayBatchSize);
    if (!batch || batch.length === 0) return false;
    await handOverEvents({ db, sendBatch }, batch);
    await markPublished(db, batch);
    return batch.length === relayBatchSize;
  },
};

/**
 * How long published events are kept: OUTBOX_RETENTION_DAYS, and never less than deliveries are
 * retried (a retry reads its event back), nor than a few days for retries by hand.
 */
export function outboxRetentionMs(config: Pick<Config, "outboxRetentionDays" | "webhookRetryBaseSeconds">): number {
  return Math.max(config.outboxRetentionDays * 86_400_000, retryWindowMs(config.webhookRetryBaseSeconds));
}

/** Deletes published events older than `retentionMs`, a batch per statement; answers how many. */
export async function pruneOutbox(db: Database, retentionMs: number, batchSize = pruneBatchSize): Promise<number> {
  const cutoff = new Date(Date.now() - retentionMs).toISOString();
  let total = 0;
  for (;;) {
    // By ctid: the batch is found through the index on published_at, then deleted row by row.
    const result = (await db.execute(sql`with pruned as (
        delete from outbox_events where ctid = any(array(
          select ctid from outbox_events where published_at < ${cutoff}::timestamptz limit ${batchSize}))
        returning 1)
      select count(*)::int as deleted from pruned`)) as unknown as { rows: { deleted: number }[] };
    const deleted = result.rows[0]?.deleted ?? 0;
    total += deleted;
    if (deleted < batchSize) return total;
  }
}

/** Once an hour: deletes published events past their retention (outboxRetentionMs). */
export const outboxPruner: JobDefinition = {
  name: "outbox.prune",
  schedule: "17 * * * *",
  options: { retryLimit: 2, retryDelay: 60 },
  async handler(_job, { db, config, logger }) {
    const deleted = await pruneOutbox(db, outboxRetentionMs(config));
    if (deleted > 0) logger.info({ deleted }, "published events pruned");
  },
};
