import { useTranslation } from "react-i18next";
import { t } from "../../i18n/i18n.ts";
import type { ImportRow } from "./imports.api.ts";

const percentOf = (row: ImportRow) =>
  row.rowsTotal > 0 ? Math.min(100, Math.round((row.rowsDone / row.rowsTotal) * 100)) : 0;

function etaText(eta: string | null): string {
  if (!eta) return "";
  const seconds = Math.max(0, Math.round((new Date(eta).getTime() - Date.now()) / 1000));
  return seconds < 60
    ? t("imports.progress.secondsLeft", { seconds })
    : t("imports.progress.minutesLeft", { minutes: Math.round(seconds / 60) });
}

/**
 * How far an import's run, or its dry run, has come: a bar, the rows done of all, and while it
 * works its rate and the time left (the server's `rowsPerSecond` and `eta`).
 */
export function ImportProgressBar({ row, label }: { row: ImportRow; label: string }) {
  const { t } = useTranslation();
  const isWorking = row.status === "running" || row.status === "validating";
  return (
    <>
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percentOf(row)}
        className="h-3 w-full overflow-hidden rounded bg-slate-200 dark:bg-slate-800"
      >
        <div className="bg-accent-600 h-full" style={{ width: `${percentOf(row)}%` }} />
      </div>
      <p aria-live="polite">
        {t("imports.progress.rows", { done: row.rowsDone.toLocaleString(), total: row.rowsTotal.toLocaleString() })}
        {isWorking && row.rowsPerSecond !== null
          ? ` · ${t("imports.progress.rate", { rate: Math.round(row.rowsPerSecond) })} · ${etaText(row.eta)}`
          : ""}
      </p>
    </>
  );
}
