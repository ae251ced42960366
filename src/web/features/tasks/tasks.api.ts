import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import type { Task } from "../../../shared/schemas/task.ts";
import { ApiProblem, apiRequest } from "../../api/client.ts";
import { invalidateCollection, listUpTo, recordKeys, type ListFilter } from "../../api/records.ts";
import type { Wire } from "../../api/wire.ts";
import { t } from "../../i18n/i18n.ts";
import { toastWithUndo } from "../../lib/undo.ts";
import { calendarFilters } from "./task-filters.ts";

export type TaskRow = Wire<Task>;

/** The task relations list pages and record panels embed. */
export const taskIncludes = "assignee,dependencies,contact,lead,deal,company";

/** Puts task titles in place of the task ids a server message names ("depends on first: <id>"). */
export function withTaskTitles(message: string, tasks: readonly { id: string; title: string }[]): string {
  return tasks.reduce((text, task) => text.replaceAll(task.id, `“${task.title}”`), message);
}

function setStatus(task: TaskRow, isDone: boolean) {
  return apiRequest<TaskRow>(`/tasks/${task.id}/${isDone ? "complete" : "reopen"}`, {
    method: "POST",
    ifMatch: task.version,
  });
}

/**
 * Completes or reopens a task (POST /tasks/:id/complete | reopen, with If-Match). A task blocked by
 * open dependencies is refused by the server; its reason is shown with the dependencies' titles.
 */
export function useTaskCompletion() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ task, isDone }: { task: TaskRow; isDone: boolean }) => setStatus(task, isDone),
    onSuccess: (saved, { task, isDone }) => {
      if (isDone)
        toastWithUndo(t("tasks.completion.completed", { title: task.title }), () =>
          setStatus(saved, false).then(() => invalidateCollection(client, "tasks")),
        );
      else toast.success(t("tasks.completion.reopened", { title: task.title }));
    },
    onError: (error, { task }) => {
      const message = error instanceof ApiProblem && error.isStale ? t("tasks.completion.stale") : error.message;
      toast.error(withTaskTitles(message, task.dependencies ?? []));
    },
    onSettled: () => invalidateCollection(client, "tasks"),
  });
}

/** The most tasks a calendar reads for the weeks it shows (five pages of 200); past it, it says so. */
export const calendarTaskLimit = 1_000;

/**
 * The tasks due in a calendar's weeks that the list's search and filters match, by due time:
 * every page of them, up to `calendarTaskLimit` (`isComplete` says whether that was all). Under the
 * tasks' query key, so any change to a task reads them again.
 */
export function useTasksDue(
  params: { filters: readonly ListFilter[]; q: string },
  range: { start: string; end: string },
) {
  const filters = calendarFilters(params.filters, range);
  const query = { filters, q: params.q, sort: "dueAt" };
  return useQuery({
    queryKey: [...recordKeys.all("tasks"), "calendar", query],
    queryFn: ({ signal }) => listUpTo<TaskRow>("tasks", query, calendarTaskLimit, signal),
  });
}
