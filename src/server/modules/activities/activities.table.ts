import { sql } from "drizzle-orm";
import { foreignKey, index, integer, pgTable, primaryKey, text, uuid } from "drizzle-orm/pg-core";
import { customColumn, recordColumns, timestamptz, tsvector } from "../../db/columns.ts";
import { companies } from "../companies/companies.table.ts";
import { contacts } from "../contacts/contacts.table.ts";
import { deals } from "../deals/deals.table.ts";
import { leads } from "../leads/leads.table.ts";

/** A call, e-mail, meeting, note or other type of the workspace, linked to the records it concerns. */
export const activities = pgTable(
  "activities",
  {
    ...recordColumns(),
    /** A key of the workspace's activity types (workspace_settings.activity_types) when it was logged. */
    type: text().notNull(),
    subject: text().notNull(),
    /** Markdown; rendered safely by clients. */
    body: text(),
    direction: text({ enum: ["inbound", "outbound"] }),
    occurredAt: timestamptz().notNull(),
    durationMinutes: integer(),
    outcome: text(),
    contactId: uuid(),
    leadId: uuid(),
    dealId: uuid(),
    companyId: uuid(),
    custom: customColumn(),
    searchVector: tsvector().generatedAlwaysAs(sql`to_tsvector('simple', subject || ' ' || coalesce(body, ''))`),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    foreignKey({
      name: "activities_contact_fk",
      columns: [t.workspaceId, t.contactId],
      foreignColumns: [contacts.workspaceId, contacts.id],
    }),
    foreignKey({
      name: "activities_lead_fk",
      columns: [t.workspaceId, t.leadId],
      foreignColumns: [leads.workspaceId, leads.id],
    }),
    foreignKey({
      name: "activities_deal_fk",
      columns: [t.workspaceId, t.dealId],
      foreignColumns: [deals.workspaceId, deals.id],
    }),
    foreignKey({
      name: "activities_company_fk",
      columns: [t.workspaceId, t.companyId],
      foreignColumns: [companies.workspaceId, companies.id],
    }),
    index("activities_workspace_id_occurred_at_id_idx")
      .on(t.workspaceId, t.occurredAt, t.id)
      .where(sql`deleted_at is null`),
    index("activities_workspace_id_created_at_id_idx")
      .on(t.workspaceId, t.createdAt, t.id)
      .where(sql`deleted_at is null`),
    // "My records" on activities: the ones a member logged (migration 0026).
    index("activities_workspace_id_created_by_occurred_at_idx")
      .on(t.workspaceId, t.createdBy, t.occurredAt, t.id)
      .where(sql`deleted_at is null`),
    // Timelines: a record's activities, newest first.
    index("activities_workspace_id_contact_id_occurred_at_idx")
      .on(t.workspaceId, t.contactId, t.occurredAt, t.id)
      .where(sql`contact_id is not null`),
    index("activities_workspace_id_lead_id_occurred_at_idx")
      .on(t.workspaceId, t.leadId, t.occurredAt, t.id)
      .where(sql`lead_id is not null`),
    index("activities_workspace_id_deal_id_occurred_at_idx")
      .on(t.workspaceId, t.dealId, t.occurredAt, t.id)
      .where(sql`deal_id is not null`),
    index("activities_workspace_id_company_id_occurred_at_idx")
      .on(t.workspaceId, t.companyId, t.occurredAt, t.id)
      .where(sql`company_id is not null`),
    index("activities_workspace_id_deleted_at_idx")
      .on(t.workspaceId, t.deletedAt)
      .where(sql`deleted_at is not null`),
    index("activities_search_vector_idx").using("gin", t.searchVector),
  ],
);
