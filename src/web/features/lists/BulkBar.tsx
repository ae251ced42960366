import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import type { Resource } from "../../../shared/permissions.ts";
import { ApiProblem } from "../../api/client.ts";
import { useRecordCount, type Collection, type ListFilter } from "../../api/records.ts";
import { Button } from "../../components/Button.tsx";
import { ConfirmDialog } from "../../components/ConfirmDialog.tsx";
import { t } from "../../i18n/i18n.ts";
import { formatNumber } from "../../lib/format.ts";
import { useCan } from "../auth/session.ts";
import { RecordPicker } from "../records/RecordPicker.tsx";
import {
  undoBulkOperation,
  useBulkAction,
  useBulkOperation,
  type BulkAction,
  type BulkOperation,
  type BulkSelection,
} from "./bulk.api.ts";
import { BulkReport, undoneMessage } from "./BulkReport.tsx";
import { BulkTagDialog, BulkUpdateDialog, bulkFieldsOf } from "./BulkUpdateDialog.tsx";
import { inSentence } from "./in-sentence.ts";
import { isTrash } from "./list-presets.ts";

const taggable: readonly Collection[] = ["contacts", "companies", "leads", "deals"];

type BulkBarProps = {
  collection: Collection;
  resource: Resource;
  selectedIds: string[];
  q: string;
  filters: ListFilter[];
  /** The field bulk assign sets, as shown ("Owner", "Assignee"); absent: no bulk assign. */
  assignLabel?: string | undefined;
  nameOf?: (id: string) => string | undefined;
  onClear: () => void;
};

/**
 * The bulk actions of a list: on the selected rows, or on everything the list's search and
 * filters match ("Apply to all N matching"). Records the caller may not change, or that break a
 * rule, come back as refused and are listed with the reason; large operations run on the server
 * with a progress bar; every finished operation can be undone from its toast.
 */
