import type { Deal, UpdateDeal } from "../../../shared/schemas/deal.ts";
import type { Pipeline, Stage as StoredStage } from "../../../shared/schemas/pipeline.ts";
import { apiRequest } from "../../api/client.ts";
import { useRecordList } from "../../api/records.ts";
import type { Wire } from "../../api/wire.ts";
import { t } from "../../i18n/i18n.ts";

export type DealRow = Wire<Deal>;
export type PipelineRow = Wire<Pipeline>;
export type Stage = Wire<StoredStage>;

/** The related records a deal card, row or page shows. */
export const dealIncludes = "company,contact,owner,stage";

/** The workspace's pipelines with their stages (a workspace has a handful). */
export function usePipelines() {
  return useRecordList<PipelineRow>("pipelines", { sort: "name", limit: 100 });
}

/** The default pipeline, else the first one. */
export function defaultPipeline(pipelines: readonly PipelineRow[]): PipelineRow | undefined {
  return pipelines.find((p) => p.isDefault) ?? pipelines[0];
}

/** True when a stage takes new deals (an archived one keeps only the deals already in it). */
export function isActiveStage(stage: Pick<Stage, "archivedAt">): boolean {
  return !stage.archivedAt;
}

/** A stage as a picker lists it: `isOffered: false` is shown (where the deal is) but not a choice. */
export type OfferedStage = Stage & { isOffered: boolean; label: string };

/**
 * The stages a picker offers: those taking new deals, plus the one the deal is in now even when it
 * is archived, so the picker can show where the deal is (marked, and not a choice to move to).
 */
export function offeredStages(pipeline: PipelineRow | undefined, currentStageId?: string): OfferedStage[] {
  return (pipeline?.stages ?? []).flatMap((stage): OfferedStage[] => {
    if (isActiveStage(stage)) return [{ ...stage, isOffered: true, label: stage.name }];
    if (stage.id !== currentStageId) return [];
    return [{ ...stage, isOffered: false, label: t("deals.stages.archived", { name: stage.name }) }];
  });
}

/** Saves some fields of a deal with If-Match on the version it was read at; a newer one answers 412. */
export function patchDeal(deal: Pick<DealRow, "id" | "version">, changes: UpdateDeal): Promise<DealRow> {
  return apiRequest<DealRow>(`/deals/${deal.id}`, { method: "PATCH", body: changes, ifMatch: deal.version });
}

/** A deal as stored now, with what its card shows. */
export function fetchDeal(id: string): Promise<DealRow> {
  return apiRequest<DealRow>(`/deals/${id}`, { query: { include: dealIncludes } });
}

/** "Won", "Lost" or nothing, from what a stage means. */
export function stageOutcome(stage: Pick<Stage, "isWon" | "isLost"> | undefined): "won" | "lost" | null {
  if (stage?.isWon) return "won";
  if (stage?.isLost) return "lost";
  return null;
}
