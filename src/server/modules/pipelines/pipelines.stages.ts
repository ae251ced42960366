import type { Stage, StageInput } from "../../../shared/schemas/pipeline.ts";
import { AppError } from "../../lib/errors.ts";

/** A stage to create: everything but its id. */
export type NewStage = Omit<Stage, "id">;

/** What replacing a pipeline's stage list changes: stages to update, create and remove. */
export type StagePlan = { update: Stage[]; create: NewStage[]; remove: Stage[]; flagsChanged: string[] };

/** The probability a stage gets when none is given: a won stage is certain, any other starts at 0. */
export function defaultProbability(stage: { isWon?: boolean | undefined }): number {
  return stage.isWon ? 100 : 0;
}

/**
 * Compares the current stages with a replacement list (PATCH `stages`): listed ids are kept and
 * merged (omitted fields keep their value), items without id are new, unlisted stages go. Each
 * stage's position becomes its place in the list; `isArchived` archives (at `now`) or brings back.
 * Throws 400 for an id of another pipeline, for merged values that break the rules (both won and
 * lost, duplicate names) and for a list whose stages are all archived.
 */
export function planStageReplacement(current: Stage[], input: StageInput[], now = new Date()): StagePlan {
  const byId = new Map(current.map((stage) => [stage.id, stage]));
  const plan: StagePlan = { update: [], create: [], remove: [], flagsChanged: [] };
  const errors: { path: string; message: string }[] = [];
  const names = new Set<string>();
  let hasActiveStage = false;
  input.forEach((item, position) => {
    const existing = item.id === undefined ? undefined : byId.get(item.id);
    if (item.id !== undefined && !existing) {
      errors.push({ path: `stages.${position}.id`, message: "No such stage in this pipeline" });
      return;
    }
    const next = mergeStage(existing, item, position, now);
    if (next.isWon && next.isLost)
      errors.push({ path: `stages.${position}.isLost`, message: "A stage cannot be both won and lost" });
    if (names.has(next.name.toLowerCase()))
      errors.push({ path: `stages.${position}.name`, message: "Stage names must be unique" });
    names.add(next.name.toLowerCase());
    if (!next.archivedAt) hasActiveStage = true;
    if (!existing) plan.create.push(next);
    else if (hasChanged(existing, next)) plan.update.push({ ...next, id: existing.id });
    if (existing && (existing.isWon !== next.isWon || existing.isLost !== next.isLost))
      plan.flagsChanged.push(existing.id);
  });
  if (errors.length === 0 && input.length > 0 && !hasActiveStage)
    errors.push({ path: "stages", message: "At least one stage must stay unarchived" });
  if (errors.length > 0) throw new AppError("validation", "Some stages are invalid.", errors);
  const kept = new Set(input.flatMap((item) => (item.id ? [item.id] : [])));
  plan.remove = current.filter((stage) => !kept.has(stage.id));
  return plan;
}

function mergeStage(existing: Stage | undefined, item: StageInput, position: number, now: Date): NewStage {
  const isWon = item.isWon ?? existing?.isWon ?? false;
  const wasArchivedAt = existing?.archivedAt ?? null;
  return {
    name: item.name ?? existing?.name ?? "",
    position,
    isWon,
    isLost: item.isLost ?? existing?.isLost ?? false,
    probability: item.probability ?? existing?.probability ?? defaultProbability({ isWon }),
    archivedAt: item.isArchived === undefined ? wasArchivedAt : item.isArchived ? (wasArchivedAt ?? now) : null,
  };
}

function hasChanged(before: Stage, after: NewStage): boolean {
  return (
    before.name !== after.name ||
    before.position !== after.position ||
    before.probability !== after.probability ||
    before.isWon !== after.isWon ||
    before.isLost !== after.isLost ||
    before.archivedAt?.getTime() !== after.archivedAt?.getTime()
  );
}
