import { useId, useMemo } from "react";
import { useTranslation } from "react-i18next";
import type { ListFilter } from "../../api/records.ts";
import { Button } from "../../components/Button.tsx";
import { useIsNarrowScreen } from "../../components/data-table/use-narrow-screen.ts";
import { ErrorMessage, SkeletonRows } from "../../components/Feedback.tsx";
import {
  addMonths,
  dayName,
  dayOf,
  firstDayOfWeek,
  groupByDay,
  monthName,
  monthOf,
  monthWeeks,
  rangeOf,
} from "../../lib/calendar.ts";
import { formatNumber, formatPreferences } from "../../lib/format.ts";
import { calendarTaskLimit, useTasksDue } from "./tasks.api.ts";
import { TaskAgenda } from "./TaskAgenda.tsx";
import { TaskMonthGrid } from "./TaskMonthGrid.tsx";

type TaskCalendarProps = {
  /** The list's filters and search: the calendar shows the tasks they match. */
  filters: readonly ListFilter[];
  q: string;
  /** The month shown ("2025-03"); undefined: the current one. */
  month: string | undefined;
  /** Another month; undefined for the current one (the URL then follows today). */
  onMonthChange: (month: string | undefined) => void;
};

/**
 * The tasks page as a calendar: a month of tasks by due day, with the previous and next months and
 * Today. Days begin at midnight on the workspace's clock (its time zone, the one dates are shown
 * in). On a phone, an agenda of the days with tasks instead of the grid. Tasks without a due date
 * are left out, as a line under the month says.
 */
export function TaskCalendar({ filters, q, month, onMonthChange }: TaskCalendarProps) {
  const { t, i18n } = useTranslation();
  const headingId = useId();
  const isNarrow = useIsNarrowScreen();
  const timeZone = formatPreferences().timeZone;
  const now = new Date();
  const today = dayOf(now, timeZone);
  const currentMonth = monthOf(now, timeZone);
  const shown = month ?? currentMonth;
  const firstDay = firstDayOfWeek(i18n.language);
  const weeks = useMemo(() => monthWeeks(shown, firstDay, today), [shown, firstDay, today]);
  const range = useMemo(() => rangeOf(weeks, timeZone), [weeks, timeZone]);
  const tasks = useTasksDue({ filters, q }, range);
  const tasksByDay = useMemo(
    () => groupByDay(tasks.data?.data ?? [], (task) => task.dueAt, timeZone),
    [tasks.data, timeZone],
  );
  const lastRead = tasks.data?.data.at(-1)?.dueAt;
  const goTo = (next: string) => onMonthChange(next === currentMonth ? undefined : next);

  return (
    <section aria-labelledby={headingId} className="flex min-h-0 flex-1 flex-col gap-3 overflow-auto p-4">
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
        <h2 id={headingId} aria-live="polite" className="min-w-40 text-lg font-semibold">
          {monthName(shown, i18n.language)}
        </h2>
        <div role="group" aria-label={t("tasks.calendar.months")} className="flex items-center gap-1.5">
          <Button size="sm" aria-label={t("tasks.calendar.previous")} onClick={() => goTo(addMonths(shown, -1))}>
            <span aria-hidden="true">‹</span>
          </Button>
          <Button size="sm" onClick={() => onMonthChange(undefined)}>
            {t("tasks.calendar.today")}
          </Button>
          <Button size="sm" aria-label={t("tasks.calendar.next")} onClick={() => goTo(addMonths(shown, 1))}>
            <span aria-hidden="true">›</span>
          </Button>
        </div>
        <p className="text-sm text-slate-600 dark:text-slate-400">{t("tasks.calendar.noDueDate")}</p>
      </div>
      {tasks.data && !tasks.data.isComplete && lastRead && (
        <p
          role="status"
          className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100"
        >
          {t("tasks.calendar.tooMany", {
            limit: formatNumber(calendarTaskLimit),
            day: dayName(dayOf(lastRead, timeZone), i18n.language),
          })}
        </p>
      )}
      {tasks.isPending ? (
        <SkeletonRows rows={6} />
      ) : tasks.isError ? (
        <ErrorMessage error={tasks.error} onRetry={() => void tasks.refetch()} />
      ) : isNarrow ? (
        <TaskAgenda month={shown} weeks={weeks} tasksByDay={tasksByDay} />
      ) : (
        <TaskMonthGrid weeks={weeks} firstDay={firstDay} tasksByDay={tasksByDay} labelledBy={headingId} />
      )}
    </section>
  );
}
