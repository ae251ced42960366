import { sql } from "drizzle-orm";
import { foreignKey, index, pgTable, primaryKey, text, uuid } from "drizzle-orm/pg-core";
import { customColumn, recordColumns, timestamptz, tsvector } from "../../db/columns.ts";
import { companies } from "../companies/companies.table.ts";
import { contacts } from "../contacts/contacts.table.ts";
import { deals } from "../deals/deals.table.ts";
import { leads } from "../leads/leads.table.ts";
import { memberReference } from "../users/users.table.ts";

/** Something someone must do, by a date, possibly after other tasks. */
export const tasks = pgTable(
  "tasks",
  {
    ...recordColumns(),
    title: text().notNull(),
    description: text(),
    dueAt: timestamptz(),
    priority: text({ enum: ["low", "medium", "high"] })
      .notNull()
      .default("medium"),
    status: text({ enum: ["open", "in_progress", "completed"] })
      .notNull()
      .default("open"),
    completedAt: timestamptz(),
    assigneeId: uuid(),
    remindAt: timestamptz(),
    /** Set by the reminder job once the reminder went out. */
    remindedAt: timestamptz(),
    contactId: uuid(),
    leadId: uuid(),
    dealId: uuid(),
    companyId: uuid(),
    custom: customColumn(),
    searchVector: tsvector().generatedAlwaysAs(sql`to_tsvector('simple', title || ' ' || coalesce(description, ''))`),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    memberReference("tasks_assignee_fk", t.workspaceId, t.assigneeId),
    foreignKey({
      name: "tasks_contact_fk",
      columns: [t.workspaceId, t.contactId],
      foreignColumns: [contacts.workspaceId, contacts.id],
    }),
    foreignKey({
      name: "tasks_lead_fk",
      columns: [t.workspaceId, t.leadId],
      foreignColumns: [leads.workspaceId, leads.id],
    }),
    foreignKey({
      name: "tasks_deal_fk",
      columns: [t.workspaceId, t.dealId],
      foreignColumns: [deals.workspaceId, deals.id],
    }),
    foreignKey({
      name: "tasks_company_fk",
      columns: [t.workspaceId, t.companyId],
      foreignColumns: [companies.workspaceId, companies.id],
    }),
    index("tasks_workspace_id_created_at_id_idx")
      .on(t.workspaceId, t.createdAt, t.id)
      .where(sql`deleted_at is null`),
    index("tasks_workspace_id_updated_at_id_idx")
      .on(t.workspaceId, t.updatedAt, t.id)
      .where(sql`deleted_at is null`),
    index("tasks_workspace_id_due_at_id_idx")
      .on(t.workspaceId, t.dueAt, t.id)
      .where(sql`deleted_at is null`),
    index("tasks_workspace_id_assignee_id_due_at_idx")
      .on(t.workspaceId, t.assigneeId, t.dueAt, t.id)
      .where(sql`deleted_at is null`),
    index("tasks_workspace_id_status_due_at_idx")
      .on(t.workspaceId, t.status, t.dueAt)
      .where(sql`deleted_at is null`),
    index("tasks_workspace_id_assignee_id_id_idx")
      .on(t.workspaceId, t.assigneeId, t.id)
      .where(sql`deleted_at is null`),
    index("tasks_workspace_id_title_id_idx")
      .on(t.workspaceId, t.title, t.id)
      .where(sql`deleted_at is null`),
    index("tasks_workspace_id_status_id_idx")
      .on(t.workspaceId, t.status, t.id)
      .where(sql`deleted_at is null`),
    index("tasks_workspace_id_priority_id_idx")
      .on(t.workspaceId, t.priority, t.id)
      .where(sql`deleted_at is null`),
    // The default order: unfinished first (completed_at null sorts first descending), soonest due first.
    index("tasks_workspace_id_completed_at_due_at_id_idx")
      .on(t.workspaceId, t.completedAt.desc().nullsFirst(), t.dueAt, t.id)
      .where(sql`deleted_at is null`),
    index("tasks_remind_at_idx")
      .on(t.remindAt)
      .where(sql`reminded_at is null and deleted_at is null and status <> 'completed'`),
    index("tasks_workspace_id_contact_id_idx")
      .on(t.workspaceId, t.contactId)
      .where(sql`contact_id is not null`),
    index("tasks_workspace_id_lead_id_idx")
      .on(t.workspaceId, t.leadId)
      .where(sql`lead_id is not null`),
    index("tasks_workspace_id_deal_id_idx")
      .on(t.workspaceId, t.dealId)
      .where(sql`deal_id is not null`),
    index("tasks_workspace_id_company_id_idx")
      .on(t.workspaceId, t.companyId)
      .where(sql`company_id is not null`),
    index("tasks_workspace_id_deleted_at_idx")
      .on(t.workspaceId, t.deletedAt)
      .where(sql`deleted_at is not null`),
    index("tasks_search_vector_idx").using("gin", t.searchVector),
  ],
);

/** "task_id cannot be completed before depends_on_id is." */
export const taskDependencies = pgTable(
  "task_dependencies",
  {
    workspaceId: uuid().notNull(),
    taskId: uuid().notNull(),
    dependsOnId: uuid().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.taskId, t.dependsOnId] }),
    foreignKey({
      name: "task_dependencies_task_fk",
      columns: [t.workspaceId, t.taskId],
      foreignColumns: [tasks.workspaceId, tasks.id],
    }).onDelete("cascade"),
    foreignKey({
      name: "task_dependencies_depends_on_fk",
      columns: [t.workspaceId, t.dependsOnId],
      foreignColumns: [tasks.workspaceId, tasks.id],
    }).onDelete("cascade"),
    index("task_dependencies_workspace_id_depends_on_id_idx").on(t.workspaceId, t.dependsOnId),
  ],
);
