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
    expect(plan.create).toEqual([{ name: "New", position: 1, probability: 0, isWon: false, isLost: false }]);
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

describe("defaultProbability", () => {
  it("is 100 for a won stage and 0 otherwise", () => {
    expect(defaultProbability({ isWon: true })).toBe(100);
    expect(defaultProbability({ isWon: false })).toBe(0);
    expect(defaultProbability({})).toBe(0);
  });
});
