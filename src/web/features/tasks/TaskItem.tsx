import { Trans, useTranslation } from "react-i18next";
import { labelOf } from "../../lib/format.ts";
import { Button } from "../../components/Button.tsx";
import { TaskCompleteCheckbox } from "./TaskCompleteCheckbox.tsx";
import { TaskDependencies } from "./TaskDependencies.tsx";
import { TaskDue } from "./TaskDue.tsx";
import type { TaskRow } from "./tasks.api.ts";

/** One task in a record's task panel: done checkbox, title (opens the editor), due, assignee, blockers. */
export function TaskItem({ task, onOpen }: { task: TaskRow; onOpen: (task: TaskRow) => void }) {
  const { t } = useTranslation();
  const isDone = task.status === "completed";
  return (
    <li className="flex items-start gap-3 border-b border-slate-100 py-2.5 last:border-b-0 dark:border-slate-800">
      <span className="pt-1.5">
        <TaskCompleteCheckbox task={task} />
      </span>
      <div className="flex min-w-0 flex-1 flex-col gap-0.5">
        <Button
          variant="ghost"
          size="sm"
          className={`-ml-2 justify-start text-left break-words ${isDone ? "text-slate-500 line-through dark:text-slate-400" : ""}`}
          onClick={() => onOpen(task)}
        >
          {task.title}
        </Button>
        <p className="flex flex-wrap gap-x-3 gap-y-0.5 text-xs text-slate-600 dark:text-slate-400">
          <span>
            <Trans i18nKey="tasks.item.due" components={{ due: <TaskDue task={task} /> }} />
          </span>
          <span>{t("tasks.item.priority", { priority: labelOf(task.priority) })}</span>
          {task.status === "in_progress" && <span>{t("tasks.item.inProgress")}</span>}
          <span>
            {task.assignee ? t("tasks.item.assignedTo", { name: task.assignee.name }) : t("tasks.item.unassigned")}
          </span>
        </p>
        {task.dependsOn.length > 0 && (
          <p className="text-xs">
            <TaskDependencies task={task} />
          </p>
        )}
      </div>
    </li>
  );
}
