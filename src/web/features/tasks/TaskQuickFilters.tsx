import type { ListFilter } from "../../api/records.ts";
import { activeQuickFilter, isMine, withMine, withQuickFilter, type QuickFilter } from "./task-filters.ts";

const choices: { value: QuickFilter | "all"; label: string }[] = [
  { value: "all", label: "All" },
  { value: "open", label: "Open" },
  { value: "dueToday", label: "Due today" },
  { value: "overdue", label: "Overdue" },
  { value: "done", label: "Done" },
];

const buttonClass =
  "rounded-md border border-slate-300 px-2.5 py-1 text-sm font-medium hover:bg-slate-50 aria-pressed:border-accent-600 aria-pressed:bg-accent-600 aria-pressed:text-white dark:border-slate-600 dark:hover:bg-slate-800 dark:aria-pressed:border-sky-400 dark:aria-pressed:bg-sky-400 dark:aria-pressed:text-slate-950";

type TaskQuickFiltersProps = { filters: readonly ListFilter[]; onChange: (filters: ListFilter[]) => void };

/**
 * "Mine" (assigned to me) combined with one of All, Open (not completed), Due today (in the browser's time zone),
 * Overdue (due before now, not completed) and Done; they set the same filters the builder shows.
 */
export function TaskQuickFilters({ filters, onChange }: TaskQuickFiltersProps) {
  const active = activeQuickFilter(filters);
  const mine = isMine(filters);
  return (
    <div role="group" aria-label="Quick filters" className="flex flex-wrap items-center gap-1.5">
      <button
        type="button"
        className={buttonClass}
        aria-pressed={mine}
        onClick={() => onChange(withMine(filters, !mine))}
      >
        Mine
      </button>
      <span aria-hidden="true" className="mx-1 h-5 w-px bg-slate-300 dark:bg-slate-600" />
      {choices.map((choice) => (
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
