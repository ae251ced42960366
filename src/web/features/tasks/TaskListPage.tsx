import { useNavigate, useSearch } from "@tanstack/react-router";
import { useCallback, useMemo, useState } from "react";
import type { ListFilter } from "../../api/records.ts";
import type { ListSearch } from "../lists/list-search.ts";
import { ListPage } from "../lists/ListPage.tsx";
import { taskColumns, taskFilterFields } from "./tasks.columns.tsx";
import { taskIncludes, type TaskRow } from "./tasks.api.ts";
import { TaskDialog } from "./TaskDialog.tsx";
import { TaskQuickFilters } from "./TaskQuickFilters.tsx";

/** All tasks: quick filters (mine, due today, overdue, done), done checkboxes, dependencies, bulk assign. */
export function TaskListPage() {
  const search = useSearch({ from: "/app/tasks" });
  const navigate = useNavigate();
  const [editing, setEditing] = useState<TaskRow | "new" | null>(null);
  const openCreate = useCallback(() => setEditing("new"), []);
  const columns = useMemo(() => taskColumns(setEditing), []);
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
        title="Tasks"
        noun={{ one: "task", other: "tasks" }}
        collection="tasks"
        search={search}
        columns={columns}
        filterFields={taskFilterFields}
        defaultSort="-completedAt,dueAt"
        include={taskIncludes}
        recordPath={(task) => `/tasks/${task.id}`}
        onCreate={openCreate}
        createLabel="New task"
        assignLabel="Assignee"
        ownerField="assigneeId"
        actions={<TaskQuickFilters filters={search.filters ?? []} onChange={setFilters} />}
      />
      <TaskDialog
        open={editing !== null}
        onOpenChange={(open) => !open && setEditing(null)}
        task={editing === "new" ? undefined : (editing ?? undefined)}
      />
    </>
  );
}
