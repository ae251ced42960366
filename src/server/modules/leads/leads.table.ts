import { sql } from "drizzle-orm";
import {
  boolean,
  char,
  foreignKey,
  index,
  integer,
  numeric,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import {
  customColumn,
  lastActivityOrder,
  recordColumns,
  tagsDefault,
  timestamptz,
  tsvector,
} from "../../db/columns.ts";
import { companies } from "../companies/companies.table.ts";
import { contacts } from "../contacts/contacts.table.ts";
import { memberReference } from "../users/users.table.ts";

export const leadStatuses = ["new", "contacted", "qualified", "converted", "lost"] as const;

/** A sales or admissions opportunity before it is qualified into a deal. */
export const leads = pgTable(
  "leads",
  {
    ...recordColumns(),
    title: text().notNull(),
    status: text({ enum: leadStatuses }).notNull().default("new"),
    priority: text({ enum: ["low", "medium", "high"] })
      .notNull()
      .default("medium"),
    estimatedValue: numeric({ precision: 14, scale: 2 }),
    currency: char({ length: 3 }),
    source: text(),
    score: integer().notNull().default(0),
    ownerId: uuid(),
    lostReason: text(),
    companyId: uuid(),
    /** The deal this lead became; set by conversion. */
    dealId: uuid(),
    convertedAt: timestamptz(),
    tags: text().array().notNull().default(tagsDefault),
    custom: customColumn(),
    /**
     * The latest occurred_at of its live activities, null without any: kept by triggers on
     * activities (migration 0032), never written by the application.
     */
    lastActivityAt: timestamptz(),
    searchText: text().generatedAlwaysAs(sql`lower(title || ' ' || coalesce(source, ''))`),
    searchVector: tsvector().generatedAlwaysAs(sql`to_tsvector('simple', title || ' ' || coalesce(source, ''))`),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    memberReference("leads_owner_fk", t.workspaceId, t.ownerId),
    foreignKey({
      name: "leads_company_fk",
      columns: [t.workspaceId, t.companyId],
      foreignColumns: [companies.workspaceId, companies.id],
    }),
    index("leads_workspace_id_created_at_id_idx")
      .on(t.workspaceId, t.createdAt, t.id)
      .where(sql`deleted_at is null`),
    index("leads_workspace_id_updated_at_id_idx")
      .on(t.workspaceId, t.updatedAt, t.id)
      .where(sql`deleted_at is null`),
    index("leads_workspace_id_status_created_at_id_idx")
      .on(t.workspaceId, t.status, t.createdAt, t.id)
      .where(sql`deleted_at is null`),
    index("leads_workspace_id_score_id_idx")
      .on(t.workspaceId, t.score, t.id)
      .where(sql`deleted_at is null`),
    index("leads_workspace_id_owner_id_created_at_id_idx")
      .on(t.workspaceId, t.ownerId, t.createdAt, t.id)
      .where(sql`deleted_at is null`),
    index("leads_workspace_id_owner_id_id_idx")
      .on(t.workspaceId, t.ownerId, t.id)
      .where(sql`deleted_at is null`),
    index("leads_workspace_id_title_id_idx")
      .on(t.workspaceId, t.title, t.id)
      .where(sql`deleted_at is null`),
    index("leads_workspace_id_status_id_idx")
      .on(t.workspaceId, t.status, t.id)
      .where(sql`deleted_at is null`),
    index("leads_workspace_id_priority_id_idx")
      .on(t.workspaceId, t.priority, t.id)
      .where(sql`deleted_at is null`),
    index("leads_workspace_id_estimated_value_id_idx")
      .on(t.workspaceId, t.estimatedValue, t.id)
      .where(sql`deleted_at is null`),
    // Relation filters (migration 0026): a company's leads, the lead of a deal.
    index("leads_workspace_id_company_id_id_idx")
      .on(t.workspaceId, t.companyId, t.id)
      .where(sql`deleted_at is null`),
    index("leads_workspace_id_deal_id_idx")
      .on(t.workspaceId, t.dealId)
      .where(sql`deal_id is not null and deleted_at is null`),
    index("leads_workspace_id_last_activity_id_idx")
      .on(t.workspaceId, lastActivityOrder(t.lastActivityAt), t.id)
      .where(sql`deleted_at is null`),
    index("leads_workspace_id_deleted_at_idx")
      .on(t.workspaceId, t.deletedAt)
      .where(sql`deleted_at is not null`),
    index("leads_search_text_idx").using("gin", sql`${t.searchText} gin_trgm_ops`),
    index("leads_search_vector_idx").using("gin", t.searchVector),
    index("leads_tags_idx").using("gin", t.tags),
  ],
);

/** The contacts of a lead; at most one is primary. */
export const leadContacts = pgTable(
  "lead_contacts",
  {
    workspaceId: uuid().notNull(),
    leadId: uuid().notNull(),
    contactId: uuid().notNull(),
    isPrimary: boolean().notNull().default(false),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.leadId, t.contactId] }),
    foreignKey({
      name: "lead_contacts_lead_fk",
      columns: [t.workspaceId, t.leadId],
      foreignColumns: [leads.workspaceId, leads.id],
    }).onDelete("cascade"),
    foreignKey({
      name: "lead_contacts_contact_fk",
      columns: [t.workspaceId, t.contactId],
      foreignColumns: [contacts.workspaceId, contacts.id],
    }),
    uniqueIndex("lead_contacts_workspace_id_lead_id_primary_idx")
      .on(t.workspaceId, t.leadId)
      .where(sql`is_primary`),
    index("lead_contacts_workspace_id_contact_id_idx").on(t.workspaceId, t.contactId),
  ],
);

/** Every status change of a lead, in order: who, when, from, to and why. */
export const leadStatusChanges = pgTable(
  "lead_status_changes",
  {
    workspaceId: uuid().notNull(),
    id: uuid().notNull(),
    leadId: uuid().notNull(),
    fromStatus: text({ enum: leadStatuses }),
    toStatus: text({ enum: leadStatuses }).notNull(),
    reason: text(),
    changedBy: uuid(),
    changedAt: timestamptz().notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    foreignKey({
      name: "lead_status_changes_lead_fk",
      columns: [t.workspaceId, t.leadId],
      foreignColumns: [leads.workspaceId, leads.id],
    }).onDelete("cascade"),
    index("lead_status_changes_workspace_id_lead_id_idx").on(t.workspaceId, t.leadId, t.changedAt),
  ],
);
