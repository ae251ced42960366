import { useQueryClient } from "@tanstack/react-query";
import { ApiProblem } from "../../api/client.ts";
import { recordKeys, resourceOf, useUpdateRecord, type Collection } from "../../api/records.ts";
import { t } from "../../i18n/i18n.ts";

/**
 * Saves changes to the record a page shows (its lists and the record itself then reload), with If-Match on the version shown. When someone else
 * changed it meanwhile (412), the page reloads their version and the error says to save again, so
 * the next attempt is based on what the user now sees instead of failing the same way. The error
 * names the kind of record by `collection`, in the interface's language.
 */
export function useRecordSave<T, Changes = Record<string, unknown>>(collection: Collection) {
  const client = useQueryClient();
  const update = useUpdateRecord<T, Changes>(collection);
  return async (record: { id: string; version: number }, changes: Changes): Promise<T> => {
    try {
      return await update.mutateAsync({ id: record.id, version: record.version, changes });
    } catch (error) {
      if (error instanceof ApiProblem && error.isStale) {
        await client.invalidateQueries({ queryKey: recordKeys.one(collection, record.id) });
        // The sentence per kind of record (i18next's context), so German says "diesen Kontakt", "diese Firma".
        throw new Error(t("records.save.stale", { context: resourceOf[collection] }), { cause: error });
      }
      throw error;
    }
  };
}
