import { toast } from "sonner";

/** A toast offering to undo what just happened (a delete is undone by restoring). */
export function toastWithUndo(message: string, undo: () => Promise<unknown>): void {
  toast.success(message, {
    duration: 8000,
    action: {
      label: "Undo",
      onClick: () => {
        undo().then(
          () => toast.success("Undone."),
          (error: unknown) => toast.error(error instanceof Error ? error.message : "Could not undo."),
        );
      },
    },
  });
}
