import {
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
  type InfiniteData,
  type QueryClient,
} from "@tanstack/react-query";
import { useEffect } from "react";
import type {
  Import,
  ImportResource,
  ImportStatus,
  RowError,
  UpdateImport,
  UploadedImport,
} from "../../../shared/schemas/import.ts";
import type { Problem } from "../../../shared/schemas/problem.ts";
import { ApiProblem, apiRequest } from "../../api/client.ts";
import { invalidateCollection, type Page } from "../../api/records.ts";
import type { Wire } from "../../api/wire.ts";
import { webConfig } from "../../config.ts";
import { t } from "../../i18n/i18n.ts";

export type ImportRow = Wire<Import>;
export type UploadedRow = Wire<UploadedImport>;

const importsKey = ["imports"] as const;
const historyKey = [...importsKey, "list"] as const;

/** Statuses a job works an import in (the run, the dry run): it changes by itself meanwhile. */
const workingStatuses: readonly ImportStatus[] = ["running", "validating"];

/** The imports history, newest first. */
export function useImports() {
  return useInfiniteQuery({
    queryKey: historyKey,
    queryFn: ({ pageParam, signal }) =>
      apiRequest<Page<ImportRow>>("/imports", { query: { limit: 20, cursor: pageParam }, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
}

/** Whether the cached history shows the import in another status than `row` (e.g. still running). */
function isHistoryBehind(client: QueryClient, row: ImportRow): boolean {
  const history = client.getQueryData<InfiniteData<Page<ImportRow>>>(historyKey);
  const listed = history?.pages.flatMap((page) => page.data).find((entry) => entry.id === row.id);
  return listed !== undefined && listed.status !== row.status;
}

/**
 * One import, polled every second while a job works it, running or validating (progress, rows/s,
 * ETA). Once it stops (completed, failed, cancelled, undone, or uploaded again after its dry run),
 * the history is asked again where it still shows the import otherwise.
 */
export function useImport(id: string | null) {
  const client = useQueryClient();
  const query = useQuery({
    enabled: id !== null,
    queryKey: [...importsKey, id],
    queryFn: ({ signal }) => apiRequest<ImportRow>(`/imports/${id}`, { signal }),
    refetchInterval: (query) => (query.state.data && workingStatuses.includes(query.state.data.status) ? 1000 : false),
  });
  const row = query.data;
  useEffect(() => {
    if (row && !workingStatuses.includes(row.status) && isHistoryBehind(client, row)) {
      void client.invalidateQueries({ queryKey: historyKey });
    }
  }, [client, row]);
  return query;
}

/** Uploads a file as multipart/form-data (`resource` first, then `file`); the JSON client cannot. */
/** The problem a refused upload answered (or one made of its status when its body is none). */
async function refusalOf(response: Response): Promise<ApiProblem> {
  const fallback = {
    type: "about:blank",
    title: response.statusText || t("imports.uploadFailed"),
    status: response.status,
  };
  const problem = (await response.json().catch(() => fallback)) as Problem;
  return new ApiProblem({ ...fallback, ...problem });
}

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
  if (!response.ok) throw await refusalOf(response);
  return (await response.json()) as UploadedRow;
}

/** What POST /contacts/vcards answers: the contacts it created. */
export type VCardsImported = { created: number; ids: string[] };

/** A vCard file (.vcf), by its name or its type: it becomes contacts at once, without a mapping. */
export function isVCardFile(file: File): boolean {
  return /\.(vcf|vcard)$/i.test(file.name) || /^text\/(x-)?vcard$/i.test(file.type);
}

/** Creates contacts from a vCard file (all or none; errors name the card). */
export async function importVCards(file: File): Promise<VCardsImported> {
  const response = await fetch(`${webConfig.apiBase}/contacts/vcards`, {
    method: "POST",
    body: file,
    credentials: "same-origin",
    headers: { accept: "application/json", "content-type": "text/vcard" },
  });
  if (!response.ok) throw await refusalOf(response);
  return (await response.json()) as VCardsImported;
}

/** vCards in: the contacts lists, counts and dashboard then show the new contacts. */
export function useVCardImport() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: importVCards,
    onSuccess: () => invalidateCollection(client, "contacts"),
  });
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
/** Starts a dry run: answers the import `validating`; useImport follows it. */
export const useDryRun = () =>
  useImportAction((id: string) => apiRequest<ImportRow>(`/imports/${id}/dry-run`, { method: "POST" }));
export const useStartImport = () =>
  useImportAction((id: string) => apiRequest<ImportRow>(`/imports/${id}/start`, { method: "POST" }));
export const useCancelImport = () =>
  useImportAction((id: string) => apiRequest<ImportRow>(`/imports/${id}/cancel`, { method: "POST" }));
export const useUndoImport = () =>
  useImportAction((id: string) => apiRequest<ImportRow>(`/imports/${id}/undo`, { method: "POST" }));

/**
 * The first `limit` errors the import's dry run (or run) found, by line. `updatedAt` is the
 * import's as last read: a dry run ending changes it, so its errors are asked for anew.
 */
export function useImportErrors(row: ImportRow, limit: number, enabled: boolean) {
  return useQuery({
    enabled,
    queryKey: [...importsKey, row.id, "errors", row.updatedAt, limit],
    queryFn: ({ signal }) =>
      apiRequest<Page<Wire<RowError>>>(`/imports/${row.id}/errors`, { query: { limit }, signal }),
  });
}

/** Where the failing rows download from. */
export const errorsCsvUrl = (id: string) => `${webConfig.apiBase}/imports/${id}/errors.csv`;
