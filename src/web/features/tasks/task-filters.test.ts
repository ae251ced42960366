import { describe, expect, it } from "vitest";
import {
  activeQuickFilter,
  isOverdue,
  mineFilter,
  quickFilterOf,
  todayRange,
  withQuickFilter,
} from "./task-filters.ts";

const now = new Date(2026, 2, 14, 15, 30);

describe("task quick filters", () => {
  it("maps Due today to the local day, Overdue to due before now and unfinished, Done to completed, Open to unfinished", () => {
    const { start, end } = todayRange(now);
    expect(new Date(start).getHours()).toBe(0);
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
