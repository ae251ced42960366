import { Button } from "../../components/Button.tsx";
import type { BulkOperation } from "./bulk.api.ts";

type BulkReportProps = {
  operation: BulkOperation;
  /** The records' names by id, for the rows the list has loaded. */
  nameOf?: (id: string) => string | undefined;
  onDismiss: () => void;
};

/**
 * Where a bulk operation stands: a progress bar while it runs, then what changed and, one by one,
 * the records left as they were with the reason (records of someone else, rules they break).
 */
export function BulkReport({ operation, nameOf, onDismiss }: BulkReportProps) {
  const isRunning = operation.status === "queued" || operation.status === "running";
  const percent = operation.matched > 0 ? Math.round((operation.done / operation.matched) * 100) : 0;
  return (
    <section
      aria-label="Bulk action result"
      className="border-b border-slate-200 bg-white px-4 py-2 text-sm dark:border-slate-800 dark:bg-slate-900"
    >
      {isRunning ? (
        <div className="flex items-center gap-3">
          <label htmlFor={`bulk-progress-${operation.operationId}`}>
            {operation.status === "queued" ? "Waiting to start…" : `Working: ${operation.done} of ${operation.matched}`}
          </label>
          <progress
            id={`bulk-progress-${operation.operationId}`}
            className="h-2 w-64"
            max={100}
            value={percent}
            aria-valuetext={`${percent}%`}
          />
        </div>
      ) : (
        <div className="flex flex-wrap items-center gap-3">
          <p role="status">{summary(operation)}</p>
          <Button size="sm" variant="ghost" onClick={onDismiss}>
            Dismiss
          </Button>
        </div>
      )}
      {operation.refusedCount > 0 && (
        <div className="mt-2">
          <h2 className="font-medium">
            {operation.refusedCount} {operation.refusedCount === 1 ? "record was" : "records were"} left unchanged
            {operation.refusedCount > operation.refused.length ? ` (first ${operation.refused.length} shown)` : ""}
          </h2>
          <ul aria-label="Records left unchanged" className="mt-1 max-h-40 list-disc overflow-y-auto pl-5">
            {operation.refused.map((refusal) => (
              <li key={refusal.id}>
                <span className="font-medium">{nameOf?.(refusal.id) ?? refusal.id}</span>: {refusal.message}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}

function summary(operation: BulkOperation): string {
  const records = (n: number) => `${n.toLocaleString()} ${n === 1 ? "record" : "records"}`;
  if (operation.status === "failed")
    return `Stopped after changing ${records(operation.updated)}: ${operation.error ?? ""}`;
  if (operation.status === "undone") return `Undone.`;
  return `Changed ${records(operation.updated)} of ${operation.matched.toLocaleString()}.`;
}
