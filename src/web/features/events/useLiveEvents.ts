import { useQueryClient, type QueryClient, type QueryKey } from "@tanstack/react-query";
import { useEffect } from "react";
import { invalidateCollection, type Collection } from "../../api/records.ts";
import { webConfig } from "../../config.ts";
import { meQuery } from "../auth/session.ts";
import { notificationsKey } from "../notifications/notifications.api.ts";

/** What a message of the stream says: enough to know what to refetch. */
type LiveMessage = { type: string; resourceType: string; resourceId: string; actorId: string | null };

/** The collection whose queries an event's resource type makes stale. */
const collectionOf: Partial<Record<string, Collection>> = {
  contact: "contacts",
  company: "companies",
  lead: "leads",
  deal: "deals",
  activity: "activities",
  task: "tasks",
  pipeline: "pipelines",
  member: "users",
};

/** Other queries a resource type's events make stale. */
const otherKeysOf: Partial<Record<string, QueryKey[]>> = {
  member: [meQuery.queryKey],
  invitation: [["invitations"]],
  notification: [notificationsKey],
  // The workspace's settings (formats, lists) and its name in the shell.
  workspace: [["workspace"], meQuery.queryKey],
};

/** Events arriving this close together refetch once (a bulk action emits one per record). */
const batchMs = 250;
/** After the server refused the stream (signed out, too many tabs, database away), when to try again. */
const retryAfterRefusalMs = 30_000;

function refresh(client: QueryClient, resourceType: string): void {
  const collection = collectionOf[resourceType];
  if (collection) void invalidateCollection(client, collection);
  // The audit log (admins) lists every change; notifications are no change.
  if (resourceType !== "notification") void client.invalidateQueries({ queryKey: ["audit-logs"] });
  for (const queryKey of otherKeysOf[resourceType] ?? []) void client.invalidateQueries({ queryKey });
}

/**
 * Keeps open pages up to date with what others change: listens to the live event stream of the
 * active workspace (GET /events/stream) and, for each event, refetches the queries of that
 * resource (lists, counts, the record, its history, the dashboard) and the notifications. Mount
 * it once, in the shell. EventSource reconnects by itself and resumes after the last event it got
 * (Last-Event-ID); on `reset` (too much was missed) every query is refetched.
 */
export function useLiveEvents(workspaceId: string | null): void {
  const client = useQueryClient();
  useEffect(() => {
    if (!workspaceId || typeof EventSource === "undefined") return;
    let source: EventSource | null = null;
    let isStopped = false;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let flushTimer: ReturnType<typeof setTimeout> | undefined;
    const stale = new Set<string>();
    let isEverythingStale = false;
    let wasRefused = false;

    const flush = () => {
      flushTimer = undefined;
      if (isEverythingStale) void client.invalidateQueries();
      else for (const resourceType of stale) refresh(client, resourceType);
      stale.clear();
      isEverythingStale = false;
    };
    const onMessage = (event: MessageEvent<string>) => {
      try {
        stale.add((JSON.parse(event.data) as LiveMessage).resourceType);
      } catch {
        return;
      }
      flushTimer ??= setTimeout(flush, batchMs);
    };
    const onReset = () => {
      isEverythingStale = true;
      flushTimer ??= setTimeout(flush, batchMs);
    };

    const connect = () => {
      // Opened at once, with the page's first requests; the catalogue's names (each message's
      // `event:`) come with a chunk of their own, apart from the shell's, and are listened to
      // when it has loaded (before any event could be replayed to a reconnecting stream).
      const opened = new EventSource(`${webConfig.apiBase}/events/stream`);
      source = opened;
      void import("../../../shared/events.ts").then(({ eventTypes }) => {
        for (const type of eventTypes) opened.addEventListener(type, onMessage);
      });
      opened.addEventListener("reset", onReset);
      // A new stream after a refused one starts from now: what happened meanwhile is refetched.
      if (wasRefused) opened.addEventListener("open", onReset, { once: true });
      opened.addEventListener("error", () => {
        // A dropped connection is retried by EventSource itself; a refused one (401, 429, 503) is not.
        if (opened.readyState !== EventSource.CLOSED) return;
        opened.close();
        source = null;
        wasRefused = true;
        // An ended session shows on the next API call, which sends the user to sign in.
        void client.invalidateQueries({ queryKey: notificationsKey });
        if (!isStopped) retryTimer = setTimeout(connect, retryAfterRefusalMs);
      });
    };
    connect();

    return () => {
      isStopped = true;
      clearTimeout(retryTimer);
      clearTimeout(flushTimer);
      source?.close();
    };
  }, [client, workspaceId]);
}
