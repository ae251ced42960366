import { useRecordCount, type Collection, type ListFilter } from "../../api/records.ts";
import { countLabel, type RecordNoun } from "./list-count.ts";

type ListCountProps = { collection: Collection; q: string; filters: ListFilter[]; noun: RecordNoun };

/**
 * How many records the list's search and filters match, announced politely when it changes. Counts
 * past 10,000 are the server's estimate and say "about".
 */
export function ListCount({ collection, q, filters, noun }: ListCountProps) {
  const count = useRecordCount(collection, { q, filters });
  return (
    <p role="status" className="ml-auto text-sm whitespace-nowrap text-slate-600 dark:text-slate-300">
      {count.data ? countLabel(count.data, noun) : ""}
    </p>
  );
}
