import { describe, expect, it } from "vitest";
import { moveItem, stageErrorsOf, stagesBody, type StageDraft, type StagesDraft } from "./stage-draft.ts";

const stage = (key: string, name: string, changes: Partial<StageDraft> = {}): StageDraft => ({
  key,
  id: key,
  name,
  probability: "10",
  outcome: "open",
  ...changes,
});
const draft: StagesDraft = {
  active: [stage("a", "Applied"), stage("new-1", "Enrolled", { id: undefined, probability: "", outcome: "won" })],
  archived: [stage("w", "Withdrawn", { outcome: "lost", probability: "0" })],
};

describe("moveItem", () => {
  it("moves an item to another place and ignores places off the list", () => {
    expect(moveItem(["a", "b", "c"], 2, 0)).toEqual(["c", "a", "b"]);
    expect(moveItem(["a", "b", "c"], 0, 1)).toEqual(["b", "a", "c"]);
    expect(moveItem(["a", "b", "c"], 0, 5)).toEqual(["a", "b", "c"]);
  });
});

describe("stagesBody", () => {
  it("sends active stages in order, then archived ones; a blank probability is left to the server", () => {
    expect(stagesBody(draft)).toEqual([
      { id: "a", name: "Applied", probability: 10, isWon: false, isLost: false, isArchived: false },
      { name: "Enrolled", isWon: true, isLost: false, isArchived: false },
      { id: "w", name: "Withdrawn", probability: 0, isWon: false, isLost: true, isArchived: true },
    ]);
  });
});

describe("stageErrorsOf", () => {
  it("puts errors on the active stage they name, flags on its outcome, and the rest on the list", () => {
    const errors = stageErrorsOf(draft, [
      { path: "stages.1.isLost", message: "A stage cannot be both won and lost" },
      { path: "stages.0.name", message: "Required" },
      { path: "stages.2.name", message: "Stage names must be unique" },
      { path: "stages", message: "At least one stage" },
    ]);
    expect(errors.byStage).toEqual({
      a: { name: "Required" },
      "new-1": { outcome: "A stage cannot be both won and lost" },
    });
    expect(errors.list).toBe("Withdrawn: Stage names must be unique");
  });
});
