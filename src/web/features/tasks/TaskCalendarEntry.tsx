import { Link } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import { formatTime } from "../../lib/format.ts";
import { isOverdue } from "./task-filters.ts";
import type { TaskRow } from "./tasks.api.ts";

type TaskCalendarEntryProps = {
  task: Pick<TaskRow, "id" | "title" | "status" | "dueAt">;
  /** On one line, cut short with an ellipsis (a day of the month grid); else wrapping (the agenda). */
  isCompact?: boolean;
};

/**
 * A task in the calendar: its due time and title, linking to the task's page as the list's title
 * does. Done tasks are struck through with a tick, overdue ones red; both are also said in words.
 */
export function TaskCalendarEntry({ task, isCompact = false }: TaskCalendarEntryProps) {
  const { t } = useTranslation();
  const isDone = task.status === "completed";
  const isLate = isOverdue(task);
  return (
    <Link
      to="/tasks/$id"
      params={{ id: task.id }}
      title={isCompact ? task.title : undefined}
      className={`relative block rounded px-1 py-0.5 text-sm hover:bg-slate-100 dark:hover:bg-slate-800 ${isCompact ? "truncate" : ""}`}
    >
      {task.dueAt && (
        <>
          <time dateTime={task.dueAt} className="text-xs text-slate-600 tabular-nums dark:text-slate-400">
            {formatTime(task.dueAt)}
          </time>{" "}
        </>
      )}
      {isDone && (
        <span aria-hidden="true" className="mr-0.5 text-slate-600 dark:text-slate-400">
          ✓
        </span>
      )}
      <span
        className={
          isDone
            ? "text-slate-600 line-through dark:text-slate-400"
            : isLate
              ? "font-medium text-red-700 dark:text-red-400"
              : "font-medium text-accent-700 dark:text-sky-300"
        }
      >
        {task.title}
      </span>
      {isDone && <span className="sr-only">{t("tasks.calendar.done")}</span>}
      {isLate && <span className="sr-only">{t("tasks.calendar.overdue")}</span>}
    </Link>
  );
}
