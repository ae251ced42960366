import { sql } from "drizzle-orm";
import type { FastifyBaseLogger } from "fastify";
import type { Database } from "../../db/client.ts";
import { describeError } from "../../http/logging.ts";
import { SeqTracker } from "./events.tracker.ts";

/** An outbox event as the live stream needs it: who may see it, and what a page should refetch. */
export type LiveEvent = {
  seq: number;
  workspaceId: string;
  type: string;
  resourceType: string;
  resourceId: string;
  actorId: string | null;
  /** The record's owner, assignee and creator (record events), for roles that read their own only. */
  ownership: { ownerId: string | null; assigneeId: string | null; createdBy: string | null } | null;
  /** `notification.created`: the member it is for and the notification. */
  notification: { userId: string; notification: Record<string, unknown> } | null;
};

export type PollerOptions = {
  /** The pause between two reads that found everything there was. */
  intervalMs: number;
  /** Rows per read; a full read is followed by the next at once. */
  batchSize: number;
};

type Row = {
  seq: number;
  xact_id: string;
  workspace_id: string;
  type: string;
  resource_type: string;
  resource_id: string;
  actor_id: string | null;
  owner_id: string | null;
  assignee_id: string | null;
  created_by: string | null;
  notification: { userId: string; notification: Record<string, unknown> } | null;
};

type Snapshot = { xmin: bigint; xmax: bigint; running: Set<bigint> };

/** `xmin:xmax:xip,…` (pg_current_snapshot() as text) → its bounds and running transactions. */
function parseSnapshot(text: string): Snapshot {
  const [xmin = "0", xmax = "0", running = ""] = text.split(":");
  return { xmin: BigInt(xmin), xmax: BigInt(xmax), running: new Set(running ? running.split(",").map(BigInt) : []) };
}

/** Seqs below the start watched for transactions already running then (see SeqTracker). */
const startWindow = 500;
/** Most seqs awaited at once; beyond, a late commit's event is not streamed (pages still load it). */
const maxGaps = 10_000;
/** How long a gap is awaited at least, whatever the snapshots say (see SeqTracker). */
const settleMs = 1_000;
/**
 * Published rows are found by `published_at` (there is no index on `seq` for them): those published
 * since the last complete read, less this margin for the relay's transaction and clocks.
 */
const publishedMargin = "30 seconds";
const maxBackoffMs = 10_000;

/**
 * Reads new outbox events, of every workspace, for the live stream of this process: one reader
 * however many clients listen, on a pooled connection for the length of one query.
 *
 * Rows are read above the highest seq seen, plus the seqs still awaited (SeqTracker explains why
 * a cursor over seq alone would miss late commits). The outbox indexes `seq` only for unpublished
 * rows, so a read has two branches: unpublished rows by seq, and rows the relay published since
 * the last complete read (less a margin) by `published_at`; a row committed after the last read is
 * in one of them. Events are never marked published here: that is the relay's, for webhooks.
 *
 * A failed read (the database restarting) is logged and tried again later and later; the stream's
 * clients stay connected meanwhile, and get what was missed once the database is back.
 */
export class OutboxPoller {
  private tracker: SeqTracker | null = null;
  /** Where the reader started: rows up to `last` committed before then are the past, never delivered. */
  private start: { last: number; snapshot: Snapshot } = {
    last: 0,
    snapshot: { xmin: 0n, xmax: 0n, running: new Set() },
  };
  private since = "";
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private failures = 0;
  private isStopped = true;
  /** Bumped by each begin(): a read of an earlier run, finishing late, schedules nothing. */
  private generation = 0;

  constructor(
    private readonly db: Database,
    private readonly logger: FastifyBaseLogger,
    private readonly deliver: (events: LiveEvent[]) => void,
    private readonly options: PollerOptions,
  ) {}

  /** The highest seq read so far (0 before the start). */
  get highest(): number {
    return this.tracker?.highest ?? 0;
  }

  /** Reads where the outbox stands now and starts reading after it. Throws when the database is away. */
  async begin(): Promise<void> {
    if (!this.isStopped) return;
    const result = await this.db.execute(sql`
      select coalesce(pg_sequence_last_value(pg_get_serial_sequence('outbox_events', 'seq')::regclass), 0)::bigint as last,
        pg_current_snapshot()::text as snapshot, (now() - ${publishedMargin}::interval)::text as since`);
    const [row] = rowsOf<{ last: number | string; snapshot: string; since: string }>(result);
    if (!row) throw new Error("the outbox position read nothing");
    const last = Number(row.last);
    const snapshot = parseSnapshot(row.snapshot);
    this.tracker = new SeqTracker(last, {
      watchFrom: last - startWindow,
      xmax: snapshot.xmax,
      now: Date.now(),
      maxGaps,
      settleMs,
    });
    this.start = { last, snapshot };
    this.since = row.since;
    this.isStopped = false;
    this.failures = 0;
    this.generation++;
    this.schedule(0, this.generation);
  }

