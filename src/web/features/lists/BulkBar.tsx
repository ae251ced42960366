import { useEffect, useRef, useState } from "react";
import { toast } from "sonner";
import type { Resource } from "../../../shared/permissions.ts";
import { ApiProblem } from "../../api/client.ts";
import { useRecordCount, type Collection, type ListFilter } from "../../api/records.ts";
import { Button } from "../../components/Button.tsx";
import { ConfirmDialog } from "../../components/ConfirmDialog.tsx";
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
import { BulkReport } from "./BulkReport.tsx";
import { BulkTagDialog, BulkUpdateDialog, bulkFields } from "./BulkUpdateDialog.tsx";

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
  const canUpdate = can("update", resource);
  const fields = bulkFields[collection] ?? [];
  const statusField = fields.find((f) => f.name === "status" || f.name === "stageId");
  const showsDeleted = props.filters.some((f) => f.field === "deleted" && f.value === "true");

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
        onError: (error) => toast.error(error instanceof ApiProblem ? error.message : "The bulk action failed."),
      },
    );

  const hasSelection = selectedIds.length > 0 || isAll;
  return (
    <>
      {hasSelection && (
        <div
          role="region"
          aria-label="Bulk actions"
          className="flex flex-wrap items-center gap-2 bg-accent-50 px-4 py-2 text-sm dark:bg-slate-800"
        >
          <span>{isAll ? `All ${matching.toLocaleString()} matching selected` : `${selectedIds.length} selected`}</span>
          {!isAll && matching > selectedIds.length && (
            <Button size="sm" variant="ghost" onClick={() => setAll(true)}>
              Apply to all {matching.toLocaleString()} matching
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
                extraOptions={[{ value: "none", label: "Nobody" }]}
                onChange={(id) => run({ action: "assign", ownerId: id === "none" ? null : id })}
              />
            </div>
          )}
          {canUpdate && fields.length > 0 && (
            <Button size="sm" onClick={() => setDialog("update")}>
              Update field…
            </Button>
          )}
          {canUpdate && statusField && (
            <Button size="sm" onClick={() => setDialog("status")}>
              Change {statusField.label.toLowerCase()}
            </Button>
          )}
          {canUpdate && taggable.includes(collection) && (
            <>
              <Button size="sm" onClick={() => setDialog("addTags")}>
                Add tag
              </Button>
              <Button size="sm" onClick={() => setDialog("removeTags")}>
                Remove tag
              </Button>
            </>
          )}
          {can("delete", resource) && !showsDeleted && (
            <Button size="sm" variant="danger" onClick={() => setDialog("delete")}>
              Delete selected
            </Button>
          )}
          {can("restore", resource) && showsDeleted && (
            <Button size="sm" onClick={() => run({ action: "restore" })}>
              Restore
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
            Clear selection
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
        title={`Delete ${selectedCount.toLocaleString()} ${selectedCount === 1 ? "record" : "records"}?`}
        description="They move to the trash; you can undo for 24 hours, and restore them later."
        confirmLabel="Delete"
        isPending={bulk.isPending}
        onConfirm={() => run({ action: "delete" })}
      />
    </>
  );
}

/** The toast of a finished operation, with Undo while it can be undone. */
function announce(operation: BulkOperation, collection: Collection): void {
  const verb = operation.action === "delete" ? "Deleted" : operation.action === "restore" ? "Restored" : "Changed";
  const message = `${verb} ${operation.updated.toLocaleString()} ${operation.updated === 1 ? "record" : "records"}${
    operation.refusedCount > 0 ? `; ${operation.refusedCount.toLocaleString()} left unchanged` : ""
  }.`;
  if (!operation.undoableUntil) {
    toast.success(message);
    return;
  }
  toast.success(message, {
    duration: 10_000,
    action: {
      label: "Undo",
      onClick: () => {
        undoBulkOperation(operation.operationId).then(
          (undone) =>
            toast.success(
              `Undone: ${undone.reverted.toLocaleString()} put back${
                undone.refusedCount > 0 ? `, ${undone.refusedCount} changed since and left as they are` : ""
              }.`,
            ),
          (error: unknown) => toast.error(error instanceof Error ? error.message : `Could not undo (${collection}).`),
        );
      },
    },
  });
}
