import type { StageInput } from "../../../shared/schemas/pipeline.ts";
import type { PipelineRow, Stage } from "../deals/deals.api.ts";

/** What a stage closes a deal as: its won / lost flags as one choice (a stage is never both). */
export type Outcome = "open" | "won" | "lost";

/** One stage as the editor holds it: the inputs' text, and the stage's id once it is saved. */
export type StageDraft = {
  /** Stable across edits and reorders: the id of a saved stage, a made-up key for a new one. */
  key: string;
  id: string | undefined;
  name: string;
  probability: string;
  outcome: Outcome;
};

/** The editor's state: the stages taking deals, in order, and the archived ones after them. */
export type StagesDraft = { active: StageDraft[]; archived: StageDraft[] };

function outcomeOf(stage: Pick<Stage, "isWon" | "isLost">): Outcome {
  if (stage.isWon) return "won";
  if (stage.isLost) return "lost";
  return "open";
}

function draftOf(stage: Stage): StageDraft {
  return {
    key: stage.id,
    id: stage.id,
    name: stage.name,
    probability: String(stage.probability),
    outcome: outcomeOf(stage),
  };
}

/** A pipeline's stages as the editor starts with them. */
export function stagesDraftOf(pipeline: PipelineRow): StagesDraft {
  return {
    active: pipeline.stages.filter((s) => !s.archivedAt).map(draftOf),
    archived: pipeline.stages.filter((s) => s.archivedAt).map(draftOf),
  };
}

let newKeys = 0;
/** A new, unsaved stage. */
export function newStageDraft(): StageDraft {
  newKeys += 1;
  return { key: `new-${newKeys}`, id: undefined, name: "", probability: "", outcome: "open" };
}

/** The list with the item at `from` moved to `to`. */
export function moveItem<T>(items: readonly T[], from: number, to: number): T[] {
  const next = [...items];
  const [item] = next.splice(from, 1);
  if (item === undefined || to < 0 || to > next.length) return [...items];
  next.splice(to, 0, item);
  return next;
}

/** The stages in the order they are sent: active ones first, archived ones after. */
export function orderedStages(draft: StagesDraft): StageDraft[] {
  return [...draft.active, ...draft.archived];
}

/** The editor's state → `stages` of PATCH /pipelines/:id (a blank probability keeps the stored one). */
export function stagesBody(draft: StagesDraft): StageInput[] {
  const archivedKeys = new Set(draft.archived.map((s) => s.key));
  return orderedStages(draft).map((stage) => {
    const probability = stage.probability.trim();
    return {
      ...(stage.id ? { id: stage.id } : {}),
      name: stage.name,
      ...(probability === "" ? {} : { probability: Number(probability) }),
      isWon: stage.outcome === "won",
      isLost: stage.outcome === "lost",
      isArchived: archivedKeys.has(stage.key),
    };
  });
}

/** Field errors by stage key and field (`name`, `probability`, `outcome`); `list` is about the whole list. */
export type StageErrors = {
  list?: string;
  byStage: Record<string, Partial<Record<"name" | "probability" | "outcome", string>>>;
};

/**
 * Error paths of the stage list (`stages.2.name` from the schema or a problem+json answer) → the
 * stage they are about, by its place in the list sent. Flags land on `outcome`; errors of an
 * archived stage (not editable) and of the whole list land on the list, the first one kept.
 */
export function stageErrorsOf(draft: StagesDraft, errors: readonly { path: string; message: string }[]): StageErrors {
  const sent = orderedStages(draft);
  const activeKeys = new Set(draft.active.map((s) => s.key));
  const result: StageErrors = { byStage: {} };
  for (const { path, message } of errors) {
    const [, index, field] = /^stages\.(\d+)\.(\w+)$/.exec(path) ?? [];
    const stage = index === undefined ? undefined : sent[Number(index)];
    const target = field === "isWon" || field === "isLost" ? "outcome" : field;
    if (stage && activeKeys.has(stage.key) && (target === "name" || target === "probability" || target === "outcome")) {
      result.byStage[stage.key] = { [target]: message, ...result.byStage[stage.key] };
    } else {
      result.list ??= stage ? `${stage.name}: ${message}` : message;
    }
  }
  return result;
}
