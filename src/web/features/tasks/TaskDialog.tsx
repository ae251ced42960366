import { useState } from "react";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import { useDeleteRecord, useRestoreRecord } from "../../api/records.ts";
import { Button } from "../../components/Button.tsx";
import { ConfirmDialog } from "../../components/ConfirmDialog.tsx";
import { Dialog } from "../../components/Dialog.tsx";
import { toastWithUndoOfDelete } from "../../lib/undo.ts";
import type { RecordLink } from "../activities/Timeline.tsx";
import type { TaskRow } from "./tasks.api.ts";
import { TaskForm } from "./TaskForm.tsx";
import { useCanChangeTask } from "./useCanChangeTask.ts";

type TaskDialogProps = {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** The task to edit; absent: a new task. */
  task?: TaskRow | undefined;
  /** The record a new task is linked to. */
  link?: RecordLink | undefined;
};

/** New or edit task in a dialog; editing also offers Delete (confirmed, with Undo) to roles that may. */
export function TaskDialog({ open, onOpenChange, task, link }: TaskDialogProps) {
  const { t } = useTranslation();
  const canChange = useCanChangeTask();
  const [isConfirming, setConfirming] = useState(false);
  const remove = useDeleteRecord("tasks");
  const restore = useRestoreRecord("tasks");
  const isReadOnly = task ? !canChange("update", task) : false;
  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title={task ? (isReadOnly ? t("tasks.dialog.view") : t("tasks.dialog.edit")) : t("tasks.dialog.new")}
      wide
    >
      <TaskForm
        task={task}
        link={link}
        isReadOnly={isReadOnly}
        onCancel={() => onOpenChange(false)}
        onDone={(saved) => {
          onOpenChange(false);
          toast.success(
            task ? t("tasks.dialog.saved", { title: saved.title }) : t("tasks.dialog.created", { title: saved.title }),
          );
        }}
      />
      {task && canChange("delete", task) && (
        <>
          <div className="mt-4 border-t border-slate-200 pt-3 dark:border-slate-700">
            <Button variant="danger" size="sm" onClick={() => setConfirming(true)}>
              {t("tasks.dialog.delete")}
            </Button>
          </div>
          <ConfirmDialog
            open={isConfirming}
            onOpenChange={setConfirming}
            title={t("tasks.dialog.confirmTitle", { title: task.title })}
            description={t("tasks.dialog.confirmDescription")}
            confirmLabel={t("common.delete")}
            isPending={remove.isPending}
            onConfirm={() =>
              remove.mutate(task.id, {
                onSuccess: () => {
                  setConfirming(false);
                  onOpenChange(false);
                  toastWithUndoOfDelete(t("tasks.dialog.deleted", { title: task.title }), task.id, () =>
                    restore.mutateAsync(task.id),
                  );
                },
              })
            }
          />
        </>
      )}
    </Dialog>
  );
}
