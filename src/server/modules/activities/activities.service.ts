import type { Activity, CreateActivity, UpdateActivity } from "../../../shared/schemas/activity.ts";
import { isUndirectedType, linkFields, missingLinkIssues } from "../../../shared/schemas/activity.ts";
import { getRecord } from "../../db/records.ts";
import type { ListRequest } from "../../db/listing.ts";
import { withWorkspaceTransaction } from "../../db/transaction.ts";
import { assertAllowed } from "../../lib/access.ts";
import type { RequestContext } from "../../lib/context.ts";
import { AppError, invalidField } from "../../lib/errors.ts";
import {
  attachLinkSummaries,
  createRecord,
  deleteRecord,
  restoreRecord,
  updateRecordById,
  type RecordType,
} from "../records/index.ts";
import {
  countActivities,
  insertActivity,
  listActivities as listActivityRows,
  toActivity,
  toActivityColumns,
} from "./activities.repository.ts";
import { activities } from "./activities.table.ts";

const resource = "activity";

/** Activities on the one write path: logged by the caller, linked to at least one record. */
export const activityType: RecordType<typeof activities, Activity, CreateActivity, UpdateActivity> = {
  resource,
  table: activities,
  ownerField: null,
  present: (_tx, row) => toActivity(row),
  insert: (tx, ctx, input) => insertActivity(tx, ctx.workspaceId, ctx.actor.userId, input),
  changes: async (_tx, _ctx, current, input) => {
    assertConsistent({ ...toActivity(current), ...input });
    return toActivityColumns(input);
  },
};

/** Logs an activity as the caller; it must link to at least one record (checked by the schema). */
export function createActivity(ctx: RequestContext, input: CreateActivity): Promise<Activity> {
  return createRecord(ctx, activityType, input);
}

/** A page of activities: the timeline of a record when filtered by one of its links. */
export async function listActivities(ctx: RequestContext, request: ListRequest) {
  assertAllowed(ctx, "read", resource);
  return withWorkspaceTransaction(ctx.db, ctx.workspaceId, (tx) => listActivityRows(tx, ctx.workspaceId, request));
}

/** Counts the activities matching the list filters. */
export async function countActivityRows(ctx: RequestContext, request: ListRequest): Promise<number> {
  assertAllowed(ctx, "read", resource);
  return withWorkspaceTransaction(ctx.db, ctx.workspaceId, (tx) => countActivities(tx, ctx.workspaceId, request));
}

/** One activity (also a deleted one, so its page can offer Restore). */
export async function getActivity(ctx: RequestContext, id: string, include: string[] = []): Promise<Activity> {
  assertAllowed(ctx, "read", resource);
  return withWorkspaceTransaction(ctx.db, ctx.workspaceId, async (tx) => {
    const activity = toActivity(
      await getRecord(tx, activities, resource, ctx.workspaceId, id, { includeDeleted: true }),
    );
    await attachLinkSummaries(tx, ctx.workspaceId, [activity], include);
    return activity;
  });
}

/** Edits an activity; agents only their own (the ones they logged). */
export function updateActivity(
  ctx: RequestContext,
  id: string,
  input: UpdateActivity,
  expectedVersion?: number,
): Promise<Activity> {
  return updateRecordById(ctx, activityType, id, input, expectedVersion);
}

/** The rules of CreateActivitySchema, applied to a record after a partial update. */
function assertConsistent(merged: Pick<Activity, "type" | "direction" | (typeof linkFields)[number]>): void {
  if (linkFields.every((field) => merged[field] === null)) {
    throw new AppError("validation", "An activity must stay linked to at least one record.", missingLinkIssues);
  }
  if (merged.direction !== null && isUndirectedType(merged.type)) {
    throw invalidField("direction", "Only calls and e-mails have a direction");
  }
}

/** Soft-deletes an activity (admins and managers). */
export function deleteActivity(ctx: RequestContext, id: string, expectedVersion?: number): Promise<void> {
  return deleteRecord(ctx, activityType, id, expectedVersion);
}

/** Brings a deleted activity back onto its timelines. */
export function restoreActivity(ctx: RequestContext, id: string, expectedVersion?: number): Promise<Activity> {
  return restoreRecord(ctx, activityType, id, expectedVersion);
}
