import { sql } from "drizzle-orm";
import { foreignKey, index, pgTable, primaryKey, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import {
  customColumn,
  lastActivityOrder,
  recordColumns,
  tagsDefault,
  timestamptz,
  tsvector,
} from "../../db/columns.ts";
import { companies } from "../companies/companies.table.ts";
import { memberReference } from "../users/users.table.ts";

/** A person the team talks to. */
export const contacts = pgTable(
  "contacts",
  {
    ...recordColumns(),
    firstName: text().notNull(),
    lastName: text().notNull().default(""),
    email: text(),
    /** E.164, e.g. +4915112345678. */
    phone: text(),
    jobTitle: text(),
    companyId: uuid(),
    ownerId: uuid(),
    lifecycle: text({ enum: ["lead", "customer"] })
      .notNull()
      .default("lead"),
    source: text(),
    tags: text().array().notNull().default(tagsDefault),
    custom: customColumn(),
    /** Set when this record was merged into another (it is then soft-deleted): the survivor. */
    mergedIntoId: uuid(),
    /**
     * The latest occurred_at of its live activities, null without any: kept by triggers on
     * activities (migration 0032), never written by the application.
     */
    lastActivityAt: timestamptz(),
    searchText: text().generatedAlwaysAs(
      sql`lower(first_name || ' ' || last_name || ' ' || coalesce(email, '') || ' ' || coalesce(phone, ''))`,
    ),
    searchVector: tsvector().generatedAlwaysAs(
      sql`to_tsvector('simple', first_name || ' ' || last_name || ' ' || coalesce(email, '') || ' ' || coalesce(job_title, ''))`,
    ),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    foreignKey({
      name: "contacts_company_fk",
      columns: [t.workspaceId, t.companyId],
      foreignColumns: [companies.workspaceId, companies.id],
    }),
    memberReference("contacts_owner_fk", t.workspaceId, t.ownerId),
    uniqueIndex("contacts_workspace_id_email_lower_idx")
      .on(t.workspaceId, sql`lower(${t.email})`)
      .where(sql`deleted_at is null and email is not null`),
    uniqueIndex("contacts_workspace_id_phone_idx")
      .on(t.workspaceId, t.phone)
      .where(sql`deleted_at is null and phone is not null`),
    index("contacts_workspace_id_created_at_id_idx")
      .on(t.workspaceId, t.createdAt, t.id)
      .where(sql`deleted_at is null`),
    index("contacts_workspace_id_updated_at_id_idx")
      .on(t.workspaceId, t.updatedAt, t.id)
      .where(sql`deleted_at is null`),
    index("contacts_workspace_id_last_name_id_idx")
      .on(t.workspaceId, t.lastName, t.id)
      .where(sql`deleted_at is null`),
    index("contacts_workspace_id_first_name_id_idx")
      .on(t.workspaceId, t.firstName, t.id)
      .where(sql`deleted_at is null`),
    index("contacts_workspace_id_owner_id_created_at_id_idx")
      .on(t.workspaceId, t.ownerId, t.createdAt, t.id)
      .where(sql`deleted_at is null`),
    index("contacts_workspace_id_owner_id_id_idx")
      .on(t.workspaceId, t.ownerId, t.id)
      .where(sql`deleted_at is null`),
    index("contacts_workspace_id_lifecycle_id_idx")
      .on(t.workspaceId, t.lifecycle, t.id)
      .where(sql`deleted_at is null`),
    index("contacts_workspace_id_company_id_idx").on(t.workspaceId, t.companyId),
    index("contacts_workspace_id_last_activity_id_idx")
      .on(t.workspaceId, lastActivityOrder(t.lastActivityAt), t.id)
      .where(sql`deleted_at is null`),
    index("contacts_workspace_id_deleted_at_idx")
      .on(t.workspaceId, t.deletedAt)
      .where(sql`deleted_at is not null`),
    index("contacts_search_text_idx").using("gin", sql`${t.searchText} gin_trgm_ops`),
    index("contacts_search_vector_idx").using("gin", t.searchVector),
    index("contacts_tags_idx").using("gin", t.tags),
  ],
);
