import { useInfiniteQuery } from "@tanstack/react-query";
import type { AuditEntry, AuditLogQuery, AuditPage } from "../../../shared/schemas/audit.ts";
import { apiRequest } from "../../api/client.ts";
import type { Collection } from "../../api/records.ts";
import type { Wire } from "../../api/wire.ts";

export type AuditRow = Wire<AuditEntry>;
type AuditRowPage = Wire<AuditPage>;

/** The record collections with a change history (`GET /<collection>/:id/history`). */
export type HistoryCollection = Extract<
  Collection,
  "contacts" | "companies" | "leads" | "deals" | "activities" | "tasks"
>;

/** The audit log's filters as the API takes them, without the paging. */
export type AuditFilters = Omit<Wire<AuditLogQuery>, "limit" | "cursor">;

const pageSize = 50;

/**
 * The workspace's audit log (admins), newest first, a page at a time by the API's cursor.
 * `isEnabled` false asks nothing: a role that may not read it, or filters that are not valid yet.
 */
export function useAuditLog(filters: AuditFilters, isEnabled = true) {
  return useInfiniteQuery({
    enabled: isEnabled,
    queryKey: ["audit-logs", filters],
    queryFn: ({ pageParam, signal }) =>
      apiRequest<AuditRowPage>("/audit-logs", { query: { ...filters, limit: pageSize, cursor: pageParam }, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
}

/**
 * One record's change history, newest first. The key starts with the collection, so the changes
 * a page saves (which invalidate the collection) bring the history up to date as well.
 */
export function useRecordHistory(collection: HistoryCollection, id: string, isEnabled = true, limit = 20) {
  return useInfiniteQuery({
    enabled: isEnabled,
    queryKey: [collection, "history", id, limit],
    queryFn: ({ pageParam, signal }) =>
      apiRequest<AuditRowPage>(`/${collection}/${id}/history`, { query: { limit, cursor: pageParam }, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
}
