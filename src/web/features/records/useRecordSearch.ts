import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { apiRequest } from "../../api/client.ts";
import { listQuery, recordKeys, type ListFilter, type Page } from "../../api/records.ts";
import type { ComboboxOption } from "../../components/Combobox.tsx";
import { useDebounced } from "../../lib/use-debounced.ts";
import { contactName } from "../contacts/contacts.columns.tsx";
import { ownerRoles } from "../users/users.api.ts";

/** The kinds of record a picker chooses from: `users` are the members who may own records. */
export type PickerCollection = "companies" | "contacts" | "deals" | "leads" | "users";

type Row = { id: string; [field: string]: unknown };
type Source = { sort?: string; filters?: ListFilter[]; optionOf: (row: Row) => ComboboxOption };

const text = (value: unknown) => (typeof value === "string" ? value : "");

/** How each collection is searched (the list's `q`, in an indexed sort) and shown. */
const sources: Record<PickerCollection, Source> = {
  companies: {
    sort: "name",
    optionOf: (row) => ({ value: row.id, label: text(row.name), detail: text(row.domain) || undefined }),
  },
  contacts: {
    sort: "lastName",
    optionOf: (row) => {
      const name = contactName({ firstName: text(row.firstName), lastName: text(row.lastName) });
      return { value: row.id, label: name || text(row.email) || row.id, detail: name ? text(row.email) : undefined };
    },
  },
  // Matches come newest first: the search ranks, and the newest deals are the likeliest picks.
  deals: { optionOf: (row) => ({ value: row.id, label: text(row.name) }) },
  leads: { sort: "title", optionOf: (row) => ({ value: row.id, label: text(row.title) }) },
  // Owners: active members of the roles that may own records, found by name or e-mail.
  users: {
    filters: [
      { field: "role", op: "in", value: ownerRoles.join(",") },
      { field: "active", op: "eq", value: "true" },
    ],
    optionOf: (row) => ({ value: row.id, label: text(row.name), detail: text(row.email) || undefined }),
  },
};

/** Options shown at once: the first keyset page of the matches. */
const pickerPageSize = 20;

/**
 * The options of a picker for the text typed: asked of the server once typing pauses (250 ms),
 * the first page only. While a newer search is on its way the previous options stay, marked loading.
 */
export function useRecordSearch(collection: PickerCollection, typed: string, isOpen: boolean) {
  const term = useDebounced(typed.trim());
  const isTyping = term !== typed.trim();
  const source = sources[collection];
  const params = { q: term || undefined, sort: source.sort, filters: source.filters, limit: pickerPageSize };
  const records = useQuery({
    queryKey: [...recordKeys.list(collection, params), "picker"],
    queryFn: ({ signal }) => apiRequest<Page<Row>>(`/${collection}`, { query: listQuery(params), signal }),
    // Nothing is asked while typing goes on: only the text it pauses at.
    enabled: isOpen && !isTyping,
    placeholderData: keepPreviousData,
  });
  const options = (records.data?.data ?? []).map(source.optionOf);
  return {
    // Members come in joining order: shown by name.
    options: collection === "users" ? options.sort((a, b) => a.label.localeCompare(b.label)) : options,
    isLoading: records.isPending || records.isPlaceholderData || isTyping,
    hasMore: Boolean(records.data?.nextCursor),
  };
}

/**
 * The name of the chosen record when the caller does not know it (a form opened on an id): read
 * by id, so a record far past any first page still shows by name.
 */
export function useRecordLabel(collection: PickerCollection, id: string, isKnown: boolean) {
  const source = sources[collection];
  const query = useQuery({
    // The record page's key (no includes), so an open record page shares the answer.
    queryKey: [...recordKeys.one(collection, id), ""],
    queryFn: ({ signal }) => apiRequest<Row>(`/${collection}/${id}`, { signal }),
    enabled: Boolean(id) && !isKnown,
    staleTime: 60_000,
  });
  if (!query.data) return null;
  return source.optionOf(query.data).label;
}
