import { useState } from "react";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import type { BulkActionName } from "../../../shared/schemas/bulk.ts";
import { Button } from "../../components/Button.tsx";
import { LoadMore } from "../../components/LoadMore.tsx";
import { ConfirmDialog } from "../../components/ConfirmDialog.tsx";
import { EmptyState, ErrorMessage, PageHeader, SkeletonRows } from "../../components/Feedback.tsx";
import { t } from "../../i18n/i18n.ts";
import { formatDateTime, formatNumber } from "../../lib/format.ts";
import { undoneMessage } from "../lists/BulkReport.tsx";
import { useMembers } from "../users/users.api.ts";
import { useBulkOperations, useUndoBulkOperation, type BulkOperationRow } from "./bulk-operations.api.ts";

const statusClass: Record<BulkOperationRow["status"], string> = {
  queued: "bg-slate-200 text-slate-800 dark:bg-slate-800 dark:text-slate-100",
  running: "bg-sky-100 text-sky-900 dark:bg-sky-950 dark:text-sky-100",
  completed: "bg-green-100 text-green-900 dark:bg-green-950 dark:text-green-100",
  failed: "bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-100",
  undone: "bg-slate-200 text-slate-800 dark:bg-slate-800 dark:text-slate-100",
};

/** What the operation did, in the interface's language ("Assigned an owner"). */
function actionLabel(action: BulkActionName): string {
  return t(`settings.bulkOperations.actions.${action}`);
}

/** The list it ran on, as the navigation names it ("Contacts"); an unknown one as the API spells it. */
function collectionLabel(resource: string): string {
  return t(`shell.nav.${resource}`, { defaultValue: resource });
}

/** An operation can be undone while its undo window is open and it is not running or undone already. */
function isUndoable(operation: BulkOperationRow, now: number): boolean {
  if (operation.status !== "completed" && operation.status !== "failed") return false;
  return operation.undoableUntil !== null && Date.parse(operation.undoableUntil) > now;
}

function Counts({ operation }: { operation: BulkOperationRow }) {
  const { t } = useTranslation();
  if (operation.status === "queued") return <p>{t("settings.bulkOperations.waiting")}</p>;
  if (operation.status === "running") {
    const percent = operation.matched > 0 ? Math.round((operation.done / operation.matched) * 100) : 0;
    return (
      <div className="flex items-center gap-2">
        <span>
          {t("settings.bulkOperations.working", {
            done: formatNumber(operation.done),
            total: formatNumber(operation.matched),
          })}
        </span>
        <progress className="h-2 w-40" max={100} value={percent} aria-valuetext={`${percent}%`} />
      </div>
    );
  }
  return (
    <p>
      {t("settings.bulkOperations.changed", {
        count: operation.updated,
        number: formatNumber(operation.updated),
        total: formatNumber(operation.matched),
      })}
      {operation.refusedCount > 0 &&
        ` ${t("settings.bulkOperations.refused", {
          count: operation.refusedCount,
          number: formatNumber(operation.refusedCount),
        })}`}
    </p>
  );
}

/**
 * Settings → Bulk changes: every bulk operation the member may see (admins and managers: the
 * workspace's; agents: their own), newest first, with its progress, what it changed and what it
 * left, and Undo for the 24 hours an operation can be undone: the toast after a bulk action offers
 * Undo for seconds, this page for the whole window.
 */
export function BulkOperationsPage() {
  const { t } = useTranslation();
  const pages = useBulkOperations();
  const members = useMembers();
  const undo = useUndoBulkOperation();
  const [asked, setAsked] = useState<BulkOperationRow | null>(null);
  // Whether the undo window is still open, as of when the list was read (it is read again every few seconds while one runs).
  const now = pages.dataUpdatedAt;

  const nameOf = (userId: string | null) =>
    (userId && members.data?.find((member) => member.id === userId)?.name) || t("settings.bulkOperations.someone");

  const confirmUndo = () => {
    if (!asked) return;
    const operation = asked;
    undo.mutate(operation.operationId, {
      onSuccess: (undone) => {
        setAsked(null);
        toast.success(undoneMessage(undone));
      },
      onError: (error) => {
        setAsked(null);
        toast.error(error.message);
      },
    });
  };

  let body;
  if (pages.isPending) body = <SkeletonRows rows={4} />;
  else if (pages.isError) body = <ErrorMessage error={pages.error} onRetry={() => void pages.refetch()} />;
  else {
    const operations = pages.data.pages.flatMap((page) => page.data);
    if (operations.length === 0) body = <EmptyState title={t("settings.bulkOperations.empty")} />;
    else
      body = (
        <>
          <ul aria-label={t("settings.bulkOperations.title")} className="flex flex-col gap-2">
            {operations.map((operation) => (
              <li
                key={operation.operationId}
                className="flex flex-col gap-1 rounded-md border border-slate-200 p-3 text-sm sm:flex-row sm:items-start sm:justify-between dark:border-slate-700"
              >
                <div className="flex min-w-0 flex-col gap-1">
                  <p className="flex flex-wrap items-center gap-2 font-medium">
                    <span>
                      {t("settings.bulkOperations.what", {
                        action: actionLabel(operation.action),
                        collection: collectionLabel(operation.resource),
                      })}
                    </span>
                    <span
                      className={`rounded px-1.5 py-0.5 text-xs font-medium whitespace-nowrap ${statusClass[operation.status]}`}
                    >
                      {t(`settings.bulkOperations.statuses.${operation.status}`)}
                    </span>
                  </p>
                  <Counts operation={operation} />
                  {operation.error && <p className="break-words text-red-800 dark:text-red-300">{operation.error}</p>}
                  <p className="text-slate-600 dark:text-slate-400">
                    {t("settings.bulkOperations.by", {
                      name: nameOf(operation.createdBy),
                      at: formatDateTime(operation.createdAt),
                    })}
                    {isUndoable(operation, now) &&
                      operation.undoableUntil &&
                      ` · ${t("settings.bulkOperations.undoableUntil", { at: formatDateTime(operation.undoableUntil) })}`}
                  </p>
                </div>
                {isUndoable(operation, now) && (
                  <Button
                    size="sm"
                    className="self-start"
                    aria-label={t("settings.bulkOperations.undoLabel", {
                      action: actionLabel(operation.action),
                      collection: collectionLabel(operation.resource),
                      at: formatDateTime(operation.createdAt),
                    })}
                    onClick={() => setAsked(operation)}
                  >
                    {t("common.undo")}
                  </Button>
                )}
              </li>
            ))}
          </ul>
          <LoadMore pages={pages} className="pt-3" />
        </>
      );
  }

  return (
    <>
      <PageHeader title={t("settings.bulkOperations.title")} />
      <div className="flex flex-col gap-4 p-4">
        <p className="max-w-3xl text-sm text-slate-600 dark:text-slate-300">{t("settings.bulkOperations.intro")}</p>
        {body}
      </div>
      <ConfirmDialog
        open={asked !== null}
        onOpenChange={(open) => !open && setAsked(null)}
        title={t("settings.bulkOperations.confirmTitle")}
        description={t("settings.bulkOperations.confirmDescription", {
          count: asked?.updated ?? 0,
          number: formatNumber(asked?.updated ?? 0),
        })}
        confirmLabel={t("common.undo")}
        isPending={undo.isPending}
        onConfirm={confirmUndo}
      />
    </>
  );
}
