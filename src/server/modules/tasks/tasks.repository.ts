import type { SQL } from "drizzle-orm";
import { attachUserSummaries, membersByName } from "../users/index.ts";
import type { CreateTask, Task, UpdateTask } from "../../../shared/schemas/task.ts";
import { taskPriorities, taskStatuses } from "../../../shared/schemas/task.ts";
import type { Transaction } from "../../db/client.ts";
import { countRows, listPage, type ListRequest, type ListSpec } from "../../db/listing.ts";
import { visibleRows, type Reader } from "../../lib/access.ts";
import { newId } from "../../lib/ids.ts";
import { attachLinkSummaries, linkIncludes } from "../records/records.summaries.ts";
import { loadDependsOn, loadTaskSummaries } from "./tasks.dependencies.ts";
import { tasks } from "./tasks.table.ts";

/** A tasks row as stored. */
export type TaskRow = typeof tasks.$inferSelect;

/**
 * How tasks are listed; overdue is `filter[dueAt][lt]=<now>&filter[status]=open,in_progress`. By
 * default unfinished tasks come first (completedAt empty: open and in progress alike), soonest due
 * first and those without a due date last; then completed ones, most recently completed first.
 */
export const tasksListSpec = {
  table: tasks,
  fields: {
    id: { column: tasks.id, type: "uuid" },
    title: { column: tasks.title, type: "text", sortable: true },
    status: { column: tasks.status, type: "enum", values: taskStatuses, sortable: true },
    priority: { column: tasks.priority, type: "enum", values: taskPriorities, sortable: true },
    assigneeId: { column: tasks.assigneeId, type: "uuid", acceptsMe: true, sortable: true, sortGroups: membersByName },
    dueAt: { column: tasks.dueAt, type: "timestamp", sortable: true },
    completedAt: { column: tasks.completedAt, type: "timestamp", sortable: true },
    remindAt: { column: tasks.remindAt, type: "timestamp" },
    contactId: { column: tasks.contactId, type: "uuid" },
    leadId: { column: tasks.leadId, type: "uuid" },
    dealId: { column: tasks.dealId, type: "uuid" },
    companyId: { column: tasks.companyId, type: "uuid" },
    createdAt: { column: tasks.createdAt, type: "timestamp", sortable: true },
    updatedAt: { column: tasks.updatedAt, type: "timestamp", sortable: true },
    createdBy: { column: tasks.createdBy, type: "uuid", acceptsMe: true },
  },
  defaultSort: "-completedAt,dueAt",
  search: { vector: tasks.searchVector, text: null },
  includes: ["assignee", "dependencies", ...linkIncludes],
  hiddenColumns: ["searchVector", "custom", "workspaceId", "remindedAt"],
} satisfies ListSpec;

/** Row (+ its dependency ids) → API object. */
export function toTask(row: TaskRow | Record<string, unknown>, dependsOn: string[]): Task {
  const r = row as TaskRow;
  // One plain literal, in the order of recordFieldsOf then the task's own fields: cheaper than a spread.
  return {
    id: r.id,
    version: r.version,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    createdBy: r.createdBy,
    deletedAt: r.deletedAt,
    title: r.title,
    description: r.description,
    dueAt: r.dueAt,
    priority: r.priority,
    status: r.status,
    completedAt: r.completedAt,
    assigneeId: r.assigneeId,
    dependsOn,
    remindAt: r.remindAt,
    contactId: r.contactId,
    leadId: r.leadId,
    dealId: r.dealId,
    companyId: r.companyId,
  };
}

const toDate = (value: string | null | undefined) =>
  value === undefined ? undefined : value === null ? null : new Date(value);

/** API input → column values: ISO strings become instants; dependsOn lives in its own table. */
export function toTaskColumns(input: UpdateTask): Partial<typeof tasks.$inferInsert> {
  const { title, description, priority, status, assigneeId, contactId, leadId, dealId, companyId } = input;
  const values = { title, description, priority, status, assigneeId, contactId, leadId, dealId, companyId };
  const columns = { ...values, dueAt: toDate(input.dueAt), remindAt: toDate(input.remindAt) };
  return Object.fromEntries(Object.entries(columns).filter(([, value]) => value !== undefined));
}

/** Inserts a task row (dependencies are written separately). */
export async function insertTask(
  tx: Transaction,
  workspaceId: string,
  createdBy: string,
  input: CreateTask & { assigneeId: string | null; completedAt: SQL | null },
): Promise<TaskRow> {
  const [row] = await tx
    .insert(tasks)
    .values({
      ...toTaskColumns(input),
      title: input.title,
      completedAt: input.completedAt,
      workspaceId,
      id: newId(),
      createdBy,
    })
    .returning();
  if (!row) throw new Error("task insert returned nothing");
  return row;
}

/** Rows → tasks, loading the dependency ids of all of them in one query. */
export async function withDependsOn(tx: Transaction, workspaceId: string, rows: (TaskRow | Record<string, unknown>)[]) {
  const byTask = await loadDependsOn(
    tx,
    workspaceId,
    rows.map((row) => String(row.id)),
  );
  return rows.map((row) => toTask(row, byTask.get(String(row.id)) ?? []));
}

/** One row → task, with its dependency ids. */
export async function withDependsOnOne(tx: Transaction, workspaceId: string, row: TaskRow): Promise<Task> {
  const byTask = await loadDependsOn(tx, workspaceId, [row.id]);
  return toTask(row, byTask.get(row.id) ?? []);
}

/** One page of tasks with their dependency ids and the includes asked for. */
export async function listTasks(tx: Transaction, workspaceId: string, request: ListRequest, reader: Reader = null) {
  const page = await listPage(tx, tasksListSpec, workspaceId, request);
  const data = await withDependsOn(tx, workspaceId, page.rows);
  await attachTaskIncludes(tx, workspaceId, data, request.include, reader);
  return { data, nextCursor: page.nextCursor };
}

/** How many tasks match the list filters. */
export function countTasks(tx: Transaction, workspaceId: string, request: ListRequest) {
  return countRows(tx, tasksListSpec, workspaceId, request);
}

/**
 * Embeds assignees, dependency summaries and linked records: one query per relation. Dependencies
 * and linked records `reader` may not see are left out (dependencies) or embedded as null.
 */
export async function attachTaskIncludes(
  tx: Transaction,
  workspaceId: string,
  items: Task[],
  include: string[],
  reader: Reader = null,
) {
  if (include.includes("assignee")) {
    await attachUserSummaries(
      tx,
      items,
      (t) => t.assigneeId,
      (t, assignee) => (t.assignee = assignee),
    );
  }
  if (include.includes("dependencies")) {
    const ids = [...new Set(items.flatMap((task) => task.dependsOn))];
    const summaries = await loadTaskSummaries(tx, workspaceId, ids, visibleRows("task", reader));
    const byId = new Map(summaries.map((row) => [row.id, row]));
    for (const task of items) task.dependencies = task.dependsOn.flatMap((id) => byId.get(id) ?? []);
  }
  await attachLinkSummaries(tx, workspaceId, items, include, reader);
}
