import { and, inArray, isNull, sql } from "drizzle-orm";
import type { Config } from "../../config.ts";
import type { Database } from "../../db/client.ts";
import type { BackgroundLoop, JobDefinition } from "../../jobs/index.ts";
import { handOverEvents, retryWindowMs, type PublishedEvent } from "../webhooks/index.ts";
import { outboxEvents } from "./outbox.table.ts";

/** Events one relay run hands over; a full batch runs the next one at once. */
const relayBatchSize = 500;
/** Published events one statement of the pruner deletes. */
const pruneBatchSize = 5_000;

type RelayedEvent = PublishedEvent & { seq: number };

/**
 * The next events to hand over, oldest first by `seq`: unpublished ones whose transaction has
 * ended (every transaction that could still add an earlier event has, see db/columns.ts xid8).
 * Null when another relay is choosing its batch at this moment.
 */
async function nextBatch(db: Database, limit: number): Promise<RelayedEvent[] | null> {
  return db.transaction(async (tx) => {
    const [lock] = (
      (await tx.execute(
        sql`select pg_try_advisory_xact_lock(hashtextextended('keel:events-relay', 0)) as locked`,
      )) as unknown as { rows: { locked: boolean }[] }
    ).rows;
    if (!lock?.locked) return null;
    return tx
      .select({
        seq: outboxEvents.seq,
        workspaceId: outboxEvents.workspaceId,
        id: outboxEvents.id,
        type: outboxEvents.type,
        createdAt: outboxEvents.createdAt,
      })
      .from(outboxEvents)
      .where(
        and(isNull(outboxEvents.publishedAt), sql`${outboxEvents.xactId} < pg_snapshot_xmin(pg_current_snapshot())`),
      )
      .orderBy(outboxEvents.seq)
      .limit(limit)
      .for("update", { skipLocked: true });
  });
}

/** Marks events published (through the index of unpublished events, by seq). */
async function markPublished(db: Database, events: readonly RelayedEvent[]): Promise<void> {
  await db
    .update(outboxEvents)
    .set({ publishedAt: sql`now()` })
    .where(
      and(
        isNull(outboxEvents.publishedAt),
        inArray(
          outboxEvents.seq,
          events.map((event) => event.seq),
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
 * 1. Choose a batch, in a short transaction: the oldest unpublished events whose transactions have
 *    ended, `for update skip locked`, under an advisory lock that lets one relay choose at a time.
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
 * marked it yet): duplicates, refused alike. Order holds: a relay sends a batch's jobs in `seq`
 * order, one statement after another, and batches are chosen one at a time from the oldest, so a
 * job for a later event is never sent before the jobs of the earlier events exist. (Attempts run in
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
