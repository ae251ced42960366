/**
 * Which outbox events a reader has seen, by `seq`, when transactions commit out of order.
 *
 * `seq` is taken when a row is inserted, not when its transaction commits: a transaction that got
 * seq 10 may commit after the one that got seq 11. A reader that saw 11 and moved its cursor past
 * it would never see 10. Nor can it wait for "every transaction before xmin has ended" and read
 * only rows with `xact_id < xmin`: a transaction may get its xid before another, yet take its seq
 * after it. So the reader keeps two things:
 *
 * - `high`, the highest seq it has read. Each read asks for rows above it.
 * - gaps: every seq below `high` it has not seen, with the snapshot's `xmax` when the gap was
 *   first seen. Such a seq belongs to a transaction that was still running then (it will show up
 *   when that commits) or to one that rolled back or never inserted (it never shows up). Each
 *   read also asks for the gaps; one that shows up is delivered late (out of seq order). A gap
 *   is given up once every transaction that could have held it has ended: the current snapshot's
 *   `xmin` has passed the `xmax` recorded with it (all xids below it are finished), and a moment
 *   has passed (a seq is drawn a moment before its transaction's id, in the same INSERT).
 *
 * Delivery is at least once (a restarting reader may repeat a few) and in seq order except for
 * late commits, which is what a page that refetches on an event needs.
 */

/** What a read saw: its snapshot's bounds (xid8 as bigint) and the rows, ascending by seq. */
export type TrackedRead<T extends { seq: number }> = { xmin: bigint; xmax: bigint; rows: readonly T[] };

type Gap = { xmax: bigint; seenAt: number };

export class SeqTracker {
  private high: number;
  private readonly gaps = new Map<number, Gap>();

  /**
   * Starts after `high` (the sequence's last value when the reader started). The seqs in
   * (`watchFrom`, `high`] are watched as gaps, seen with `xmax`, for transactions that were
   * already running then; the reader drops the rows of its first read that were committed before.
   */
  constructor(
    high: number,
    private readonly options: { watchFrom: number; xmax: bigint; now: number; maxGaps: number; settleMs: number },
  ) {
    this.high = high;
    for (let seq = Math.max(options.watchFrom + 1, 1); seq <= high; seq++) {
      this.gaps.set(seq, { xmax: options.xmax, seenAt: options.now });
    }
  }

  /** The highest seq read so far. */
  get highest(): number {
    return this.high;
  }

  /** The seqs still awaited below `highest`, lowest first (what the next read asks for besides new rows). */
  get awaited(): number[] {
    return [...this.gaps.keys()].sort((a, b) => a - b);
  }

  /**
   * Takes a read's rows (ascending, each either above `highest` or an awaited gap) and answers the
   * ones to deliver; records new gaps, then gives up the gaps this read's snapshot settles.
   */
  apply<T extends { seq: number }>(read: TrackedRead<T>, now: number): T[] {
    const delivered: T[] = [];
    for (const row of read.rows) {
      if (row.seq > this.high) {
        for (let seq = this.high + 1; seq < row.seq && this.gaps.size < this.options.maxGaps; seq++) {
          this.gaps.set(seq, { xmax: read.xmax, seenAt: now });
        }
        this.high = row.seq;
        delivered.push(row);
      } else if (this.gaps.delete(row.seq)) {
        delivered.push(row);
      }
    }
    for (const [seq, gap] of this.gaps) {
      if (read.xmin >= gap.xmax && now - gap.seenAt >= this.options.settleMs) this.gaps.delete(seq);
    }
    return delivered;
  }
}
