import type { Deal, UpdateDeal } from "../../../shared/schemas/deal.ts";
import type { Pipeline, Stage } from "../../../shared/schemas/pipeline.ts";
import { apiRequest } from "../../api/client.ts";
import { useRecordList } from "../../api/records.ts";
import type { Wire } from "../../api/wire.ts";

export type DealRow = Wire<Deal>;
export type PipelineRow = Wire<Pipeline>;
export type { Stage };

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
