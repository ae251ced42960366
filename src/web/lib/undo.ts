import { toast } from "sonner";
import { t } from "../i18n/i18n.ts";

/** A toast offering to undo what just happened (a delete is undone by restoring). */
export function toastWithUndo(message: string, undo: () => Promise<unknown>): void {
  toast.success(message, {
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