export function BulkBar(props: BulkBarProps) {
  const { collection, resource, selectedIds } = props;
  const { t } = useTranslation();
  const can = useCan();
  const bulk = useBulkAction(collection);
  const count = useRecordCount(collection, { q: props.q, filters: props.filters });
  const [isAll, setAll] = useState(false);
  const [dialog, setDialog] = useState<null | "delete" | "update" | "status" | "addTags" | "removeTags">(null);
  const [operationId, setOperationId] = useState<string | null>(null);
  const [finished, setFinished] = useState<BulkOperation | null>(null);
  const polled = useBulkOperation(finished ? null : operationId);
  const shown = finished ?? polled.data ?? null;
  // A queued operation is announced once, when its polling sees it finish.
  const announced = useRef<string | null>(null);
  const ended = polled.data && (polled.data.status === "completed" || polled.data.status === "failed");
  useEffect(() => {
    if (!ended || !polled.data || announced.current === polled.data.operationId) return;
    announced.current = polled.data.operationId;
    announce(polled.data, collection);
  }, [ended, polled.data, collection]);

  const matching = count.data?.count ?? 0;
  const selectedCount = isAll ? matching : selectedIds.length;
  const selection: BulkSelection = isAll ? { filter: { q: props.q, filters: props.filters } } : { ids: selectedIds };
  const showsDeleted = isTrash(props.filters);
  // Deleted records are changed by nothing but a restore: the trash offers no edits.
  const canUpdate = can("update", resource) && !showsDeleted;
  const fields = bulkFieldsOf(collection);
  const statusField = fields.find((f) => f.name === "status" || f.name === "stageId");

  const run = (action: BulkAction) =>
    bulk.mutate(
      { ...action, selection },
      {
        onSuccess: (started) => {
          setDialog(null);
          setAll(false);
          props.onClear();
          setOperationId(started.operationId);
          if ("matched" in started) {
            setFinished(started);
            announce(started, collection);
          } else {
            setFinished(null);
          }
        },
        onError: (error) => toast.error(error instanceof ApiProblem ? error.message : t("lists.bulk.failed")),
      },
    );

  const hasSelection = selectedIds.length > 0 || isAll;
  return (
    <>
      {hasSelection && (
        <div
          role="region"
          aria-label={t("lists.bulk.label")}
          className="flex flex-wrap items-center gap-2 bg-accent-50 px-4 py-2 text-sm dark:bg-slate-800"
        >
          <span>
            {isAll
              ? t("lists.bulk.allSelected", { number: formatNumber(matching) })
              : t("lists.bulk.selected", { number: formatNumber(selectedIds.length) })}
          </span>
          {!isAll && matching > selectedIds.length && (
            <Button size="sm" variant="ghost" onClick={() => setAll(true)}>
              {t("lists.bulk.applyToAll", { number: formatNumber(matching) })}
            </Button>
          )}
          {props.assignLabel && canUpdate && (
            <div className="flex items-center gap-1">
              <span aria-hidden="true">{props.assignLabel}</span>
              <RecordPicker
                isBare
                collection="users"
                label={props.assignLabel}
                value=""
                extraOptions={[{ value: "none", label: t("lists.cellEdits.nobody") }]}
                onChange={(id) => run({ action: "assign", ownerId: id === "none" ? null : id })}
              />
            </div>
          )}
          {canUpdate && fields.length > 0 && (
            <Button size="sm" onClick={() => setDialog("update")}>
              {t("lists.bulk.updateField")}
            </Button>
          )}
          {canUpdate && statusField && (
            <Button size="sm" onClick={() => setDialog("status")}>
              {t("lists.bulk.change", { field: inSentence(statusField.label) })}
            </Button>
          )}
          {canUpdate && taggable.includes(collection) && (
            <>
              <Button size="sm" onClick={() => setDialog("addTags")}>
                {t("lists.bulk.addTag")}
              </Button>
              <Button size="sm" onClick={() => setDialog("removeTags")}>
                {t("lists.bulk.removeTag")}
              </Button>
            </>
          )}
          {can("delete", resource) && !showsDeleted && (
            <Button size="sm" variant="danger" onClick={() => setDialog("delete")}>
              {t("lists.bulk.deleteSelected")}
            </Button>
          )}
          {can("restore", resource) && showsDeleted && (
            <Button size="sm" onClick={() => run({ action: "restore" })}>
              {t("common.restore")}
            </Button>
          )}
          <Button
            size="sm"
            variant="ghost"
            onClick={() => {
              setAll(false);
              props.onClear();
            }}
          >
            {t("lists.bulk.clearSelection")}
          </Button>
        </div>
      )}
      {shown && (
        <BulkReport
          operation={shown}
          nameOf={props.nameOf}
          onDismiss={() => {
            setOperationId(null);
            setFinished(null);
          }}
        />
      )}
      <BulkUpdateDialog
        key={dialog ?? "closed"}
        collection={collection}
        open={dialog === "update" || dialog === "status"}
        onOpenChange={(open) => setDialog(open ? dialog : null)}
        initialField={dialog === "status" ? statusField?.name : undefined}
        count={selectedCount}
        isPending={bulk.isPending}
        onSubmit={(values) => run({ action: "update", fields: values })}
      />
      <BulkTagDialog
        key={`tags-${dialog ?? ""}`}
        mode={dialog === "addTags" || dialog === "removeTags" ? dialog : null}
        onClose={() => setDialog(null)}
        count={selectedCount}
        isPending={bulk.isPending}
        onSubmit={(tags) => run({ action: dialog === "removeTags" ? "removeTags" : "addTags", tags })}
      />
      <ConfirmDialog
        open={dialog === "delete"}
        onOpenChange={(open) => setDialog(open ? "delete" : null)}
        title={t("lists.bulk.deleteTitle", { count: selectedCount, number: formatNumber(selectedCount) })}
        description={t("lists.bulk.deleteDescription")}
        confirmLabel={t("common.delete")}
        isPending={bulk.isPending}
        onConfirm={() => run({ action: "delete" })}
      />
    </>
  );
}

/** The toast of a finished operation, with Undo while it can be undone. */
function announce(operation: BulkOperation, collection: Collection): void {
  const counted = { count: operation.updated, number: formatNumber(operation.updated) };
  const done =
    operation.action === "delete"
      ? t("lists.bulk.deleted", counted)
      : operation.action === "restore"
        ? t("lists.bulk.restored", counted)
        : t("lists.bulk.changed", counted);
  const message =
    operation.refusedCount > 0
      ? t("lists.bulk.doneWithRefusals", { done, number: formatNumber(operation.refusedCount) })
      : t("lists.bulk.done", { done });
  if (!operation.undoableUntil) {
    toast.success(message);
    return;
  }
  toast.success(message, {
    duration: 10_000,
    action: {
      label: t("common.undo"),
      onClick: () => {
        undoBulkOperation(operation.operationId).then(
          (undone) => toast.success(undoneMessage(undone)),
          (error: unknown) =>
            toast.error(error instanceof Error ? error.message : t("lists.bulk.undoFailed", { collection })),
        );
      },
    },
  });
}
