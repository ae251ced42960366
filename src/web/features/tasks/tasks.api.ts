import { useMutation, useQueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import type { Task } from "../../../shared/schemas/task.ts";
import { ApiProblem, apiRequest } from "../../api/client.ts";
import { invalidateCollection } from "../../api/records.ts";
import type { Wire } from "../../api/wire.ts";
import { t } from "../../i18n/i18n.ts";
import { toastWithUndo } from "../../lib/undo.ts";

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
