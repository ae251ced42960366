import { toast } from "sonner";
import { t } from "../i18n/i18n.ts";

/** The id of the toast offering to undo the delete of record `recordId`. */
const undoOfDeleteToastId = (recordId: string) => `undo-delete-${recordId}`;

function showUndo(message: string, undo: () => Promise<unknown>, id?: string): void {
  toast.success(message, {
    ...(id ? { id } : {}),
    duration: 8000,
    action: {
      label: t("common.undo"),
      onClick: () => {
        undo().then(
          () => toast.success(t("messages.undo.undone")),
          (error: unknown) => toast.error(error instanceof Error ? error.message : t("messages.undo.failed")),
        );
      },
    },
  });
}

/** A toast offering to undo what just happened. */
export function toastWithUndo(message: string, undo: () => Promise<unknown>): void {
  showUndo(message, undo);
}

/**
 * A toast offering to undo the delete of record `recordId` by restoring it: it goes once the record
 * is restored another way (`dismissUndoOfDelete`).
 */
export function toastWithUndoOfDelete(message: string, recordId: string, restore: () => Promise<unknown>): void {
  showUndo(message, restore, undoOfDeleteToastId(recordId));
}

/**
 * Takes away the Undo of deleting record `recordId` once it is restored (by a Restore button, say),
 * so that the Undo does not act on a record that is back already.
 */
export function dismissUndoOfDelete(recordId: string): void {
  toast.dismiss(undoOfDeleteToastId(recordId));
}
