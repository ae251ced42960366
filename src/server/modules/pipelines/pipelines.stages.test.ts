import { describe, expect, it } from "vitest";
import type { Stage } from "../../../shared/schemas/pipeline.ts";
import { AppError } from "../../lib/errors.ts";
import { defaultProbability, planStageReplacement } from "./pipelines.stages.ts";

const stage = (id: string, name: string, position: number, extra: Partial<Stage> = {}): Stage => ({
  id,
  name,
  position,
  probability: 10,
  isWon: false,
  isLost: false,
  archivedAt: null,
  ...extra,
});
const current = [
  stage("a", "Lead", 0),
  stage("b", "Won", 1, { isWon: true, probability: 100 }),
  stage("c", "Lost", 2, { isLost: true }),
];

describe("planStageReplacement", () => {
  it("keeps listed stages, creates unlisted items and removes omitted stages", () => {
    const plan = planStageReplacement(current, [{ id: "b" }, { name: "New" }, { id: "a", name: "Lead!" }]);
    expect(plan.update).toEqual([
      { ...current[1], position: 0 },
      { ...current[0], name: "Lead!", position: 2 },
    ]);
    expect(plan.create).toEqual([
      { name: "New", position: 1, probability: 0, isWon: false, isLost: false, archivedAt: null },
    ]);
    expect(plan.remove.map((s) => s.id)).toEqual(["c"]);
    expect(plan.flagsChanged).toEqual([]);
  });

  it("leaves unchanged stages out of the updates and reports flag changes", () => {
    const plan = planStageReplacement(current, [{ id: "a", isLost: true }, { id: "b" }, { id: "c" }]);
    expect(plan.update.map((s) => s.id)).toEqual(["a"]);
    expect(plan.flagsChanged).toEqual(["a"]);
    expect(plan.remove).toEqual([]);
  });

  it("refuses unknown ids, won-and-lost stages and duplicate names after merging", () => {
    const attempt = () =>
      planStageReplacement(current, [{ id: "x" }, { id: "c", isWon: true }, { name: "lead" }, { id: "a" }]);
    expect(attempt).toThrow(AppError);
    try {
      attempt();
    } catch (error) {
      expect((error as AppError).errors?.map((e) => e.path)).toEqual([
        "stages.0.id",
        "stages.1.isLost",
        "stages.3.name",
      ]);
    }
  });
});

describe("planStageReplacement archiving", () => {
  const now = new Date("2026-12-01T10:00:00.000Z");
  const earlier = new Date("2026-11-01T10:00:00.000Z");

  it("archives at the given time, keeps an earlier archive time and brings a stage back", () => {
    const archived = [...current.slice(0, 2), stage("c", "Lost", 2, { isLost: true, archivedAt: earlier })];
    const plan = planStageReplacement(
      archived,
      [
        { id: "a", isArchived: true },
        { id: "b", isArchived: false },
        { id: "c", isArchived: true },
      ],
      now,
    );
    expect(plan.update.map((s) => [s.id, s.archivedAt])).toEqual([["a", now]]);
    const back = planStageReplacement(archived, [{ id: "a" }, { id: "b" }, { id: "c", isArchived: false }], now);
    expect(back.update.map((s) => [s.id, s.archivedAt])).toEqual([["c", null]]);
    expect(back.flagsChanged).toEqual([]);
  });

  it("refuses a list whose stages are all archived", () => {
    const attempt = () =>
      planStageReplacement(current, [
        { id: "a", isArchived: true },
        { id: "b", isArchived: true },
        { id: "c", isArchived: true },
      ]);
    expect(attempt).toThrow(AppError);
    try {
      attempt();
    } catch (error) {
      expect((error as AppError).errors?.map((e) => e.path)).toEqual(["stages"]);
    }
  });
});

describe("defaultProbability", () => {
  it("is 100 for a won stage and 0 otherwise", () => {
    expect(defaultProbability({ isWon: true })).toBe(100);
    expect(defaultProbability({ isWon: false })).toBe(0);
    expect(defaultProbability({})).toBe(0);
  });
});
