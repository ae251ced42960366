import { useNavigate, useSearch } from "@tanstack/react-router";
import { useCallback, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import type { ListFilter } from "../../api/records.ts";
import type { ListSearch } from "../lists/list-search.ts";
import { ListPage } from "../lists/ListPage.tsx";
import { ViewModeSwitch } from "../lists/ViewModeSwitch.tsx";
import { taskColumns, taskFilterFields } from "./tasks.columns.tsx";
import { taskIncludes, type TaskRow } from "./tasks.api.ts";
import { TaskCalendar } from "./TaskCalendar.tsx";
import { TaskDialog } from "./TaskDialog.tsx";
import { TaskQuickFilters } from "./TaskQuickFilters.tsx";

/**
 * All tasks, as a list or as a calendar of due days (`mode=calendar`, with `month`): quick filters
 * (open, due today, overdue, done) beside the list's presets ("My records": assigned to me), done
 * checkboxes, dependencies, bulk assign. The calendar shows the tasks the same filters and search
 * match.
 */
export function TaskListPage() {
  const search = useSearch({ from: "/app/tasks" });
  const navigate = useNavigate();
  const { t, i18n } = useTranslation();
  const [editing, setEditing] = useState<TaskRow | "new" | null>(null);
  const openCreate = useCallback(() => setEditing("new"), []);
  // Headers and labels are in the current language: computed again when it changes.
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the language is what the words depend on
  const columns = useMemo(() => taskColumns(setEditing), [i18n.language]);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- likewise
  const filterFields = useMemo(() => taskFilterFields(), [i18n.language]);
  const setMode = (mode: "table" | "calendar") =>
    void navigate({
      to: "/tasks",
      search: (previous: ListSearch) => ({
        ...previous,
        mode: mode === "calendar" ? mode : undefined,
        month: mode === "calendar" ? previous.month : undefined,
      }),
    });
  const month = search.month;
  const calendar = useCallback(
    ({ filters, q }: { filters: ListFilter[]; q: string }) => (
      <TaskCalendar
        filters={filters}
        q={q}
        month={month}
        onMonthChange={(next) =>
          void navigate({ to: "/tasks", search: (previous: ListSearch) => ({ ...previous, month: next }) })
        }
      />
    ),
    [month, navigate],
  );
  const setFilters = (filters: ListFilter[]) =>
    void navigate({
      to: "/tasks",
      search: (previous: ListSearch) => ({
        ...previous,
        view: undefined,
        filters: filters.length ? filters : undefined,
      }),
    });

  return (
    <>
      <ListPage<TaskRow>
        title={t("tasks.list.title")}
        noun={{ one: t("tasks.list.nounOne"), other: t("tasks.list.nounOther") }}
        collection="tasks"
        search={search}
        columns={columns}
        filterFields={filterFields}
        defaultSort="-completedAt,dueAt"
        include={taskIncludes}
        recordPath={(task) => `/tasks/${task.id}`}
        onCreate={openCreate}
        createLabel={t("tasks.list.create")}
        assignLabel={t("tasks.list.assignee")}
        ownerField="assigneeId"
        actions={
          <>
            <ViewModeSwitch
              mode={search.mode === "calendar" ? "calendar" : "table"}
              onChange={setMode}
              choices={[
                { mode: "table", label: t("tasks.calendar.list") },
                { mode: "calendar", label: t("tasks.calendar.calendar") },
              ]}
            />
            <TaskQuickFilters filters={search.filters ?? []} onChange={setFilters} />
          </>
        }
        board={calendar}
        boardMode="calendar"
      />
      <TaskDialog
        open={editing !== null}
        onOpenChange={(open) => !open && setEditing(null)}
        task={editing === "new" ? undefined : (editing ?? undefined)}
      />
    </>
  );
}
