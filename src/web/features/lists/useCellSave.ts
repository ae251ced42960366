import { useQueryClient } from "@tanstack/react-query";
import { ApiProblem } from "../../api/client.ts";
import { invalidateCollection, useUpdateRecord, type Collection } from "../../api/records.ts";
import { t } from "../../i18n/i18n.ts";

/**
 * Saves a cell edited in a list, with If-Match on the version of the row as the user saw it, like
 * the record pages. When someone else changed the record meanwhile (412) the list reloads their
 * version and the error says so; the cell keeps the user's draft, and saving again applies it.
 */
export function useCellSave(collection: Collection, noun: string) {
  const client = useQueryClient();
  const update = useUpdateRecord(collection);
  return async (row: { id: string; version: number }, changes: Record<string, unknown>) => {
    try {
      return await update.mutateAsync({ id: row.id, version: row.version, changes });
    } catch (error) {
      if (error instanceof ApiProblem && error.isStale) {
        await invalidateCollection(client, collection);
        throw new Error(t("lists.cellSave.stale", { noun }), { cause: error });
      }
      if (error instanceof ApiProblem)
        throw new Error(error.fieldErrors[0]?.message ?? error.message, { cause: error });
      throw error;
    }
  };
}
