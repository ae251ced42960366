import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import { ApiProblem } from "../../api/client.ts";
import { Button } from "../../components/Button.tsx";
import { ImportProgressBar } from "./ImportProgressBar.tsx";
import { errorsCsvUrl, useCancelImport, useImportErrors, type ImportRow } from "./imports.api.ts";

/** Errors the report lists; all of them are in errors.csv. */
const shownErrors = 10;

/**
 * The dry run of an import being set up: while its job checks the rows, their progress (rows,
 * rows/s, time left) and a cancel; then what the import would do, the first errors and errors.csv;
 * or why the dry run stopped. Nothing while no dry run ran on the mapping shown (`isStale`: it was
 * changed here since).
 */
export function DryRunCheck({ row, isStale }: { row: ImportRow; isStale: boolean }) {
  const { t } = useTranslation();
  const cancel = useCancelImport();
  const report = row.status === "uploaded" && !isStale ? row.dryRun : null;
  const errors = useImportErrors(row, shownErrors, report !== null && report.failed > 0);
  if (row.status === "validating") {
    return (
      <div className="flex flex-col gap-2 rounded border border-slate-200 p-3 dark:border-slate-700">
        <p className="font-medium">{t("imports.dryRun.validating")}</p>
        <ImportProgressBar row={row} label={t("imports.dryRun.progressLabel")} />
        <div>
          <Button
            size="sm"
            disabled={cancel.isPending}
            onClick={() =>
              cancel.mutate(row.id, {
                onError: (error) => toast.error(error instanceof ApiProblem ? error.message : t("imports.failed")),
              })
            }
          >
            {t("imports.dryRun.cancel")}
          </Button>
        </div>
      </div>
    );
  }
  if (row.status === "uploaded" && !isStale && row.errorSummary) {
    return <p role="alert">{row.errorSummary}</p>;
  }
  if (!report) return null;
  return (
    <div role="status" className="rounded border border-slate-200 p-3 dark:border-slate-700">
      <p>
        {t("imports.dryRun.summary", {
          created: report.wouldCreate,
          updated: report.wouldUpdate,
          skipped: report.wouldSkip,
        })}{" "}
        {t("imports.dryRun.errorRows", { count: report.failed })}
      </p>
      {report.failed > 0 && (
        <>
          <ul className="mt-2 list-disc pl-5 text-sm">
            {(errors.data?.data ?? []).map((e) => (
              <li key={`${e.line}-${e.column}-${e.message}`}>
                {e.column
                  ? t("imports.dryRun.lineColumnError", { line: e.line, column: e.column, message: e.message })
                  : t("imports.dryRun.lineError", { line: e.line, message: e.message })}
              </li>
            ))}
          </ul>
          <a className="text-accent-700 underline" href={errorsCsvUrl(row.id)} download>
            {t("imports.dryRun.downloadErrors")}
          </a>
        </>
      )}
    </div>
  );
}
