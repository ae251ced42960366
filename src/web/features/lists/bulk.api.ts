import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiRequest } from "../../api/client.ts";
import { invalidateCollection, type Collection } from "../../api/records.ts";

export type BulkAction = { action: "delete" | "restore" } | { action: "assign"; ownerId: string | null };

/** One request, all or nothing, for a selection of up to 500 records. */
export function useBulkAction(collection: Collection) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ ids, ...action }: BulkAction & { ids: string[] }) =>
      apiRequest<{ updated: number; ids: string[] }>(`/${collection}/bulk`, {
        method: "POST",
        body: { ...action, ids },
      }),
    onSuccess: () => invalidateCollection(client, collection),
  });
}
