import type { Activity, CreateActivity, UpdateActivity } from "../../../shared/schemas/activity.ts";
import { activityDirections } from "../../../shared/schemas/activity.ts";
import type { Transaction } from "../../db/client.ts";
import { countRows, listPage, type ListRequest, type ListSpec } from "../../db/listing.ts";
import { newId } from "../../lib/ids.ts";
import { activities } from "./activities.table.ts";
import { attachLinkSummaries, linkIncludes } from "../records/index.ts";
import { recordFieldsOf } from "../../db/records.ts";

type ActivityRow = typeof activities.$inferSelect;

/** How activities are listed; a record's timeline is `filter[contactId]=…&sort=-occurredAt`. */
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
  return {
    ...recordFieldsOf(r),
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
export async function listActivities(tx: Transaction, workspaceId: string, request: ListRequest) {
  const page = await listPage(tx, activitiesListSpec, workspaceId, request);
  const data = page.rows.map(toActivity);
  await attachLinkSummaries(tx, workspaceId, data, request.include);
  return { data, nextCursor: page.nextCursor };
}

/** How many activities match the list filters. */
export function countActivities(tx: Transaction, workspaceId: string, request: ListRequest) {
  return countRows(tx, activitiesListSpec, workspaceId, request);
}
