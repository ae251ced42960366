import { useTranslation } from "react-i18next";
import type { ListFilter } from "../../api/records.ts";
import { t } from "../../i18n/i18n.ts";
import { activeQuickFilter, withQuickFilter, type QuickFilter } from "./task-filters.ts";

/** The choices, in the current language. */
const choices = (): { value: QuickFilter | "all"; label: string }[] => [
  { value: "all", label: t("tasks.quickFilters.all") },
  { value: "open", label: t("tasks.quickFilters.open") },
  { value: "dueToday", label: t("tasks.quickFilters.dueToday") },
  { value: "overdue", label: t("tasks.quickFilters.overdue") },
  { value: "done", label: t("tasks.quickFilters.done") },
];

const buttonClass =
  "rounded-md border border-slate-300 px-2.5 py-1 text-sm font-medium hover:bg-slate-50 aria-pressed:border-accent-600 aria-pressed:bg-accent-600 aria-pressed:text-white dark:border-slate-600 dark:hover:bg-slate-800 dark:aria-pressed:border-sky-400 dark:aria-pressed:bg-sky-400 dark:aria-pressed:text-slate-950";

type TaskQuickFiltersProps = { filters: readonly ListFilter[]; onChange: (filters: ListFilter[]) => void };

/**
 * One of All, Open (not completed), Due today (in the browser's time zone), Overdue (due before now,
 * not completed) and Done; they set the same filters the builder shows. "Assigned to me" is the
 * list's "My records" preset (the list's owner field is the assignee).
 */
export function TaskQuickFilters({ filters, onChange }: TaskQuickFiltersProps) {
  const { t } = useTranslation();
  const active = activeQuickFilter(filters);
  return (
    <div role="group" aria-label={t("tasks.quickFilters.label")} className="flex flex-wrap items-center gap-1.5">
      {choices().map((choice) => (
        <button
          key={choice.value}
          type="button"
          className={buttonClass}
          aria-pressed={active === choice.value}
          onClick={() => onChange(withQuickFilter(filters, choice.value))}
        >
          {choice.label}
        </button>
      ))}
    </div>
  );
}
