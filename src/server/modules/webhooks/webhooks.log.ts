import { and, eq, inArray, isNotNull, isNull, lte, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Database } from "../../db/client.ts";
import { findDatabaseError } from "../../db/constraints.ts";
import { writeAuditTo } from "../audit/index.ts";
import { outboxEvents } from "../outbox/outbox.table.ts";
import { memberships, users } from "../users/users.table.ts";
import { workspaces } from "../workspaces/workspaces.table.ts";
import type { DeliveryAttempt } from "./webhooks.send.ts";
import { webhookDeliveries, webhookEndpoints } from "./webhooks.table.ts";

/**
 * The delivery job's side of the tables, as the owner connection: keel_app may not read secrets
 * nor write the delivery log. There is no row-level security here, so every query names its
 * workspace itself.
 */

/** After this long of failures with no success in between, an endpoint is turned off. */
export const failingDaysBeforeDisabling = 5;

export const goneReason = "The receiver answered 410 Gone: it asked for no more deliveries.";
export const failingReason = `Every delivery failed for ${failingDaysBeforeDisabling} days in a row.`;

/** What a delivery needs of its endpoint, the sealed secret included. */
export type EndpointForDelivery = { url: string; secretSealed: string; active: boolean };

/** Everything one attempt needs to know, read at once (see loadAttempt). */
export type AttemptContext = {
  /** This attempt, when an earlier run of its job logged it already. */
  logged: { status: string; nextAttemptAt: Date | null } | null;
  endpoint: EndpointForDelivery | null;
  /** The event; null once pruned. */
  event: { id: string; type: string; payload: unknown; createdAt: Date } | null;
  /** Whether an attempt already delivered this event to this endpoint. */
  isDelivered: boolean;
};

/** The attempt logged under this id, its endpoint and its event, in one query. */
export async function loadAttempt(
  db: Database,
  workspaceId: string,
  ids: { attemptId: string; endpointId: string; eventId: string },
): Promise<AttemptContext> {
  const delivered = alias(webhookDeliveries, "delivered");
  const [row] = await db
    .select({
      loggedStatus: webhookDeliveries.status,
      loggedNextAttemptAt: webhookDeliveries.nextAttemptAt,
      url: webhookEndpoints.url,
      secretSealed: webhookEndpoints.secretSealed,
      active: webhookEndpoints.active,
      eventId: outboxEvents.id,
      eventType: outboxEvents.type,
      payload: outboxEvents.payload,
      occurredAt: outboxEvents.createdAt,
      deliveredId: delivered.id,
    })
    .from(workspaces)
    .leftJoin(
      webhookDeliveries,
      and(eq(webhookDeliveries.workspaceId, workspaces.id), eq(webhookDeliveries.id, ids.attemptId)),
    )
    .leftJoin(
      webhookEndpoints,
      and(eq(webhookEndpoints.workspaceId, workspaces.id), eq(webhookEndpoints.id, ids.endpointId)),
    )
    .leftJoin(outboxEvents, and(eq(outboxEvents.workspaceId, workspaces.id), eq(outboxEvents.id, ids.eventId)))
    .leftJoin(
      delivered,
      and(
        eq(delivered.workspaceId, workspaces.id),
        eq(delivered.eventId, ids.eventId),
        eq(delivered.endpointId, ids.endpointId),
        eq(delivered.status, "delivered"),
      ),
    )
    .where(eq(workspaces.id, workspaceId))
    .limit(1);
  return {
    logged: row?.loggedStatus ? { status: row.loggedStatus, nextAttemptAt: row.loggedNextAttemptAt } : null,
    endpoint:
      row?.url && row.secretSealed && row.active !== null
        ? { url: row.url, secretSealed: row.secretSealed, active: row.active }
        : null,
    event:
      row?.eventId && row.eventType && row.occurredAt
        ? { id: row.eventId, type: row.eventType, payload: row.payload, createdAt: row.occurredAt }
        : null,
    isDelivered: Boolean(row?.deliveredId),
  };
}

/** The active endpoints of some workspaces, with what they subscribe to. */
export async function listActiveEndpoints(
  db: Database,
  workspaceIds: readonly string[],
): Promise<{ workspaceId: string; id: string; events: string[]; createdAt: Date }[]> {
  if (workspaceIds.length === 0) return [];
  return db
    .select({
      workspaceId: webhookEndpoints.workspaceId,
      id: webhookEndpoints.id,
      events: webhookEndpoints.events,
      createdAt: webhookEndpoints.createdAt,
    })
    .from(webhookEndpoints)
    .where(and(inArray(webhookEndpoints.workspaceId, [...workspaceIds]), eq(webhookEndpoints.active, true)))
    .orderBy(webhookEndpoints.id);
}

