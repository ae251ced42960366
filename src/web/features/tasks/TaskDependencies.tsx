import { useTranslation } from "react-i18next";
import { openDependenciesOf } from "./task-filters.ts";
import type { TaskRow } from "./tasks.api.ts";

/** "Blocked by 2" with the titles of the open dependencies; nothing when the task is free to complete. */
export function TaskDependencies({ task }: { task: TaskRow }) {
  const { t } = useTranslation();
  const open = openDependenciesOf(task);
  if (open.length === 0) {
    return task.dependsOn.length > 0 ? (
      <span className="text-slate-600 dark:text-slate-400">{t("tasks.dependencies.allDone")}</span>
    ) : (
      <>—</>
    );
  }
  const titles = open.map((dependency) => dependency.title).join(", ");
  return (
    <span
      className="inline-flex min-w-0 items-center gap-1.5"
      title={t("tasks.dependencies.blockedByTitles", { titles })}
    >
      <span className="shrink-0 rounded-full bg-amber-100 px-2 py-0.5 text-xs font-medium text-amber-900 dark:bg-amber-950 dark:text-amber-200">
        {t("tasks.dependencies.blockedBy", { number: open.length })}
      </span>
      <span className="truncate text-xs text-slate-600 dark:text-slate-400">{titles}</span>
    </span>
  );
}
