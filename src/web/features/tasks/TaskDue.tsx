import { useTranslation } from "react-i18next";
import { formatDateTime } from "../../lib/format.ts";
import { isOverdue } from "./task-filters.ts";
import type { TaskRow } from "./tasks.api.ts";

/** The due time, marked "overdue" in words (not only in red) when it has passed. */
export function TaskDue({ task }: { task: Pick<TaskRow, "dueAt" | "status"> }) {
  const { t } = useTranslation();
  if (!task.dueAt) return <>—</>;
  const isLate = isOverdue(task);
  return (
    <time dateTime={task.dueAt} className={isLate ? "font-medium text-red-700 dark:text-red-400" : undefined}>
      {formatDateTime(task.dueAt)}
      {isLate && t("tasks.due.overdue")}
    </time>
  );
}
