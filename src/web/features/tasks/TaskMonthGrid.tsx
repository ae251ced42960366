import { useState } from "react";
import { useTranslation } from "react-i18next";
import { dayName, weekdayNames, type CalendarDay, type Weekday } from "../../lib/calendar.ts";
import { TaskCalendarEntry } from "./TaskCalendarEntry.tsx";
import type { TaskRow } from "./tasks.api.ts";

/** Tasks a day shows before "+N more". */
const tasksPerDay = 3;

type TaskMonthGridProps = {
  weeks: CalendarDay[][];
  firstDay: Weekday;
  tasksByDay: ReadonlyMap<string, TaskRow[]>;
  /** The id of the month's heading, which names the table. */
  labelledBy: string;
};

/**
 * A month as a table: a column per day of the week (headers with the days' full names for screen
 * readers), a row per week, each day with its tasks by due time. A day with more than three shows
 * "+N more", which shows them all in place. Today is marked (`aria-current="date"`).
 */
export function TaskMonthGrid({ weeks, firstDay, tasksByDay, labelledBy }: TaskMonthGridProps) {
  const { i18n } = useTranslation();
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const toggle = (date: string) =>
    setExpanded((days) => {
      const next = new Set(days);
      if (!next.delete(date)) next.add(date);
      return next;
    });
  return (
    <table aria-labelledby={labelledBy} className="w-full table-fixed border-collapse">
      <thead>
        <tr>
          {weekdayNames(i18n.language, firstDay).map((name) => (
            <th
              key={name.long}
              scope="col"
              className="border-b border-slate-200 px-1 py-1.5 text-left text-xs font-semibold text-slate-700 uppercase dark:border-slate-700 dark:text-slate-300"
            >
              <span aria-hidden="true">{name.short}</span>
              <span className="sr-only">{name.long}</span>
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {weeks.map((week) => (
          <tr key={week[0]?.date}>
            {week.map((day) => (
              <GridDay
                key={day.date}
                day={day}
                tasks={tasksByDay.get(day.date) ?? []}
                isExpanded={expanded.has(day.date)}
                onToggle={() => toggle(day.date)}
              />
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

type GridDayProps = { day: CalendarDay; tasks: TaskRow[]; isExpanded: boolean; onToggle: () => void };

function GridDay({ day, tasks, isExpanded, onToggle }: GridDayProps) {
  const { t, i18n } = useTranslation();
  const shown = isExpanded ? tasks : tasks.slice(0, tasksPerDay);
  const hiddenCount = tasks.length - tasksPerDay;
  const name = dayName(day.date, i18n.language);
  return (
    <td
      aria-current={day.isToday ? "date" : undefined}
      className={`h-28 border border-slate-200 align-top dark:border-slate-700 ${
        day.isToday
          ? "bg-accent-50 dark:bg-slate-800"
          : day.isInMonth
            ? "bg-white dark:bg-slate-950"
            : "bg-slate-50 dark:bg-slate-900"
      }`}
    >
      <div className="flex flex-col gap-0.5 p-1">
        <span
          className={`inline-flex size-6 items-center justify-center rounded-full text-sm ${
            day.isToday
              ? "bg-accent-600 font-semibold text-white dark:bg-sky-400 dark:text-slate-950"
              : day.isInMonth
                ? "text-slate-900 dark:text-slate-100"
                : "text-slate-600 dark:text-slate-400"
          }`}
        >
          <span aria-hidden="true">{Number(day.date.slice(8))}</span>
          <span className="sr-only">{day.isToday ? t("tasks.calendar.todayIs", { day: name }) : name}</span>
        </span>
        {shown.length > 0 && (
          <ul className="flex min-w-0 flex-col">
            {shown.map((task) => (
              <li key={task.id} className="min-w-0">
                <TaskCalendarEntry task={task} isCompact />
              </li>
            ))}
          </ul>
        )}
        {hiddenCount > 0 && (
          <button
            type="button"
            aria-expanded={isExpanded}
            // The names start with the visible words, so speech input finds the button by them.
            aria-label={
              isExpanded
                ? t("tasks.calendar.fewerLabel", { day: name })
                : t("tasks.calendar.moreLabel", { count: hiddenCount, day: name })
            }
            onClick={onToggle}
            className="self-start rounded px-1 text-xs font-medium text-slate-700 hover:bg-slate-100 hover:underline dark:text-slate-300 dark:hover:bg-slate-800"
          >
            {isExpanded ? t("tasks.calendar.fewer") : t("tasks.calendar.more", { count: hiddenCount })}
          </button>
        )}
      </div>
    </td>
  );
}
