import { useState } from "react";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import { Button } from "../../components/Button.tsx";
import { ConfirmDialog } from "../../components/ConfirmDialog.tsx";
import { ApiProblem } from "../../api/client.ts";
import { t } from "../../i18n/i18n.ts";
import { labelOf } from "../../lib/format.ts";
import { ImportProgressBar } from "./ImportProgressBar.tsx";
import { errorsCsvUrl, useCancelImport, useUndoImport, type ImportRow } from "./imports.api.ts";

/** What undoing an import will do, from its counts: records to the trash, records given their values back. */
function undoText(row: ImportRow): string {
  if (row.created === 0 && row.updated === 0) return t("imports.progress.undoConfirm.nothing");
  return [
    row.created > 0 ? t("imports.progress.undoConfirm.created", { count: row.created }) : "",
    row.updated > 0 ? t("imports.progress.undoConfirm.updated", { count: row.updated }) : "",
  ]
    .filter(Boolean)
    .join(" ");
}

/** A running import's progress (polled), then its result: counts, the errors file and undo (each asked first). */
export function ImportProgress({ row, canUndo }: { row: ImportRow; canUndo: boolean }) {
  const { t } = useTranslation();
  const cancel = useCancelImport();
  const undo = useUndoImport();
  const [confirming, setConfirming] = useState<"cancel" | "undo" | null>(null);
  const close = () => setConfirming(null);
  const failOnProblem = (error: unknown) => {
    close();
    toast.error(error instanceof ApiProblem ? error.message : t("imports.failed"));
  };
  const isRunning = row.status === "running";
  const isUndoable = canUndo && ["completed", "cancelled", "failed"].includes(row.status);
  return (
    <section aria-labelledby="import-progress" className="flex flex-col gap-3">
      <h2 id="import-progress" className="text-lg font-semibold">
        {t("imports.progress.heading", { file: row.fileName, status: labelOf(row.status).toLowerCase() })}
      </h2>
      <ImportProgressBar row={row} label={t("imports.progress.label")} />
      <dl className="grid grid-cols-4 gap-2 text-sm">
        {(
          [
            ["created", t("imports.progress.created")],
            ["updated", t("imports.progress.updated")],
            ["skipped", t("imports.progress.skipped")],
            ["failed", t("imports.progress.failedCount")],
          ] as const
        ).map(([key, label]) => (
          <div key={key}>
            <dt className="text-slate-600 capitalize dark:text-slate-400">{label}</dt>
            <dd className="font-semibold">{row[key].toLocaleString()}</dd>
          </div>
        ))}
      </dl>
      {row.errorSummary && <p className="text-red-700 dark:text-red-400">{row.errorSummary}</p>}
      <div className="flex flex-wrap gap-2">
        {isRunning && (
          <Button onClick={() => setConfirming("cancel")} disabled={cancel.isPending}>
            {t("imports.progress.cancel")}
          </Button>
        )}
        {row.failed > 0 && (
          <a
            className="rounded-md border border-slate-300 px-3 py-1.5 font-medium dark:border-slate-600"
            href={errorsCsvUrl(row.id)}
            download
          >
            {t("imports.progress.downloadErrors")}
          </a>
        )}
        {isUndoable && (
          <Button variant="danger" disabled={undo.isPending} onClick={() => setConfirming("undo")}>
            {t("imports.progress.undo")}
          </Button>
        )}
      </div>
      {/* Each closes by itself once the import is no longer in a state it applies to. */}
      <ConfirmDialog
        open={confirming === "cancel" && isRunning}
        onOpenChange={(open) => !open && close()}
        title={t("imports.progress.cancelConfirm.title", { file: row.fileName })}
        description={t("imports.progress.cancelConfirm.description", {
          created: row.created.toLocaleString(),
          updated: row.updated.toLocaleString(),
        })}
        confirmLabel={t("imports.progress.cancel")}
        cancelLabel={t("imports.progress.cancelConfirm.keep")}
        isPending={cancel.isPending}
        onConfirm={() => cancel.mutate(row.id, { onSuccess: close, onError: failOnProblem })}
      />
      <ConfirmDialog
        open={confirming === "undo" && isUndoable}
        onOpenChange={(open) => !open && close()}
        title={t("imports.progress.undoConfirm.title", { file: row.fileName })}
        description={undoText(row)}
        confirmLabel={t("imports.progress.undo")}
        cancelLabel={t("imports.progress.undoConfirm.keep")}
        isPending={undo.isPending}
        onConfirm={() =>
          undo.mutate(row.id, {
            onSuccess: () => {
              close();
              toast.success(t("imports.progress.undone"));
            },
            onError: failOnProblem,
          })
        }
      />
    </section>
  );
}
