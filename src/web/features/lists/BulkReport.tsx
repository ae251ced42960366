import { useTranslation } from "react-i18next";
import { Button } from "../../components/Button.tsx";
import { t } from "../../i18n/i18n.ts";
import { formatNumber } from "../../lib/format.ts";
import type { BulkOperation, BulkUndone } from "./bulk.api.ts";

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
  const { t } = useTranslation();
  const isRunning = operation.status === "queued" || operation.status === "running";
  const percent = operation.matched > 0 ? Math.round((operation.done / operation.matched) * 100) : 0;
  return (
    <section
      aria-label={t("lists.bulkReport.label")}
      className="border-b border-slate-200 bg-white px-4 py-2 text-sm dark:border-slate-800 dark:bg-slate-900"
    >
      {isRunning ? (
        <div className="flex items-center gap-3">
          <label htmlFor={`bulk-progress-${operation.operationId}`}>
            {operation.status === "queued"
              ? t("lists.bulkReport.waiting")
              : t("lists.bulkReport.working", { done: operation.done, total: operation.matched })}
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
            {t("lists.bulkReport.dismiss")}
          </Button>
        </div>
      )}
      {operation.refusedCount > 0 && (
        <div className="mt-2">
          <h2 className="font-medium">
            {t("lists.bulkReport.refused", {
              count: operation.refusedCount,
              number: formatNumber(operation.refusedCount),
            })}
            {operation.refusedCount > operation.refused.length
              ? t("lists.bulkReport.firstShown", { number: formatNumber(operation.refused.length) })
              : ""}
          </h2>
          <ul aria-label={t("lists.bulkReport.refusedList")} className="mt-1 max-h-40 list-disc overflow-y-auto pl-5">
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
  const updated = { count: operation.updated, number: formatNumber(operation.updated) };
  if (operation.status === "failed") return t("lists.bulkReport.stopped", { ...updated, error: operation.error ?? "" });
  if (operation.status === "undone") return t("lists.bulkReport.undone");
  return t("lists.bulkReport.changed", { ...updated, total: formatNumber(operation.matched) });
}

/** What an undo put back, and what it left because someone changed it since. */
export function undoneMessage(undone: BulkUndone): string {
  return undone.refusedCount > 0
    ? t("lists.bulk.undoneWithRefusals", {
        number: formatNumber(undone.reverted),
        refused: formatNumber(undone.refusedCount),
      })
    : t("lists.bulk.undone", { number: formatNumber(undone.reverted) });
}
