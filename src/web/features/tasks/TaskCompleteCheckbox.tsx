import { useTranslation } from "react-i18next";
import { useTaskCompletion, type TaskRow } from "./tasks.api.ts";
import { useCanChangeTask } from "./useCanChangeTask.ts";

/** Ticks a task done (or reopens it); disabled for users who may not change the task. */
export function TaskCompleteCheckbox({ task }: { task: TaskRow }) {
  const { t } = useTranslation();
  const canChange = useCanChangeTask();
  const completion = useTaskCompletion();
  const isDone = task.status === "completed";
  const isAllowed = canChange("update", task);
  return (
    <input
      type="checkbox"
      className="size-4 cursor-pointer accent-accent-600 disabled:cursor-not-allowed"
      aria-label={t("tasks.checkbox.label", { title: task.title })}
      title={
        isAllowed
          ? isDone
            ? t("tasks.checkbox.reopen")
            : t("tasks.checkbox.markDone")
          : t("tasks.checkbox.notAllowed")
      }
      checked={isDone}
      disabled={!isAllowed || completion.isPending}
      aria-busy={completion.isPending}
      onChange={(event) => completion.mutate({ task, isDone: event.target.checked })}
    />
  );
}
