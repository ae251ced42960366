import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { z } from "zod";
import type { CreatePipelineSchema, UpdatePipeline } from "../../../shared/schemas/pipeline.ts";
import { ApiProblem, apiRequest } from "../../api/client.ts";
import {
  invalidateCollection,
  useCreateRecord,
  useRecordList,
  useRestoreRecord,
  useUpdateRecord,
} from "../../api/records.ts";
import { t } from "../../i18n/i18n.ts";
import type { PipelineRow } from "../deals/deals.api.ts";

export type { PipelineRow };
export { usePipelines } from "../deals/deals.api.ts";

/** The body of POST /pipelines as the web app sends it (defaults may be left out). */
export type NewPipeline = z.input<typeof CreatePipelineSchema>;

/** Creates a pipeline with its stages (a template's, chosen in the dialog). */
export function useCreatePipeline() {
  return useCreateRecord<PipelineRow, NewPipeline>("pipelines");
}

/** Renames a pipeline, makes it the default or saves its stage list, with If-Match on the version edited. */
export function useUpdatePipeline() {
  return useUpdateRecord<PipelineRow, UpdatePipeline>("pipelines");
}

/** Deletes a pipeline with If-Match; the API refuses the default one and one with open deals (409). */
export function useDeletePipeline() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (pipeline: Pick<PipelineRow, "id" | "version">) =>
      apiRequest<undefined>(`/pipelines/${pipeline.id}`, { method: "DELETE", ifMatch: pipeline.version }),
    onSuccess: () => invalidateCollection(client, "pipelines"),
  });
}

/** The workspace's deleted pipelines (they can be restored at any time). */
export function useDeletedPipelines() {
  return useRecordList<PipelineRow>("pipelines", {
    sort: "name",
    limit: 100,
    filters: [{ field: "deleted", op: "eq", value: "true" }],
  });
}

/** Restores a deleted pipeline (the Undo of a delete, or from the list of deleted ones). */
export function useRestorePipeline() {
  return useRestoreRecord("pipelines");
}

/** What a failed change of a pipeline tells the admin: a 412 says what happened and what to do. */
export function pipelineErrorMessage(error: unknown): string {
  if (error instanceof ApiProblem && error.isStale) return t("pipelines.errors.stale");
  if (error instanceof Error) return error.message;
  return t("pipelines.errors.couldNotSave");
}
