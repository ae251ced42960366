import type { ListFilter } from "../../api/records.ts";
import { mineFilter, quickFilterOf, todayRange, unfinishedStatuses } from "../tasks/task-filters.ts";

/** The list filters behind each dashboard figure, so a click shows exactly the records counted. */

export const openLeadStatuses = "new,contacted,qualified";

export const leadFilters = {
  open: (): ListFilter[] => [{ field: "status", op: "in", value: openLeadStatuses }],
  status: (status: string): ListFilter[] => [{ field: "status", op: "eq", value: status }],
};

export const dealFilters = {
  open: (): ListFilter[] => [{ field: "status", op: "eq", value: "open" }],
  stage: (stageId: string): ListFilter[] => [{ field: "stageId", op: "eq", value: stageId }],
};

export const contactFilters = {
  createdSince: (from: string): ListFilter[] => [{ field: "createdAt", op: "gte", value: from }],
};

export const activityFilters = {
  since: (from: string, type?: string): ListFilter[] => [
    { field: "occurredAt", op: "gte", value: from },
    ...(type ? [{ field: "type", op: "eq", value: type }] : []),
  ],
};

const mine = (filters: ListFilter[], isMine: boolean) => (isMine ? [...filters, mineFilter] : filters);

export const taskFilters = {
  open: (isMine = false): ListFilter[] => mine(quickFilterOf("open"), isMine),
  overdue: (isMine = false): ListFilter[] => mine(quickFilterOf("overdue"), isMine),
  /** As the server counts it: unfinished, due from now to the end of today. */
  dueToday: (isMine = false): ListFilter[] =>
    mine(
      [
        { field: "dueAt", op: "gte", value: "now" },
        { field: "dueAt", op: "lt", value: todayRange().end },
        { field: "status", op: "in", value: unfinishedStatuses },
      ],
      isMine,
    ),
  one: (id: string): ListFilter[] => [{ field: "id", op: "eq", value: id }],
};
