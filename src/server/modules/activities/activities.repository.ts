import type { Activity, CreateActivity, UpdateActivity } from "../../../shared/schemas/activity.ts";
import { activityDirections } from "../../../shared/schemas/activity.ts";
import { sql } from "drizzle-orm";
import type { Transaction } from "../../db/client.ts";
import { countRows, listPage, type ListRequest, type ListSpec } from "../../db/listing.ts";
import type { Reader } from "../../lib/access.ts";
import { newId } from "../../lib/ids.ts";
import { activities } from "./activities.table.ts";
import { attachLinkSummaries, linkIncludes } from "../records/records.summaries.ts";

type ActivityRow = typeof activities.$inferSelect;

const uuids = (ids: string[]) =>
  sql`(${sql.join(
    ids.map((id) => sql`${id}::uuid`),
    sql`, `,
  )})`;

/**
 * How activities are listed; a record's timeline is `filter[contactId]=…&sort=-occurredAt`, a
 * company's `filter[aboutCompanyId]=…` and a deal's `filter[aboutDealId]=…`.
 */
export const activitiesListSpec = {
  table: activities,
  fields: {
    id: { column: activities.id, type: "uuid" },
    // Text, not an enum: each workspace has its own activity types.
    type: { column: activities.type, type: "text" },
    direction: { column: activities.direction, type: "enum", values: activityDirections },
    contactId: { column: activities.contactId, type: "uuid" },
    leadId: { column: activities.leadId, type: "uuid" },
    dealId: { column: activities.dealId, type: "uuid" },
    companyId: { column: activities.companyId, type: "uuid" },
    // Timelines that roll up: a company's shows its contacts' and deals' activities too, a deal's
    // those of its contact. Each branch is an index range of activities (by company, contact, deal).
    aboutCompanyId: {
      column: activities.companyId,
      type: "uuid",
      matches: (ids) => sql`(${activities.companyId} in ${uuids(ids)}
        or ${activities.contactId} in (select c.id from contacts c
          where c.workspace_id = ${activities.workspaceId} and c.company_id in ${uuids(ids)})
        or ${activities.dealId} in (select d.id from deals d
          where d.workspace_id = ${activities.workspaceId} and d.company_id in ${uuids(ids)}))`,
    },
    aboutDealId: {
      column: activities.dealId,
      type: "uuid",
      matches: (ids) => sql`(${activities.dealId} in ${uuids(ids)}
        or ${activities.contactId} in (select d.contact_id from deals d
          where d.workspace_id = ${activities.workspaceId} and d.id in ${uuids(ids)}))`,
    },
    occurredAt: { column: activities.occurredAt, type: "timestamp", sortable: true },
    createdAt: { column: activities.createdAt, type: "timestamp", sortable: true },
    createdBy: { column: activities.createdBy, type: "uuid", acceptsMe: true },
  },
  defaultSort: "-occurredAt",
  // Activities have no short search text: full-text on subject and body only.
  search: { vector: activities.searchVector, text: null },
  includes: linkIncludes,
  hiddenColumns: ["searchVector", "custom", "workspaceId"],
} satisfies ListSpec;

/** Row → API object: camelCase, no storage-only columns. */
export function toActivity(row: ActivityRow | Record<string, unknown>): Activity {
  const r = row as ActivityRow;
  // One plain literal, in the order of recordFieldsOf then the activity's own fields: cheaper than a spread.
  return {
    id: r.id,
    version: r.version,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    createdBy: r.createdBy,
    deletedAt: r.deletedAt,
    type: r.type,
    subject: r.subject,
    body: r.body,
    direction: r.direction,
    occurredAt: r.occurredAt,
    durationMinutes: r.durationMinutes,
    outcome: r.outcome,
    contactId: r.contactId,
    leadId: r.leadId,
    dealId: r.dealId,
    companyId: r.companyId,
  };
}

/** API input → column values; ISO strings become instants. */
export function toActivityColumns(input: UpdateActivity): Partial<typeof activities.$inferInsert> {
  const { occurredAt, ...rest } = input;
  return { ...rest, ...(occurredAt === undefined ? {} : { occurredAt: new Date(occurredAt) }) };
}

/** Inserts an activity created by `createdBy`; it occurred now unless the input says otherwise. */
export async function insertActivity(
  tx: Transaction,
  workspaceId: string,
  createdBy: string,
  input: CreateActivity,
): Promise<typeof activities.$inferSelect> {
  const [row] = await tx
    .insert(activities)
    .values({
      ...toActivityColumns(input),
      type: input.type,
      subject: input.subject,
      occurredAt: input.occurredAt ? new Date(input.occurredAt) : new Date(),
      workspaceId,
      id: newId(),
      createdBy,
    })
    .returning();
  if (!row) throw new Error("activity insert returned nothing");
  return row;
}

/** One page of activities, with the includes asked for. */
export async function listActivities(
  tx: Transaction,
  workspaceId: string,
  request: ListRequest,
  reader: Reader = null,
) {
  const page = await listPage(tx, activitiesListSpec, workspaceId, request);
  const data = page.rows.map(toActivity);
  await attachLinkSummaries(tx, workspaceId, data, request.include, reader);
  return { data, nextCursor: page.nextCursor };
}

/** How many activities match the list filters. */
export function countActivities(tx: Transaction, workspaceId: string, request: ListRequest) {
  return countRows(tx, activitiesListSpec, workspaceId, request);
}
