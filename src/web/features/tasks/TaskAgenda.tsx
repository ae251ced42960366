import { useTranslation } from "react-i18next";
import { EmptyState } from "../../components/Feedback.tsx";
import { dayName, monthName, type CalendarDay } from "../../lib/calendar.ts";
import { TaskCalendarEntry } from "./TaskCalendarEntry.tsx";
import type { TaskRow } from "./tasks.api.ts";

type TaskAgendaProps = {
  month: string;
  weeks: CalendarDay[][];
  tasksByDay: ReadonlyMap<string, TaskRow[]>;
};

/**
 * The calendar on a phone: the days of the month that have tasks due, each under its own heading,
 * with its tasks by due time; a seven-column grid would not fit.
 */
export function TaskAgenda({ month, weeks, tasksByDay }: TaskAgendaProps) {
  const { t, i18n } = useTranslation();
  const days = weeks.flat().filter((day) => day.isInMonth && tasksByDay.has(day.date));
  if (days.length === 0)
    return <EmptyState title={t("tasks.calendar.noneInMonth", { month: monthName(month, i18n.language) })} />;
  return (
    <ol className="flex flex-col gap-4">
      {days.map((day) => (
        <li key={day.date} aria-current={day.isToday ? "date" : undefined}>
          <h3
            className={`mb-1 border-b border-slate-200 pb-1 text-sm font-semibold dark:border-slate-700 ${
              day.isToday ? "text-accent-700 dark:text-sky-300" : ""
            }`}
          >
            {day.isToday
              ? t("tasks.calendar.todayIs", { day: dayName(day.date, i18n.language) })
              : dayName(day.date, i18n.language)}
          </h3>
          <ul className="flex flex-col gap-0.5">
            {(tasksByDay.get(day.date) ?? []).map((task) => (
              <li key={task.id}>
                <TaskCalendarEntry task={task} />
              </li>
            ))}
          </ul>
        </li>
      ))}
    </ol>
  );
}
