import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiRequest } from "../../api/client.ts";
import type { Collection, ListFilter, Page } from "../../api/records.ts";
import type { ColumnWidths } from "../../components/data-table/column-widths.ts";

/** A saved list: its filters, sort, search, columns and their widths, private to its owner or shared. */
export type SavedView = {
  id: string;
  name: string;
  resource: Collection;
  visibility: "private" | "shared";
  ownerId: string;
  filters: ListFilter[];
  sort: string | null;
  columns: string[];
  q: string | null;
  /** Widths in pixels by column key; empty when the view was saved without any. */
  columnWidths: ColumnWidths;
  version: number;
};

export type SavedViewInput = Pick<
  SavedView,
  "name" | "resource" | "visibility" | "filters" | "columns" | "columnWidths"
> & {
  sort: string | null;
  q: string | null;
};

const viewKeys = { of: (resource: Collection) => ["views", resource] as const };

export function useSavedViews(resource: Collection) {
  return useQuery({
    queryKey: viewKeys.of(resource),
    queryFn: ({ signal }) =>
      apiRequest<Page<SavedView>>("/views", { query: { resource, limit: 200, sort: "name" }, signal }),
    select: (page) => page.data,
  });
}

export function useCreateView(resource: Collection) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: SavedViewInput) => apiRequest<SavedView>("/views", { method: "POST", body: input }),
    onSuccess: () => client.invalidateQueries({ queryKey: viewKeys.of(resource) }),
  });
}

export function useUpdateView(resource: Collection) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ view, changes }: { view: SavedView; changes: Partial<SavedViewInput> }) =>
      apiRequest<SavedView>(`/views/${view.id}`, { method: "PATCH", body: changes, ifMatch: view.version }),
    onSuccess: () => client.invalidateQueries({ queryKey: viewKeys.of(resource) }),
  });
}

export function useDeleteView(resource: Collection) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (view: SavedView) => apiRequest<void>(`/views/${view.id}`, { method: "DELETE" }),
    onSuccess: () => client.invalidateQueries({ queryKey: viewKeys.of(resource) }),
  });
}
