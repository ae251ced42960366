import { useTranslation } from "react-i18next";

type ViewMode = "table" | "kanban";

/** The Table / Kanban switch of a list page's header. */
export function ViewModeSwitch({ mode, onChange }: { mode: ViewMode; onChange: (mode: ViewMode) => void }) {
  const { t } = useTranslation();
  const item = (value: ViewMode, label: string) => (
    <button
      type="button"
      aria-pressed={mode === value}
      onClick={() => onChange(value)}
      className="px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-50 aria-pressed:bg-accent-600 aria-pressed:text-white dark:text-slate-100 dark:hover:bg-slate-800 dark:aria-pressed:bg-sky-700"
    >
      {label}
    </button>
  );
  return (
    <div
      role="group"
      aria-label={t("lists.viewMode.label")}
      className="inline-flex divide-x divide-slate-300 overflow-hidden rounded-md border border-slate-300 dark:divide-slate-600 dark:border-slate-600"
    >
      {item("table", t("lists.viewMode.table"))}
      {item("kanban", t("lists.viewMode.kanban"))}
    </div>
  );
}