  /** Stops reading; waits for a read in progress. */
  async stop(): Promise<void> {
    this.isStopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private schedule(pauseMs: number, generation: number): void {
    if (this.isStopped || generation !== this.generation) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.running = this.readOnce(generation)
        .then((isFull) => {
          if (this.failures > 0) this.logger.info({ failures: this.failures }, "live events read again");
          this.failures = 0;
          this.schedule(isFull ? 0 : this.options.intervalMs, generation);
        })
        .catch((error: unknown) => {
          this.failures++;
          const pause = Math.min(this.options.intervalMs * 2 ** Math.min(this.failures, 10), maxBackoffMs);
          if (!this.isStopped)
            this.logger.warn({ err: describeError(error), failures: this.failures }, "live events read failed");
          this.schedule(pause, generation);
        })
        .finally(() => {
          this.running = undefined;
        });
    }, pauseMs);
  }

  /** One read: new rows and awaited ones, in one statement (one snapshot). Answers whether it was full. */
  private async readOnce(generation: number): Promise<boolean> {
    const tracker = this.tracker;
    if (!tracker) return false;
    const high = tracker.highest;
    const awaited = `{${tracker.awaited.join(",")}}`;
    const wanted = sql`(seq > ${high} or seq = any(${awaited}::bigint[]))`;
    const columns = sql`seq, xact_id::text as xact_id, workspace_id, type, resource_type, resource_id, actor_id,
      payload->'record'->>'ownerId' as owner_id, payload->'record'->>'assigneeId' as assignee_id,
      payload->'record'->>'createdBy' as created_by,
      case when type = 'notification.created' then payload end as notification`;
    const result = await this.db.execute(sql`
      with found as (
        select ${columns} from outbox_events where published_at is null and ${wanted}
        union all
        select ${columns} from outbox_events where published_at >= ${this.since}::timestamptz and ${wanted}
      )
      select pg_current_snapshot()::text as snapshot, (now() - ${publishedMargin}::interval)::text as since,
        (select coalesce(json_agg(f order by f.seq), '[]'::json)
           from (select * from found order by seq limit ${this.options.batchSize}) f) as rows`);
    const [read] = rowsOf<{ snapshot: string; since: string; rows: Row[] | string }>(result);
    if (!read || generation !== this.generation) return false;
    const snapshot = parseSnapshot(read.snapshot);
    const rows = (typeof read.rows === "string" ? (JSON.parse(read.rows) as Row[]) : read.rows).map((row) => ({
      ...row,
      seq: Number(row.seq),
    }));
    const { last, snapshot: atStart } = this.start;
    // Of the rows up to the start, only those of transactions still running then are news.
    const delivered = tracker
      .apply({ xmin: snapshot.xmin, xmax: snapshot.xmax, rows }, Date.now())
      .filter((row) => row.seq > last || isRunningIn(atStart, BigInt(row.xact_id)));
    const isFull = rows.length >= this.options.batchSize;
    // Only a complete read moves the published window: a full one may have left rows behind.
    if (!isFull) this.since = read.since;
    if (delivered.length > 0) this.deliver(delivered.map(toLiveEvent));
    return isFull;
  }
}

function isRunningIn(snapshot: Snapshot, xid: bigint): boolean {
  return xid >= snapshot.xmax || snapshot.running.has(xid);
}

function toLiveEvent(row: Row): LiveEvent {
  const isRecord = row.owner_id !== null || row.assignee_id !== null || row.created_by !== null;
  return {
    seq: row.seq,
    workspaceId: row.workspace_id,
    type: row.type,
    resourceType: row.resource_type,
    resourceId: row.resource_id,
    actorId: row.actor_id,
    ownership: isRecord ? { ownerId: row.owner_id, assigneeId: row.assignee_id, createdBy: row.created_by } : null,
    notification: row.notification,
  };
}

/** The rows of `db.execute`, on node-postgres (`{ rows }`) and PGlite alike. */
function rowsOf<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}
