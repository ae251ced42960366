import { useEffect, useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { maxDependencies } from "../../../shared/schemas/task.ts";
import { useRecordList } from "../../api/records.ts";
import { Button } from "../../components/Button.tsx";
import { inputClass } from "../../components/Field.tsx";
import { unfinishedStatuses } from "./task-filters.ts";
import type { TaskRow } from "./tasks.api.ts";

type Summary = { id: string; title: string };

type DependencyPickerProps = {
  value: string[];
  onChange: (ids: string[]) => void;
  /** The task being edited: it cannot depend on itself. */
  taskId?: string | undefined;
  /** Titles of the dependencies the task already has. */
  known?: readonly Summary[] | undefined;
  error?: string | undefined;
};

/** Chooses the tasks this one waits for: the chosen ones as removable chips, and a search among unfinished tasks. */
export function DependencyPicker({ value, onChange, taskId, known = [], error }: DependencyPickerProps) {
  const { t } = useTranslation();
  const id = useId();
  const [query, setQuery] = useState("");
  const [searched, setSearched] = useState("");
  const [titles, setTitles] = useState<Record<string, string>>(() =>
    Object.fromEntries(known.map((t) => [t.id, t.title])),
  );
  useEffect(() => {
    const timer = setTimeout(() => setSearched(query), 250);
    return () => clearTimeout(timer);
  }, [query]);
  const candidates = useRecordList<TaskRow>("tasks", {
    q: searched,
    filters: [{ field: "status", op: "in", value: unfinishedStatuses }],
    sort: "dueAt",
    limit: 20,
  });
  const choices = (candidates.data?.data ?? []).filter((task) => task.id !== taskId && !value.includes(task.id));

  const add = (task: Summary) => {
    setTitles((all) => ({ ...all, [task.id]: task.title }));
    onChange([...value, task.id]);
  };

  return (
    <fieldset className="flex flex-col gap-1.5" aria-describedby={error ? `${id}-error` : undefined}>
      <legend className="mb-1 text-sm font-medium text-slate-700 dark:text-slate-200">
        {t("tasks.picker.legend")}
      </legend>
      {value.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">{t("tasks.picker.none")}</p>
      ) : (
        <ul className="flex flex-wrap gap-1.5" aria-label={t("tasks.picker.chosen")}>
          {value.map((dependencyId) => {
            const title = titles[dependencyId] ?? t("tasks.picker.unknownTask");
            return (
              <li
                key={dependencyId}
                className="inline-flex items-center gap-1 rounded-full bg-slate-100 py-0.5 pr-1 pl-2.5 text-sm dark:bg-slate-800"
              >
                {title}
                <button
                  type="button"
                  aria-label={t("tasks.picker.remove", { title })}
                  className="rounded-full px-1.5 text-slate-600 hover:bg-slate-200 dark:text-slate-300 dark:hover:bg-slate-700"
                  onClick={() => onChange(value.filter((v) => v !== dependencyId))}
                >
                  ×
                </button>
              </li>
            );
          })}
        </ul>
      )}
      {value.length < maxDependencies && (
        <>
          <input
            type="search"
            aria-label={t("tasks.picker.find")}
            placeholder={t("tasks.picker.findPlaceholder")}
            className={inputClass}
            value={query}
            onChange={(e) => setQuery(e.target.value)}
          />
          <ul
            className="max-h-36 overflow-y-auto rounded-md border border-slate-200 dark:border-slate-700"
            aria-label={t("tasks.picker.candidates")}
          >
            {candidates.isPending ? (
              <li className="p-2 text-sm text-slate-600 dark:text-slate-400">{t("tasks.picker.loading")}</li>
            ) : choices.length === 0 ? (
              <li className="p-2 text-sm text-slate-600 dark:text-slate-400">
                {searched ? t("tasks.picker.noMatch") : t("tasks.picker.noOthers")}
              </li>
            ) : (
              choices.map((task) => (
                <li
                  key={task.id}
                  className="flex items-center justify-between gap-2 border-b border-slate-100 px-2 py-1 last:border-b-0 dark:border-slate-800"
                >
                  <span className="min-w-0 truncate text-sm">{task.title}</span>
                  <Button
                    size="sm"
                    variant="ghost"
                    aria-label={t("tasks.picker.add", { title: task.title })}
                    onClick={() => add(task)}
                  >
                    {t("common.add")}
                  </Button>
                </li>
              ))
            )}
          </ul>
        </>
      )}
      {error && (
        <p id={`${id}-error`} role="alert" className="text-sm text-red-700 dark:text-red-400">
          {error}
        </p>
      )}
    </fieldset>
  );
}
