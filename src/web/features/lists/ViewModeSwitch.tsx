import { useTranslation } from "react-i18next";
import type { ListSearch } from "./list-search.ts";

type ViewMode = NonNullable<ListSearch["mode"]>;

type ViewModeSwitchProps<M extends ViewMode> = {
  mode: M;
  onChange: (mode: M) => void;
  /** The layouts offered, in order; by default Table and Kanban. */
  choices?: readonly { mode: M; label: string }[];
};

/** The switch between a list page's layouts in its header: Table / Kanban, or List / Calendar for tasks. */
export function ViewModeSwitch<M extends ViewMode>({ mode, onChange, choices }: ViewModeSwitchProps<M>) {
  const { t } = useTranslation();
  const shown =
    choices ??
    ([
      { mode: "table", label: t("lists.viewMode.table") },
      { mode: "kanban", label: t("lists.viewMode.kanban") },
    ] as { mode: M; label: string }[]);
  return (
    <div
      role="group"
      aria-label={t("lists.viewMode.label")}
      className="inline-flex divide-x divide-slate-300 overflow-hidden rounded-md border border-slate-300 dark:divide-slate-600 dark:border-slate-600"
    >
      {shown.map((choice) => (
        <button
          key={choice.mode}
          type="button"
          aria-pressed={mode === choice.mode}
          onClick={() => onChange(choice.mode)}
          className="px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-50 aria-pressed:bg-accent-600 aria-pressed:text-white dark:text-slate-100 dark:hover:bg-slate-800 dark:aria-pressed:bg-sky-700"
        >
          {choice.label}
        </button>
      ))}
    </div>
  );
}
