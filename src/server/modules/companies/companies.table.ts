import { sql } from "drizzle-orm";
import { index, integer, jsonb, numeric, pgTable, primaryKey, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import {
  customColumn,
  lastActivityOrder,
  recordColumns,
  tagsDefault,
  timestamptz,
  tsvector,
} from "../../db/columns.ts";
import { memberReference } from "../users/users.table.ts";

export type CompanyAddress = {
  line1?: string;
  line2?: string;
  city?: string;
  region?: string;
  postalCode?: string;
  country?: string;
};

/** An account: the organisation contacts work for and deals are won with. */
export const companies = pgTable(
  "companies",
  {
    ...recordColumns(),
    name: text().notNull(),
    domain: text(),
    industry: text(),
    phone: text(),
    address: jsonb().$type<CompanyAddress>(),
    employeeCount: integer(),
    annualRevenue: numeric({ precision: 16, scale: 2 }),
    ownerId: uuid(),
    tags: text().array().notNull().default(tagsDefault),
    custom: customColumn(),
    /** Set when this record was merged into another (it is then soft-deleted): the survivor. */
    mergedIntoId: uuid(),
    /**
     * The latest occurred_at of its live activities, null without any: kept by triggers on
     * activities (migration 0032), never written by the application.
     */
    lastActivityAt: timestamptz(),
    searchText: text().generatedAlwaysAs(sql`lower(name || ' ' || coalesce(domain, '') || ' ' || coalesce(phone, ''))`),
    searchVector: tsvector().generatedAlwaysAs(
      sql`to_tsvector('simple', name || ' ' || coalesce(domain, '') || ' ' || coalesce(industry, ''))`,
    ),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    memberReference("companies_owner_fk", t.workspaceId, t.ownerId),
    uniqueIndex("companies_workspace_id_name_lower_idx")
      .on(t.workspaceId, sql`lower(${t.name})`)
      .where(sql`deleted_at is null`),
    index("companies_workspace_id_created_at_id_idx")
      .on(t.workspaceId, t.createdAt, t.id)
      .where(sql`deleted_at is null`),
    index("companies_workspace_id_updated_at_id_idx")
      .on(t.workspaceId, t.updatedAt, t.id)
      .where(sql`deleted_at is null`),
    index("companies_workspace_id_name_id_idx")
      .on(t.workspaceId, t.name, t.id)
      .where(sql`deleted_at is null`),
    index("companies_workspace_id_owner_id_created_at_id_idx")
      .on(t.workspaceId, t.ownerId, t.createdAt, t.id)
      .where(sql`deleted_at is null`),
    index("companies_workspace_id_owner_id_id_idx")
      .on(t.workspaceId, t.ownerId, t.id)
      .where(sql`deleted_at is null`),
    index("companies_workspace_id_employee_count_id_idx")
      .on(t.workspaceId, t.employeeCount, t.id)
      .where(sql`deleted_at is null`),
    index("companies_workspace_id_domain_idx").on(t.workspaceId, sql`lower(${t.domain})`),
    index("companies_workspace_id_last_activity_id_idx")
      .on(t.workspaceId, lastActivityOrder(t.lastActivityAt), t.id)
      .where(sql`deleted_at is null`),
    index("companies_workspace_id_deleted_at_idx")
      .on(t.workspaceId, t.deletedAt)
      .where(sql`deleted_at is not null`),
    index("companies_search_text_idx").using("gin", sql`${t.searchText} gin_trgm_ops`),
    index("companies_search_vector_idx").using("gin", t.searchVector),
    index("companies_tags_idx").using("gin", t.tags),
  ],
);
