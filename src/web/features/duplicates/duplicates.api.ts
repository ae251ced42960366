import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { z } from "zod";
import { CreateCompanySchema } from "../../../shared/schemas/company.ts";
import { CreateContactSchema } from "../../../shared/schemas/contact.ts";
import {
  CompanyDuplicateCheckQuerySchema,
  ContactDuplicateCheckQuerySchema,
  type DuplicateGroupPage,
  type MergeRequest,
  type MergeUndoResult,
  type PossibleDuplicates,
} from "../../../shared/schemas/merge.ts";
import { apiRequest } from "../../api/client.ts";
import { invalidateCollection } from "../../api/records.ts";
import type { Wire } from "../../api/wire.ts";

/** The record types duplicates are looked for in. */
export type DuplicateCollection = "contacts" | "companies";

export type DuplicateGroupRow = Wire<DuplicateGroupPage>["data"][number];
export type PossibleDuplicateRow = Wire<PossibleDuplicates>["data"][number];

/** Keys start with the collection, so its live events and invalidations refresh them too. */
const groupsKey = (collection: DuplicateCollection) => [collection, "duplicates"] as const;

/**
 * The groups of likely duplicates, page by page. A page may come back with no group while there
 * are more (the server reads similar names a bounded window at a time): the page asks for more.
 */
export function useDuplicateGroups(collection: DuplicateCollection, pageSize = 25) {
  return useInfiniteQuery({
    queryKey: [...groupsKey(collection), pageSize],
    queryFn: ({ pageParam, signal }) =>
      apiRequest<Wire<DuplicateGroupPage>>(`/${collection}/duplicates`, {
        query: { limit: pageSize, cursor: pageParam },
        signal,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
}

export type MergeAnswer = { mergeId: string; mergedIds: string[]; survivor: { id: string } };

/** Merges records into a survivor; everything the collection shows is read again after. */
export function useMerge(collection: DuplicateCollection) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (request: MergeRequest) =>
      apiRequest<MergeAnswer>(`/${collection}/merge`, { method: "POST", body: request }),
    onSettled: () => refreshAfterMerge(client, collection),
  });
}

/** Undoes a merge (the toast's Undo). */
export async function undoMerge(
  client: ReturnType<typeof useQueryClient>,
  collection: DuplicateCollection,
  mergeId: string,
): Promise<MergeUndoResult> {
  try {
    return await apiRequest<MergeUndoResult>(`/merges/${mergeId}/undo`, { method: "POST" });
  } finally {
    await refreshAfterMerge(client, collection);
  }
}

/** A merge moves activities, tasks, deals and leads too: every list that may show them is stale. */
function refreshAfterMerge(client: ReturnType<typeof useQueryClient>, collection: DuplicateCollection) {
  return Promise.all(
    ([collection, "activities", "tasks", "deals", "leads", "contacts"] as const).map((c) =>
      invalidateCollection(client, c),
    ),
  );
}

type FieldSchemas = Record<string, z.ZodType | undefined>;

/** Per collection: the create form's schema of each field, and the duplicate check's own limits. */
const draftSchemas: Record<DuplicateCollection, [form: FieldSchemas, check: FieldSchemas]> = {
  contacts: [CreateContactSchema.shape, ContactDuplicateCheckQuerySchema.shape],
  companies: [CreateCompanySchema.shape, CompanyDuplicateCheckQuerySchema.shape],
};

/**
 * The fields of a draft worth checking: filled in and valid as the form validates them (a name of
 * 101 characters, an e-mail still being typed, `foo@`, are not), and within the check's limits; the
 * server would refuse the others (400). Trimmed, as the form sends them.
 */
export function checkableDraft(
  collection: DuplicateCollection,
  draft: Record<string, string | undefined>,
): Record<string, string> {
  const [form, check] = draftSchemas[collection];
  const fields = Object.entries(draft).flatMap(([field, value]) => {
    const text = value?.trim() ?? "";
    const isValid = (schemas: FieldSchemas) => schemas[field]?.safeParse(text).success === true;
    return text && isValid(form) && isValid(check) ? [[field, text] as const] : [];
  });
  return Object.fromEntries(fields);
}

/** Live records the draft of a form would likely duplicate (asked once the draft has a valid field to go by). */
export function usePossibleDuplicates(
  collection: DuplicateCollection,
  draft: Record<string, string | undefined>,
  excludeId?: string,
) {
  const query = checkableDraft(collection, draft);
  const isEnabled = Object.keys(query).length > 0;
  return useQuery({
    enabled: isEnabled,
    queryKey: [collection, "possible-duplicates", query, excludeId],
    queryFn: ({ signal }) =>
      apiRequest<Wire<PossibleDuplicates>>(`/${collection}/possible-duplicates`, {
        query: { ...query, excludeId },
        signal,
      }),
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
}
