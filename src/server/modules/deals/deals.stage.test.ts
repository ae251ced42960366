import { describe, expect, it } from "vitest";
import { placeInStage, stageEvents, statusOfStage, utcToday, type StagePlacement } from "./deals.stage.ts";

const open = { id: "open", probability: 40, isWon: false, isLost: false };
const other = { id: "other", probability: 60, isWon: false, isLost: false };
const won = { id: "won", probability: 100, isWon: true, isLost: false };
const alsoWon = { id: "also-won", probability: 100, isWon: true, isLost: false };
const lost = { id: "lost", probability: 0, isWon: false, isLost: true };
const today = "2026-03-01";

describe("statusOfStage", () => {
  it("is won, lost or open after the stage's flags", () => {
    expect(statusOfStage(won)).toBe("won");
    expect(statusOfStage(lost)).toBe("lost");
    expect(statusOfStage(open)).toBe("open");
  });
});

describe("utcToday", () => {
  it("is the UTC calendar date", () => {
    expect(utcToday(new Date("2026-03-01T23:30:00-05:00"))).toBe("2026-03-02");
  });
});

describe("placeInStage", () => {
  it("gives a new deal the stage's probability unless one is given", () => {
    expect(placeInStage(null, open, undefined, today)).toEqual({
      stageId: "open",
      status: "open",
      probability: 40,
      actualCloseDate: null,
    });
    expect(placeInStage(null, open, 15, today).probability).toBe(15);
  });

  it("closes a deal today when it enters a won or lost stage, and reopens it without a date", () => {
    const start = placeInStage(null, open, undefined, today);
    const closed = placeInStage(start, won, undefined, today);
    expect(closed).toEqual({ stageId: "won", status: "won", probability: 100, actualCloseDate: today });
    const reopened = placeInStage(closed, other, undefined, "2026-04-01");
    expect(reopened).toEqual({ stageId: "other", status: "open", probability: 60, actualCloseDate: null });
    expect(placeInStage(closed, lost, undefined, "2026-04-01").actualCloseDate).toBe("2026-04-01");
  });

  it("keeps the close date while the deal stays in the same status", () => {
    const closed: StagePlacement = { stageId: "won", status: "won", probability: 100, actualCloseDate: "2026-01-15" };
    expect(placeInStage(closed, alsoWon, undefined, today).actualCloseDate).toBe("2026-01-15");
  });

  it("keeps the probability when the stage does not change", () => {
    const current: StagePlacement = { stageId: "open", status: "open", probability: 55, actualCloseDate: null };
    expect(placeInStage(current, open, undefined, today).probability).toBe(55);
  });
});

describe("stageEvents", () => {
  const start = placeInStage(null, open, undefined, today);
  it("announces a stage change and entering won or lost", () => {
    expect(stageEvents(start, placeInStage(start, other, undefined, today))).toEqual(["deal.stage_changed"]);
    expect(stageEvents(start, placeInStage(start, won, undefined, today))).toEqual(["deal.stage_changed", "deal.won"]);
    expect(stageEvents(start, placeInStage(start, lost, undefined, today))).toEqual([
      "deal.stage_changed",
      "deal.lost",
    ]);
  });

  it("announces won for a deal created in a won stage, and nothing when nothing moves", () => {
    expect(stageEvents(null, placeInStage(null, won, undefined, today))).toEqual(["deal.won"]);
    expect(stageEvents(null, start)).toEqual([]);
    expect(stageEvents(start, start)).toEqual([]);
  });
});
