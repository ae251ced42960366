import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiRequest } from "../../api/client.ts";
import { invalidateCollection, listQuery, type Collection, type ListFilter } from "../../api/records.ts";

/** What a bulk action does (the body of `POST /x/bulk` without its selection). */
export type BulkAction =
  | { action: "delete" | "restore" }
  | { action: "assign"; ownerId: string | null }
  | { action: "update"; fields: Record<string, unknown> }
  | { action: "addTags" | "removeTags"; tags: string[] };

/** The records a bulk action acts on: the rows picked, or everything the list's search and filters match. */
export type BulkSelection = { ids: string[] } | { filter: { q: string; filters: ListFilter[] } };

export type RefusedRecord = { id: string; message: string };

/** A bulk operation as the API answers it (`POST /x/bulk` when it ran at once, `GET /bulk-operations/:id`). */
export type BulkOperation = {
  operationId: string;
  status: "queued" | "running" | "completed" | "failed" | "undone";
  resource: string;
  action: string;
  matched: number;
  done: number;
  updated: number;
  refusedCount: number;
  refused: RefusedRecord[];
  undoableUntil: string | null;
  error: string | null;
};

export type BulkStarted = BulkOperation | { operationId: string; status: "queued" };
export type BulkUndone = { operationId: string; reverted: number; refusedCount: number; refused: RefusedRecord[] };

/** The request body's selection: ids, or the list's own query parameters as `filter`. */
function selectionBody(selection: BulkSelection) {
  if ("ids" in selection) return { ids: selection.ids };
  const query = listQuery({ q: selection.filter.q, filters: selection.filter.filters });
  const filter = Object.fromEntries(
    Object.entries(query).filter(([key, value]) => (key === "q" || key.startsWith("filter[")) && value !== undefined),
  );
  return { filter };
}

/** Starts a bulk action: up to 1,000 records it answers the finished operation, above that a queued one. */
export function useBulkAction(collection: Collection) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ selection, ...action }: BulkAction & { selection: BulkSelection }) =>
      apiRequest<BulkStarted>(`/${collection}/bulk`, {
        method: "POST",
        body: { ...action, ...selectionBody(selection) },
      }),
    onSuccess: () => invalidateCollection(client, collection),
  });
}

const isRunning = (status: string | undefined) => status === "queued" || status === "running";

/** A bulk operation, polled every second while it is queued or running. */
export function useBulkOperation(operationId: string | null) {
  return useQuery({
    queryKey: ["bulk-operations", operationId],
    queryFn: ({ signal }) => apiRequest<BulkOperation>(`/bulk-operations/${operationId}`, { signal }),
    enabled: operationId !== null,
    refetchInterval: (query) => (isRunning(query.state.data?.status) || !query.state.data ? 1000 : false),
  });
}

/** Undoes a bulk operation (within 24 hours). */
export function undoBulkOperation(operationId: string): Promise<BulkUndone> {
  return apiRequest<BulkUndone>(`/bulk-operations/${operationId}/undo`, { method: "POST" });
}
