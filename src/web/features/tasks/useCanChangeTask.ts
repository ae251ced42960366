import type { Action } from "../../../shared/permissions.ts";
import { useCan } from "../auth/session.ts";
import type { TaskRow } from "./tasks.api.ts";

/**
 * Whether the signed-in user may change (or delete) a task: agents only tasks assigned to them or
 * created by them, as the server enforces; other roles per the shared permissions table.
 */
export function useCanChangeTask(): (
  action: Extract<Action, "update" | "delete">,
  task?: Pick<TaskRow, "assigneeId" | "createdBy">,
) => boolean {
  const can = useCan();
  return (action, task) => {
    if (!task) return can(action, "task");
    return can(action, "task", { ownerId: task.assigneeId }) || can(action, "task", { ownerId: task.createdBy });
  };
}
