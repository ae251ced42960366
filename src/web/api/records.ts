import {
  keepPreviousData,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
  type QueryClient,
} from "@tanstack/react-query";
import type { Resource } from "../../shared/permissions.ts";
import type { Count } from "../../shared/schemas/common.ts";
import { dismissUndoOfDelete } from "../lib/undo.ts";
import { apiRequest } from "./client.ts";

/** The API's record collections, by their path. */
export type Collection = "contacts" | "companies" | "leads" | "deals" | "activities" | "tasks" | "pipelines" | "users";

/** The permission resource of each collection (the shared permissions table speaks in singular). */
export const resourceOf: Record<Collection, Resource> = {
  contacts: "contact",
  companies: "company",
  leads: "lead",
  deals: "deal",
  activities: "activity",
  tasks: "task",
  pipelines: "pipeline",
  users: "user",
};

export type Page<T> = { data: T[]; nextCursor: string | null };

/** One list filter, as the API takes it: `filter[field][op]=value`. */
export type ListFilter = { field: string; op: string; value: string };

export type ListParams = {
  sort?: string | undefined;
  q?: string | undefined;
  filters?: ListFilter[] | undefined;
  include?: string | undefined;
  limit?: number | undefined;
};

/** The query string of a list request. */
export function listQuery(params: ListParams, cursor?: string): Record<string, string | number | undefined> {
  const query: Record<string, string | number | undefined> = {
    limit: params.limit ?? 50,
    sort: params.sort,
    q: params.q?.trim() || undefined,
    include: params.include,
    cursor,
  };
  for (const filter of params.filters ?? []) query[filterParameter(filter)] = filter.value;
  return query;
}

/** A filter's query parameter: `filter[field][op]`, and `filter[deleted]` (true: the trash), which takes no operator. */
export function filterParameter(filter: ListFilter): string {
  return filter.field === "deleted" ? "filter[deleted]" : `filter[${filter.field}][${filter.op}]`;
}

export const recordKeys = {
  all: (collection: Collection) => [collection] as const,
  list: (collection: Collection, params: ListParams) => [collection, "list", params] as const,
  count: (collection: Collection, params: ListParams) => [collection, "count", params] as const,
  one: (collection: Collection, id: string) => [collection, "one", id] as const,
};

/**
 * Pages through a collection with the API's keyset cursor, as the list is scrolled. With
 * `keepPrevious`, a new search or filter keeps the rows shown (`isPlaceholderData`) until its own
 * arrive, instead of blanking the list.
 */
export function useRecordPages<T>(
  collection: Collection,
  params: ListParams,
  options: { enabled?: boolean; keepPrevious?: boolean } = {},
) {
  return useInfiniteQuery({
    queryKey: recordKeys.list(collection, params),
    queryFn: ({ pageParam, signal }) =>
      apiRequest<Page<T>>(`/${collection}`, { query: listQuery(params, pageParam), signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    enabled: options.enabled ?? true,
    placeholderData: options.keepPrevious ? keepPreviousData : undefined,
  });
}

/** The first page only: for related lists on record pages and pickers. */
export function useRecordList<T>(collection: Collection, params: ListParams, options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: [...recordKeys.list(collection, params), "first"],
    queryFn: ({ signal }) => apiRequest<Page<T>>(`/${collection}`, { query: listQuery(params), signal }),
    enabled: options.enabled ?? true,
  });
}

/** Records read page after page, and whether that was all of them. */
export type Batch<T> = { data: T[]; isComplete: boolean };

/**
 * Every record a list's search and filters match, following the keyset cursor (pages of up to 200,
 * the API's largest) until the last page, or until `maxRecords` are read (`isComplete` false).
 * For views that need a whole range at once, such as a month of tasks.
 */
export async function listUpTo<T>(
  collection: Collection,
  params: ListParams,
  maxRecords: number,
  signal?: AbortSignal,
): Promise<Batch<T>> {
  const data: T[] = [];
  let cursor: string | undefined;
  while (data.length < maxRecords) {
    const limit = Math.min(200, maxRecords - data.length);
    const page = await apiRequest<Page<T>>(`/${collection}`, {
      query: listQuery({ ...params, limit }, cursor),
      signal,
    });
    data.push(...page.data);
    if (!page.nextCursor) return { data, isComplete: true };
    cursor = page.nextCursor;
  }
  return { data, isComplete: false };
}

/** How many records a list's search and filters match: exact up to 10,000, else an estimate (`isEstimate`). */
export function useRecordCount(collection: Collection, params: ListParams) {
  return useQuery({
    queryKey: recordKeys.count(collection, params),
    queryFn: ({ signal }) => {
      // Counts take the list's search and filters, not its paging.
      const query = listQuery({ q: params.q, filters: params.filters });
      delete query.limit;
      return apiRequest<Count>(`/${collection}/count`, { query, signal });
    },
  });
}

export function useRecord<T>(collection: Collection, id: string, include?: string) {
  return useQuery({
    queryKey: [...recordKeys.one(collection, id), include ?? ""],
    queryFn: ({ signal }) => apiRequest<T>(`/${collection}/${id}`, { query: { include }, signal }),
  });
}

/** After a change: lists, counts and the dashboard of this collection are stale. */
export async function invalidateCollection(client: QueryClient, collection: Collection): Promise<void> {
  await Promise.all([
    client.invalidateQueries({ queryKey: recordKeys.all(collection) }),
    client.invalidateQueries({ queryKey: ["dashboard"] }),
  ]);
}

export function useCreateRecord<T, Input = unknown>(collection: Collection) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: Input) => apiRequest<T>(`/${collection}`, { method: "POST", body: input }),
    onSuccess: () => invalidateCollection(client, collection),
  });
}

export type RecordChange<Input> = { id: string; version: number; changes: Input };

/** Updates a record with If-Match: a change made meanwhile by someone else answers 412. */
export function useUpdateRecord<T, Input = unknown>(collection: Collection) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, version, changes }: RecordChange<Input>) =>
      apiRequest<T>(`/${collection}/${id}`, { method: "PATCH", body: changes, ifMatch: version }),
    onSuccess: () => invalidateCollection(client, collection),
  });
}

export function useDeleteRecord(collection: Collection) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiRequest<unknown>(`/${collection}/${id}`, { method: "DELETE" }),
    onSuccess: () => invalidateCollection(client, collection),
  });
}

export function useRestoreRecord(collection: Collection) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiRequest<unknown>(`/${collection}/${id}/restore`, { method: "POST" }),
    onSuccess: (_restored, id) => {
      // Restored another way than by its delete's Undo: that Undo has nothing left to do.
      dismissUndoOfDelete(id);
      return invalidateCollection(client, collection);
    },
  });
}
