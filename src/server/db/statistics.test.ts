import { describe, expect, it } from "vitest";
import { firstRefreshRows, isStatisticsRefreshDue } from "./statistics.ts";

describe("isStatisticsRefreshDue", () => {
  it("is due each time a job passes 10,000 rows, then twice as many as the last time", () => {
    const marks: number[] = [];
    for (let done = 0; done < 1_000_000; done += 1_000)
      if (isStatisticsRefreshDue(done, done + 1_000)) marks.push(done + 1_000);
    expect(marks).toEqual([10_000, 20_000, 40_000, 80_000, 160_000, 320_000, 640_000]);
  });

  it("is due once when one step passes several marks, and never before the first", () => {
    expect(isStatisticsRefreshDue(0, firstRefreshRows - 1)).toBe(false);
    expect(isStatisticsRefreshDue(9_000, 50_000)).toBe(true);
    expect(isStatisticsRefreshDue(10_000, 19_999)).toBe(false);
    expect(isStatisticsRefreshDue(19_999, 20_000)).toBe(true);
  });
});
