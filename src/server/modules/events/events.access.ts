import { scopeOf, type Resource, type Role } from "../../../shared/permissions.ts";
import { isOwnRecord, isOwnedBy, isOwnedResource, type Reader } from "../../lib/access.ts";
import type { LiveEvent } from "./events.poller.ts";

/**
 * Who listens to a stream: a member of one workspace, with their role there, and `reader` when
 * they read only their own records (an agent of a workspace that limits them: lib/access.ts
 * readerOf, read when the stream opens).
 */
export type Viewer = { userId: string; workspaceId: string; role: Role; reader?: Reader };

/** The permission resource that decides who may read an event, by the event's resource type. */
const readPermissionOf: Partial<Record<string, Resource>> = {
  contact: "contact",
  company: "company",
  lead: "lead",
  deal: "deal",
  activity: "activity",
  task: "task",
  pipeline: "pipeline",
  member: "user",
  invitation: "invitation",
  webhook: "webhook",
  workspace: "workspace",
};

/**
 * Whether a viewer may receive an event: one of their own workspace, and either a notification
 * for them or about a resource their role may read (all of it, or, with "own", records they own,
 * are assigned or created; an agent limited to their own records, only those). Event types nobody
 * listed here are sent to nobody.
 */
export function isVisibleTo(event: LiveEvent, viewer: Viewer): boolean {
  if (event.workspaceId !== viewer.workspaceId) return false;
  if (event.resourceType === "notification") return event.notification?.userId === viewer.userId;
  const resource = readPermissionOf[event.resourceType];
  if (!resource) return false;
  const scope = scopeOf(viewer.role, "read", resource);
  if (scope === "all" && viewer.reader && viewer.role === "agent" && isOwnedResource(resource)) {
    return event.ownership !== null && isOwnRecord(resource, event.ownership, viewer.reader);
  }
  if (scope === "all") return true;
  return scope === "own" && event.ownership !== null && isOwnedBy(event.ownership, viewer.userId);
}

/** What a stream message carries: enough for a page to know what to refetch, and a notification whole. */
export function messageOf(event: LiveEvent): Record<string, unknown> {
  const { type, resourceType, resourceId, actorId } = event;
  return event.notification
    ? { type, resourceType, resourceId, actorId, notification: event.notification.notification }
    : { type, resourceType, resourceId, actorId };
}
