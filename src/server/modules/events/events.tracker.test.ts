import { describe, expect, it } from "vitest";
import { SeqTracker } from "./events.tracker.ts";

const options = { watchFrom: 10, xmax: 100n, now: 0, maxGaps: 1_000, settleMs: 1_000 };
const rows = (...seqs: number[]) => seqs.map((seq) => ({ seq }));
const seqsOf = (delivered: { seq: number }[]) => delivered.map((row) => row.seq);

describe("SeqTracker", () => {
  it("delivers new rows in order and moves past them", () => {
    const tracker = new SeqTracker(10, options);
    expect(seqsOf(tracker.apply({ xmin: 100n, xmax: 101n, rows: rows(11, 12, 13) }, 0))).toEqual([11, 12, 13]);
    expect(tracker.highest).toBe(13);
    expect(tracker.awaited).toEqual([]);
    expect(seqsOf(tracker.apply({ xmin: 100n, xmax: 101n, rows: rows(13, 14) }, 0))).toEqual([14]);
  });

  it("awaits a seq skipped by a transaction still running, and delivers it late when it commits", () => {
    const tracker = new SeqTracker(10, options);
    // Seq 11's transaction (xid 105) is running; 12 committed.
    expect(seqsOf(tracker.apply({ xmin: 105n, xmax: 110n, rows: rows(12) }, 0))).toEqual([12]);
    expect(tracker.awaited).toEqual([11]);
    // Still running a while later: still awaited, whatever the time.
    expect(seqsOf(tracker.apply({ xmin: 105n, xmax: 112n, rows: [] }, 60_000))).toEqual([]);
    expect(tracker.awaited).toEqual([11]);
    // Committed: delivered now, after 12.
    expect(seqsOf(tracker.apply({ xmin: 112n, xmax: 112n, rows: rows(11, 13) }, 61_000))).toEqual([11, 13]);
    expect(tracker.awaited).toEqual([]);
  });

  it("gives a gap up once every transaction running when it was seen has ended, and a moment has passed", () => {
    const tracker = new SeqTracker(10, options);
    tracker.apply({ xmin: 105n, xmax: 110n, rows: rows(14) }, 0);
    expect(tracker.awaited).toEqual([11, 12, 13]);
    // The transactions have ended (xmin passed 110) but too soon: a seq is drawn just before its xid.
    tracker.apply({ xmin: 110n, xmax: 110n, rows: [] }, 500);
    expect(tracker.awaited).toEqual([11, 12, 13]);
    tracker.apply({ xmin: 110n, xmax: 111n, rows: [] }, 1_000);
    expect(tracker.awaited).toEqual([]);
  });

  it("watches the seqs just before its start for transactions already running then", () => {
    const tracker = new SeqTracker(13, { ...options, watchFrom: 10 });
    expect(tracker.awaited).toEqual([11, 12, 13]);
    expect(seqsOf(tracker.apply({ xmin: 90n, xmax: 101n, rows: rows(12) }, 0))).toEqual([12]);
    expect(tracker.awaited).toEqual([11, 13]);
    tracker.apply({ xmin: 101n, xmax: 101n, rows: [] }, 1_000);
    expect(tracker.awaited).toEqual([]);
  });

  it("never awaits more than maxGaps seqs", () => {
    const tracker = new SeqTracker(0, { ...options, watchFrom: 0, maxGaps: 5 });
    expect(seqsOf(tracker.apply({ xmin: 1n, xmax: 2n, rows: rows(100) }, 0))).toEqual([100]);
    expect(tracker.awaited).toEqual([1, 2, 3, 4, 5]);
  });
});
