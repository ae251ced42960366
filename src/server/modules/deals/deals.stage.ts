import type { DealStatus } from "../../../shared/schemas/deal.ts";

/** The stage facts a deal's status, probability and close date follow. */
export type StageFacts = { id: string; probability: number; isWon: boolean; isLost: boolean };

/** Where a deal stands in its pipeline: the fields its stage decides. */
export type StagePlacement = {
  stageId: string;
  status: DealStatus;
  probability: number;
  actualCloseDate: string | null;
};

/** A deal's status is its stage's: won, lost, or open for any other stage. */
export function statusOfStage(stage: { isWon: boolean; isLost: boolean }): DealStatus {
  if (stage.isWon) return "won";
  if (stage.isLost) return "lost";
  return "open";
}

/** Today's calendar date in UTC, YYYY-MM-DD (the actual close date of a deal closed now). */
export function utcToday(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/**
 * Places a deal (new when `previous` is null) in a stage. The probability is the given one, else
 * the new stage's when the stage changes, else unchanged. Entering a won or lost stage closes the
 * deal today; staying closed in the same status keeps the original date; reopening clears it.
 */
export function placeInStage(
  previous: StagePlacement | null,
  stage: StageFacts,
  givenProbability: number | undefined,
  today: string,
): StagePlacement {
  const status = statusOfStage(stage);
  const isMove = previous === null || previous.stageId !== stage.id;
  const probability = givenProbability ?? (isMove || !previous ? stage.probability : previous.probability);
  let actualCloseDate: string | null = null;
  if (status !== "open") {
    actualCloseDate = previous?.status === status && previous.actualCloseDate ? previous.actualCloseDate : today;
  }
  return { stageId: stage.id, status, probability, actualCloseDate };
}

/** The events a placement change emits besides created/updated: stage_changed, won, lost. */
export function stageEvents(
  previous: StagePlacement | null,
  next: StagePlacement,
): ("deal.stage_changed" | "deal.won" | "deal.lost")[] {
  const events: ("deal.stage_changed" | "deal.won" | "deal.lost")[] = [];
  if (previous && previous.stageId !== next.stageId) events.push("deal.stage_changed");
  if (next.status === "won" && previous?.status !== "won") events.push("deal.won");
  if (next.status === "lost" && previous?.status !== "lost") events.push("deal.lost");
  return events;
}
