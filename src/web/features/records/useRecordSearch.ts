import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { apiRequest } from "../../api/client.ts";
import { listQuery, recordKeys, type Page } from "../../api/records.ts";
import type { ComboboxOption } from "../../components/Combobox.tsx";
import { useDebounced } from "../../lib/use-debounced.ts";
import { contactName } from "../contacts/contacts.columns.tsx";
import { useOwnerCandidates } from "../users/users.api.ts";

/** The kinds of record a picker chooses from: `users` are the members who may own records. */
export type PickerCollection = "companies" | "contacts" | "deals" | "users";

type Row = { id: string; [field: string]: unknown };
type Source = { sort?: string; optionOf: (row: Row) => ComboboxOption };

const text = (value: unknown) => (typeof value === "string" ? value : "");

/** How each collection is searched (the list's `q`, in an indexed sort) and shown. */
const sources: Record<Exclude<PickerCollection, "users">, Source> = {
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
  // Deals cannot be sorted by name at scale (no index): matches come newest first.
  deals: { optionOf: (row) => ({ value: row.id, label: text(row.name) }) },
};

/** Options shown at once: the first keyset page of the matches. */
export const pickerPageSize = 20;

/** The words of a name or e-mail, lower-cased: a member matches when every typed word starts one. */
function matchesWords(term: string, ...fields: string[]): boolean {
  const words = fields.flatMap((field) => field.toLowerCase().split(/[\s@.,_-]+/));
  return term
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every(
      (typed) => words.some((word) => word.startsWith(typed)) || fields.some((f) => f.toLowerCase().startsWith(typed)),
    );
}

/**
 * The options of a picker for the text typed: asked of the server once typing pauses (250 ms),
 * the first page only. While a newer search is on its way the previous options stay, marked loading.
 */
export function useRecordSearch(collection: PickerCollection, typed: string, isOpen: boolean) {
  const term = useDebounced(typed.trim());
  const isTyping = term !== typed.trim();
  const source = collection === "users" ? null : sources[collection];
  const params = { q: term || undefined, sort: source?.sort, limit: pickerPageSize };
  const records = useQuery({
    queryKey: [...recordKeys.list(collection, params), "picker"],
    queryFn: ({ signal }) => apiRequest<Page<Row>>(`/${collection}`, { query: listQuery(params), signal }),
    // Nothing is asked while typing goes on: only the text it pauses at.
    enabled: isOpen && source !== null && !isTyping,
    placeholderData: keepPreviousData,
  });
  const owners = useOwnerCandidates({ enabled: isOpen && source === null });

  if (!source) {
    // Members are filtered here, at once: no request per key.
    const matches = (owners.data ?? [])
      .filter((member) => matchesWords(typed.trim(), member.name, member.email))
      .map((member) => ({ value: member.id, label: member.name, detail: member.email }));
    return { options: matches, isLoading: owners.isPending, hasMore: false };
  }
  return {
    options: (records.data?.data ?? []).map(source.optionOf),
    isLoading: records.isPending || records.isPlaceholderData || isTyping,
    hasMore: Boolean(records.data?.nextCursor),
  };
}

/**
 * The name of the chosen record when the caller does not know it (a form opened on an id): read
 * by id, so a record far past any first page still shows by name.
 */
export function useRecordLabel(collection: PickerCollection, id: string, isKnown: boolean) {
  const source = collection === "users" ? null : sources[collection];
  const query = useQuery({
    // The record page's key (no includes), so an open record page shares the answer.
    queryKey: [...recordKeys.one(collection, id), ""],
    queryFn: ({ signal }) => apiRequest<Row>(`/${collection}/${id}`, { signal }),
    enabled: Boolean(id) && !isKnown,
    staleTime: 60_000,
  });
  if (!query.data) return null;
  return source ? source.optionOf(query.data).label : text(query.data.name);
}
