import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { DryRun, Import, ImportResource, UpdateImport, UploadedImport } from "../../../shared/schemas/import.ts";
import type { Problem } from "../../../shared/schemas/problem.ts";
import { ApiProblem, apiRequest } from "../../api/client.ts";
import type { Page } from "../../api/records.ts";
import type { Wire } from "../../api/wire.ts";
import { webConfig } from "../../config.ts";
import { t } from "../../i18n/i18n.ts";

export type ImportRow = Wire<Import>;
export type UploadedRow = Wire<UploadedImport>;

const importsKey = ["imports"] as const;

/** The imports history, newest first. */
export function useImports() {
  return useInfiniteQuery({
    queryKey: [...importsKey, "list"],
    queryFn: ({ pageParam, signal }) =>
      apiRequest<Page<ImportRow>>("/imports", { query: { limit: 20, cursor: pageParam }, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
}

/** One import, polled every second while it runs (progress, rows/s, ETA). */
export function useImport(id: string | null) {
  return useQuery({
    enabled: id !== null,
    queryKey: [...importsKey, id],
    queryFn: ({ signal }) => apiRequest<ImportRow>(`/imports/${id}`, { signal }),
    refetchInterval: (query) => (query.state.data?.status === "running" ? 1000 : false),
  });
}

/** Uploads a file as multipart/form-data (`resource` first, then `file`); the JSON client cannot. */
export async function uploadFile(resource: ImportResource, file: File): Promise<UploadedRow> {
  const form = new FormData();
  form.append("resource", resource);
  form.append("file", file, file.name);
  const response = await fetch(`${webConfig.apiBase}/imports`, {
    method: "POST",
    body: form,
    credentials: "same-origin",
    headers: { accept: "application/json" },
  });
  if (!response.ok) {
    const fallback = {
      type: "about:blank",
      title: response.statusText || t("imports.uploadFailed"),
      status: response.status,
    };
    const problem = (await response.json().catch(() => fallback)) as Problem;
    throw new ApiProblem({ ...fallback, ...problem });
  }
  return (await response.json()) as UploadedRow;
}

function useImportAction<TInput, TOutput>(call: (input: TInput) => Promise<TOutput>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: call,
    onSettled: () => client.invalidateQueries({ queryKey: importsKey }),
  });
}

export const useUpload = () =>
  useImportAction(({ resource, file }: { resource: ImportResource; file: File }) => uploadFile(resource, file));
export const useUpdateImport = () =>
  useImportAction(({ id, ...body }: UpdateImport & { id: string }) =>
    apiRequest<ImportRow>(`/imports/${id}`, { method: "PATCH", body }),
  );
export const useDryRun = () =>
  useImportAction((id: string) => apiRequest<Wire<DryRun>>(`/imports/${id}/dry-run`, { method: "POST" }));
export const useStartImport = () =>
  useImportAction((id: string) => apiRequest<ImportRow>(`/imports/${id}/start`, { method: "POST" }));
export const useCancelImport = () =>
  useImportAction((id: string) => apiRequest<ImportRow>(`/imports/${id}/cancel`, { method: "POST" }));
export const useUndoImport = () =>
  useImportAction((id: string) => apiRequest<ImportRow>(`/imports/${id}/undo`, { method: "POST" }));

/** Where the failing rows download from. */
export const errorsCsvUrl = (id: string) => `${webConfig.apiBase}/imports/${id}/errors.csv`;
