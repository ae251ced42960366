import { describe, expect, it } from "vitest";
import {
  activeQuickFilter,
  calendarFilters,
  isOverdue,
  mineFilter,
  quickFilterOf,
  todayRange,
  withQuickFilter,
} from "./task-filters.ts";

const now = new Date(2026, 2, 14, 15, 30);

describe("task quick filters", () => {
  it("takes today on the workspace's clock: midnight to midnight in its time zone, whatever the browser's", () => {
    // 23:30 UTC on 14 March is already 15 March in Berlin, and still 14 March in Los Angeles.
    const late = new Date("2026-03-14T23:30:00Z");
    expect(todayRange(late, "Europe/Berlin")).toEqual({
      start: "2026-03-14T23:00:00.000Z",
      end: "2026-03-15T23:00:00.000Z",
    });
    // Los Angeles moved its clocks forward on 8 March 2026: that day has 23 hours.
    expect(todayRange(new Date("2026-03-08T20:00:00Z"), "America/Los_Angeles")).toEqual({
      start: "2026-03-08T08:00:00.000Z",
      end: "2026-03-09T07:00:00.000Z",
    });
  });

  it("maps Due today to today, Overdue to due before now and unfinished, Done to completed, Open to unfinished", () => {
    const { start, end } = todayRange(now);
    expect(new Date(end).getTime() - new Date(start).getTime()).toBeGreaterThanOrEqual(23 * 3600_000);
    expect(quickFilterOf("dueToday", now)).toEqual([
      { field: "dueAt", op: "gte", value: start },
      { field: "dueAt", op: "lt", value: end },
    ]);
    expect(quickFilterOf("overdue")).toEqual([
      { field: "dueAt", op: "lt", value: "now" },
      { field: "status", op: "in", value: "open,in_progress" },
    ]);
    expect(quickFilterOf("done")).toEqual([{ field: "status", op: "eq", value: "completed" }]);
    expect(quickFilterOf("open")).toEqual([{ field: "status", op: "in", value: "open,in_progress" }]);
  });

  it("replaces only due and status filters, so the My records preset and other filters stay", () => {
    const other = { field: "priority", op: "eq", value: "high" };
    const overdue = withQuickFilter([other, mineFilter], "overdue", now);
    expect(activeQuickFilter(overdue, now)).toBe("overdue");
    const done = withQuickFilter(overdue, "done", now);
    expect(done).toEqual([
      other,
      { field: "assigneeId", op: "eq", value: "me" },
      { field: "status", op: "eq", value: "completed" },
    ]);
    expect(activeQuickFilter(withQuickFilter(done, "all", now), now)).toBe("all");
    expect(activeQuickFilter([{ field: "status", op: "eq", value: "open" }], now)).toBeNull();
  });

  it("calls a task overdue only while unfinished and past due", () => {
    expect(isOverdue({ status: "open", dueAt: "2026-03-14T10:00:00.000Z" }, new Date("2026-03-14T11:00:00Z"))).toBe(
      true,
    );
    expect(
      isOverdue({ status: "completed", dueAt: "2026-03-14T10:00:00.000Z" }, new Date("2026-03-14T11:00:00Z")),
    ).toBe(false);
    expect(isOverdue({ status: "open", dueAt: null })).toBe(false);
  });
});

describe("calendarFilters", () => {
  const range = { start: "2026-02-22T23:00:00.000Z", end: "2026-04-05T22:00:00.000Z" };
  const at = new Date("2026-03-14T15:30:00Z");

  it("adds the weeks' due range to the list's filters", () => {
    expect(calendarFilters([mineFilter, { field: "status", op: "in", value: "open,in_progress" }], range, at)).toEqual([
      mineFilter,
      { field: "status", op: "in", value: "open,in_progress" },
      { field: "dueAt", op: "gte", value: range.start },
      { field: "dueAt", op: "lt", value: range.end },
    ]);
  });

  it("keeps the list's own due bounds where they are narrower: Overdue ends at now, Due today is one day", () => {
    expect(calendarFilters(quickFilterOf("overdue"), range, at)).toEqual([
      { field: "status", op: "in", value: "open,in_progress" },
      { field: "dueAt", op: "gte", value: range.start },
      { field: "dueAt", op: "lt", value: "now" },
    ]);
    const today = quickFilterOf("dueToday", at);
    expect(calendarFilters(today, range, at)).toEqual(today);
  });

  it("keeps the weeks' bounds where the list's are wider, and sends one bound a side", () => {
    const wide = [
      { field: "dueAt", op: "gt", value: "2020-01-01" },
      { field: "dueAt", op: "lte", value: "2030-01-01T00:00:00Z" },
    ];
    expect(calendarFilters(wide, range, at)).toEqual([
      { field: "dueAt", op: "gte", value: range.start },
      { field: "dueAt", op: "lt", value: range.end },
    ]);
    // At the same instant, "after" and "before" are the narrower.
    const same = [
      { field: "dueAt", op: "gt", value: range.start },
      { field: "dueAt", op: "lte", value: range.end },
    ];
    expect(calendarFilters(same, range, at)).toEqual([same[0], { field: "dueAt", op: "lt", value: range.end }]);
  });

  it("passes other due filters on and drops bounds it cannot read", () => {
    const filters = [
      { field: "dueAt", op: "empty", value: "false" },
      { field: "dueAt", op: "gte", value: "soon" },
      { field: "remindAt", op: "lt", value: "now" },
    ];
    expect(calendarFilters(filters, range, at)).toEqual([
      { field: "dueAt", op: "empty", value: "false" },
      { field: "remindAt", op: "lt", value: "now" },
      { field: "dueAt", op: "gte", value: range.start },
      { field: "dueAt", op: "lt", value: range.end },
    ]);
  });
});