export type AttemptRecord = {
  workspaceId: string;
  id: string;
  endpointId: string;
  eventId: string;
  eventType: string;
  attempt: number;
  result: DeliveryAttempt;
  nextAttemptAt: Date | null;
};

/**
 * Logs an attempt and what it means for its endpoint, in one transaction: a success clears
 * `failingSince`; a failure starts it (when it is not running yet) and, once it is 5 days old,
 * turns the endpoint off; a 410 turns it off at once. Turning off is audited as Keel's doing.
 * `isLogged` is false when the attempt was logged already (another run of the same job) or its
 * endpoint is gone; `disabled` says whether this attempt turned the endpoint off, and why.
 */
export async function logAttempt(
  db: Database,
  record: AttemptRecord,
): Promise<{ isLogged: boolean; disabled: "gone" | "failing" | null }> {
  try {
    return await db.transaction(async (tx) => {
      const { workspaceId, endpointId, result } = record;
      const inserted = await tx
        .insert(webhookDeliveries)
        .values({
          workspaceId,
          id: record.id,
          endpointId,
          eventId: record.eventId,
          eventType: record.eventType,
          attempt: record.attempt,
          status: result.outcome,
          responseCode: result.statusCode,
          durationMs: result.durationMs,
          responseExcerpt: result.responseExcerpt,
          error: result.error,
          nextAttemptAt: record.nextAttemptAt,
        })
        .onConflictDoNothing()
        .returning({ id: webhookDeliveries.id });
      if (inserted.length === 0) return { isLogged: false, disabled: null };

      const isEndpoint = and(eq(webhookEndpoints.workspaceId, workspaceId), eq(webhookEndpoints.id, endpointId));
      let disabled: "gone" | "failing" | null = null;
      if (result.outcome === "delivered") {
        await tx
          .update(webhookEndpoints)
          .set({ failingSince: null })
          .where(and(isEndpoint, isNotNull(webhookEndpoints.failingSince)));
      } else {
        await tx
          .update(webhookEndpoints)
          .set({ failingSince: sql`now()` })
          .where(and(isEndpoint, isNull(webhookEndpoints.failingSince)));
        const isTurnedOff = await tx
          .update(webhookEndpoints)
          .set({
            active: false,
            disabledReason: result.outcome === "gone" ? goneReason : failingReason,
            updatedAt: sql`now()`,
          })
          .where(
            and(
              isEndpoint,
              eq(webhookEndpoints.active, true),
              result.outcome === "gone"
                ? undefined
                : lte(webhookEndpoints.failingSince, sql`now() - make_interval(days => ${failingDaysBeforeDisabling})`),
            ),
          )
          .returning({ id: webhookEndpoints.id });
        if (isTurnedOff.length > 0) disabled = result.outcome === "gone" ? "gone" : "failing";
      }
      if (disabled) {
        await writeAuditTo(
          tx,
          [workspaceId],
          { actor: { kind: "system" }, requestId: null },
          {
            action: "webhook.disabled",
            resourceType: "webhook",
            resourceId: endpointId,
            details: { reason: disabled === "gone" ? goneReason : failingReason },
          },
        );
      }
      return { isLogged: true, disabled };
    });
  } catch (error) {
    // The endpoint was deleted while its attempt was under way: nothing left to log it against.
    if (findDatabaseError(error)?.code === "23503") return { isLogged: false, disabled: null };
    throw error;
  }
}

/** The workspace's name and the e-mail addresses of its active admins, for telling them about an endpoint. */
export async function findAdminsToTell(
  db: Database,
  workspaceId: string,
): Promise<{ workspaceName: string; emails: string[] }> {
  const [workspace] = await db.select({ name: workspaces.name }).from(workspaces).where(eq(workspaces.id, workspaceId));
  const admins = await db
    .select({ email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(
      and(
        eq(memberships.workspaceId, workspaceId),
        eq(memberships.role, "admin"),
        isNull(memberships.removedAt),
        isNull(memberships.deactivatedAt),
        isNull(users.disabledAt),
      ),
    );
  return { workspaceName: workspace?.name ?? "your workspace", emails: admins.map((admin) => admin.email) };
}
