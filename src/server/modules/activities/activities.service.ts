import type { Activity, CreateActivity, UpdateActivity } from "../../../shared/schemas/activity.ts";
import {
  isUndirectedType,
  linkFields,
  missingLinkIssues,
  missingSubjectIssue,
  subjectIsOptional,
} from "../../../shared/schemas/activity.ts";
import { showsSomething } from "../../../shared/schemas/common.ts";
import { getRecord } from "../../db/records.ts";
import type { ListRequest, RowCount } from "../../db/listing.ts";
import { withWorkspaceTransaction } from "../../db/transaction.ts";
import { assertAllowed, readerOf, visibleRequest, visibleRows } from "../../lib/access.ts";
import type { Transaction } from "../../db/client.ts";
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
import { readWorkspaceSettings } from "../workspaces/index.ts";
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
  insert: async (tx, ctx, input) => {
    await assertTypeOffered(tx, ctx.workspaceId, input.type);
    return insertActivity(tx, ctx.workspaceId, ctx.actor.userId, input);
  },
  changes: async (tx, ctx, current, input) => {
    assertConsistent({ ...toActivity(current), ...input });
    // An activity keeps a type the workspace no longer offers until someone changes it.
    if (input.type !== undefined && input.type !== current.type)
      await assertTypeOffered(tx, ctx.workspaceId, input.type);
    return toActivityColumns(input);
  },
};

/**
 * Logs an activity as the caller; it must link to at least one record (checked by the schema) and
 * have one of the workspace's activity types.
 */
export function createActivity(ctx: RequestContext, input: CreateActivity): Promise<Activity> {
  return createRecord(ctx, activityType, input);
}

/**
 * A page of the activities the caller may read: the timeline of a record when filtered by one of
 * its links (an agent limited to their own records sees the ones they logged).
 */
export async function listActivities(ctx: RequestContext, request: ListRequest) {
  assertAllowed(ctx, "read", resource);
  return withWorkspaceTransaction(ctx.db, ctx.workspaceId, async (tx) => {
    const reader = await readerOf(tx, ctx);
    return listActivityRows(tx, ctx.workspaceId, visibleRequest(request, resource, reader), reader);
  });
}

/** Counts the activities matching the list filters. */
export async function countActivityRows(ctx: RequestContext, request: ListRequest): Promise<RowCount> {
  assertAllowed(ctx, "read", resource);
  return withWorkspaceTransaction(ctx.db, ctx.workspaceId, async (tx) =>
    countActivities(tx, ctx.workspaceId, visibleRequest(request, resource, await readerOf(tx, ctx))),
  );
}

/** One activity (also a deleted one, so its page can offer Restore). */
export async function getActivity(ctx: RequestContext, id: string, include: string[] = []): Promise<Activity> {
  assertAllowed(ctx, "read", resource);
  return withWorkspaceTransaction(ctx.db, ctx.workspaceId, async (tx) => {
    const reader = await readerOf(tx, ctx);
    const visible = visibleRows(resource, reader);
    const activity = toActivity(
      await getRecord(tx, activities, resource, ctx.workspaceId, id, { includeDeleted: true, visible }),
    );
    await attachLinkSummaries(tx, ctx.workspaceId, [activity], include, reader);
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

/** Throws 400 on `type` unless it is one of the workspace's activity types (its settings). */
async function assertTypeOffered(tx: Transaction, workspaceId: string, type: string): Promise<void> {
  const { activityTypes } = await readWorkspaceSettings(tx, workspaceId);
  if (activityTypes.some((offered) => offered.key === type)) return;
  const names = activityTypes.map((offered) => `${offered.key} (${offered.label})`).join(", ");
  throw invalidField("type", `Not an activity type of this workspace; choose one of ${names}`);
}

/** The rules of CreateActivitySchema, applied to a record after a partial update. */
function assertConsistent(
  merged: Pick<Activity, "type" | "subject" | "direction" | (typeof linkFields)[number]>,
): void {
  if (linkFields.every((field) => merged[field] === null)) {
    throw new AppError("validation", "An activity must stay linked to at least one record.", missingLinkIssues);
  }
  if (!showsSomething(merged.subject) && !subjectIsOptional(merged.type)) {
    throw invalidField(missingSubjectIssue.path, missingSubjectIssue.message);
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
