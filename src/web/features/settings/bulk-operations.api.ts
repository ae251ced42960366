import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import type { BulkOperation as BulkOperationOnWire } from "../../../shared/schemas/bulk.ts";
import { apiRequest } from "../../api/client.ts";
import type { Page } from "../../api/records.ts";
import type { Wire } from "../../api/wire.ts";
import { undoBulkOperation } from "../lists/bulk.api.ts";

export type BulkOperationRow = Wire<BulkOperationOnWire>;

const bulkOperationsKey = ["bulk-operations", "history"] as const;

const isRunning = (operation: BulkOperationRow) => operation.status === "queued" || operation.status === "running";

/**
 * The bulk operations the caller may see (admins and managers: the workspace's; others: their
 * own), newest first, page by page; polled every 2 s while one of them is still running.
 */
export function useBulkOperations(isEnabled = true, pageSize = 20) {
  return useInfiniteQuery({
    enabled: isEnabled,
    queryKey: [...bulkOperationsKey, pageSize],
    queryFn: ({ pageParam, signal }) =>
      apiRequest<Page<BulkOperationRow>>("/bulk-operations", { query: { limit: pageSize, cursor: pageParam }, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    refetchInterval: (query) => (query.state.data?.pages.some((page) => page.data.some(isRunning)) ? 2000 : false),
  });
}

/** Undoes one bulk operation, then reloads the history and every list it may have changed. */
export function useUndoBulkOperation() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (operationId: string) => undoBulkOperation(operationId),
    onSettled: () => client.invalidateQueries(),
  });
}
