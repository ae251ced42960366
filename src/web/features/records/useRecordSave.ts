import { useQueryClient } from "@tanstack/react-query";
import { ApiProblem } from "../../api/client.ts";
import { recordKeys, useUpdateRecord, type Collection } from "../../api/records.ts";

/**
 * Saves changes to the record a page shows (its lists and the record itself then reload), with If-Match on the version shown. When someone else
 * changed it meanwhile (412), the page reloads their version and the error says to save again, so
 * the next attempt is based on what the user now sees instead of failing the same way.
 */
export function useRecordSave<T, Changes = Record<string, unknown>>(collection: Collection, noun: string) {
  const client = useQueryClient();
  const update = useUpdateRecord<T, Changes>(collection);
  return async (record: { id: string; version: number }, changes: Changes): Promise<T> => {
    try {
      return await update.mutateAsync({ id: record.id, version: record.version, changes });
    } catch (error) {
      if (error instanceof ApiProblem && error.isStale) {
        await client.invalidateQueries({ queryKey: recordKeys.one(collection, record.id) });
        throw new Error(
          `Someone else changed this ${noun} meanwhile. The page now shows their version; save again to apply yours.`,
          { cause: error },
        );
      }
      throw error;
    }
  };
}
