import { sql } from "drizzle-orm";
import { char, date, foreignKey, index, integer, numeric, pgTable, primaryKey, text, uuid } from "drizzle-orm/pg-core";
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
import { leads } from "../leads/leads.table.ts";
import { pipelineStages, pipelines } from "../pipelines/pipelines.table.ts";
import { memberReference } from "../users/users.table.ts";

/** An opportunity moving through a pipeline; its status follows its stage. */
export const deals = pgTable(
  "deals",
  {
    ...recordColumns(),
    name: text().notNull(),
    value: numeric({ precision: 14, scale: 2 }).notNull().default("0"),
    currency: char({ length: 3 }).notNull(),
    pipelineId: uuid().notNull(),
    stageId: uuid().notNull(),
    status: text({ enum: ["open", "won", "lost"] })
      .notNull()
      .default("open"),
    probability: integer().notNull().default(0),
    expectedCloseDate: date({ mode: "string" }),
    actualCloseDate: date({ mode: "string" }),
    contactId: uuid(),
    companyId: uuid(),
    leadId: uuid(),
    ownerId: uuid(),
    /** Why a lost deal was lost (from the workspace's list, or "Other: …"); null for other deals. */
    lostReason: text(),
    tags: text().array().notNull().default(tagsDefault),
    custom: customColumn(),
    /**
     * The latest occurred_at of its live activities, null without any: kept by triggers on
     * activities (migration 0032), never written by the application.
     */
    lastActivityAt: timestamptz(),
    searchText: text().generatedAlwaysAs(sql`lower(name)`),
    searchVector: tsvector().generatedAlwaysAs(sql`to_tsvector('simple', name)`),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    foreignKey({
      name: "deals_pipeline_fk",
      columns: [t.workspaceId, t.pipelineId],
      foreignColumns: [pipelines.workspaceId, pipelines.id],
    }),
    foreignKey({
      name: "deals_stage_fk",
      columns: [t.workspaceId, t.pipelineId, t.stageId],
      foreignColumns: [pipelineStages.workspaceId, pipelineStages.pipelineId, pipelineStages.id],
    }),
    foreignKey({
      name: "deals_contact_fk",
      columns: [t.workspaceId, t.contactId],
      foreignColumns: [contacts.workspaceId, contacts.id],
    }),
    foreignKey({
      name: "deals_company_fk",
      columns: [t.workspaceId, t.companyId],
      foreignColumns: [companies.workspaceId, companies.id],
    }),
    foreignKey({
      name: "deals_lead_fk",
      columns: [t.workspaceId, t.leadId],
      foreignColumns: [leads.workspaceId, leads.id],
    }),
    memberReference("deals_owner_fk", t.workspaceId, t.ownerId),
    index("deals_workspace_id_created_at_id_idx")
      .on(t.workspaceId, t.createdAt, t.id)
      .where(sql`deleted_at is null`),
    index("deals_workspace_id_updated_at_id_idx")
      .on(t.workspaceId, t.updatedAt, t.id)
      .where(sql`deleted_at is null`),
    index("deals_workspace_id_stage_id_created_at_id_idx")
      .on(t.workspaceId, t.stageId, t.createdAt, t.id)
      .where(sql`deleted_at is null`),
    index("deals_workspace_id_status_expected_close_date_idx")
      .on(t.workspaceId, t.status, t.expectedCloseDate)
      .where(sql`deleted_at is null`),
    index("deals_workspace_id_owner_id_created_at_id_idx")
      .on(t.workspaceId, t.ownerId, t.createdAt, t.id)
      .where(sql`deleted_at is null`),
    index("deals_workspace_id_owner_id_id_idx")
      .on(t.workspaceId, t.ownerId, t.id)
      .where(sql`deleted_at is null`),
    index("deals_workspace_id_name_id_idx")
      .on(t.workspaceId, t.name, t.id)
      .where(sql`deleted_at is null`),
    index("deals_workspace_id_value_id_idx")
      .on(t.workspaceId, t.value, t.id)
      .where(sql`deleted_at is null`),
    index("deals_workspace_id_stage_id_id_idx")
      .on(t.workspaceId, t.stageId, t.id)
      .where(sql`deleted_at is null`),
    index("deals_workspace_id_expected_close_date_id_idx")
      .on(t.workspaceId, t.expectedCloseDate, t.id)
      .where(sql`deleted_at is null`),
    index("deals_workspace_id_contact_id_idx").on(t.workspaceId, t.contactId),
    index("deals_workspace_id_company_id_idx").on(t.workspaceId, t.companyId),
    index("deals_workspace_id_lead_id_idx")
      .on(t.workspaceId, t.leadId)
      .where(sql`lead_id is not null and deleted_at is null`),
    index("deals_workspace_id_last_activity_id_idx")
      .on(t.workspaceId, lastActivityOrder(t.lastActivityAt), t.id)
      .where(sql`deleted_at is null`),
    index("deals_workspace_id_deleted_at_idx")
      .on(t.workspaceId, t.deletedAt)
      .where(sql`deleted_at is not null`),
    index("deals_search_text_idx").using("gin", sql`${t.searchText} gin_trgm_ops`),
    index("deals_search_vector_idx").using("gin", t.searchVector),
  ],
);
