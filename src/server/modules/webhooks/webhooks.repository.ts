import { and, count, desc, eq, gte, lt, max, sql } from "drizzle-orm";
import type { DeliveryStatus, Webhook, WebhookDelivery } from "../../../shared/schemas/webhook.ts";
import type { Transaction } from "../../db/client.ts";
import { newestFirstPage } from "../../lib/cursor.ts";
import { webhookDeliveries, webhookEndpoints } from "./webhooks.table.ts";

/**
 * The queries of the webhooks API, in a workspace transaction (keel_app). That role may not read
 * `secret_sealed`, so every query names its columns, and writes answer only these: never
 * `returning()` of every column. The delivery log is read-only here (the delivery job writes it).
 */

/** The columns of an endpoint the API answers with: every one but the sealed secret. */
export const endpointColumns = {
  id: webhookEndpoints.id,
  url: webhookEndpoints.url,
  description: webhookEndpoints.description,
  events: webhookEndpoints.events,
  active: webhookEndpoints.active,
  disabledReason: webhookEndpoints.disabledReason,
  failingSince: webhookEndpoints.failingSince,
  createdBy: webhookEndpoints.createdBy,
  createdAt: webhookEndpoints.createdAt,
  updatedAt: webhookEndpoints.updatedAt,
};

const deliveryColumns = {
  id: webhookDeliveries.id,
  eventId: webhookDeliveries.eventId,
  eventType: webhookDeliveries.eventType,
  attempt: webhookDeliveries.attempt,
  status: webhookDeliveries.status,
  responseCode: webhookDeliveries.responseCode,
  durationMs: webhookDeliveries.durationMs,
  responseExcerpt: webhookDeliveries.responseExcerpt,
  error: webhookDeliveries.error,
  nextAttemptAt: webhookDeliveries.nextAttemptAt,
  createdAt: webhookDeliveries.createdAt,
};

const isEndpoint = (workspaceId: string, id: string) =>
  and(eq(webhookEndpoints.workspaceId, workspaceId), eq(webhookEndpoints.id, id));

export async function insertEndpoint(tx: Transaction, values: typeof webhookEndpoints.$inferInsert): Promise<Webhook> {
  const [row] = await tx.insert(webhookEndpoints).values(values).returning(endpointColumns);
  if (!row) throw new Error("webhook endpoint insert returned nothing");
  return row;
}

export async function countEndpoints(tx: Transaction, workspaceId: string): Promise<number> {
  const [row] = await tx
    .select({ n: count() })
    .from(webhookEndpoints)
    .where(eq(webhookEndpoints.workspaceId, workspaceId));
  return row?.n ?? 0;
}

/** One page of the workspace's endpoints, newest first (ids are UUIDv7: the primary key serves the order). */
export async function listEndpointRows(
  tx: Transaction,
  workspaceId: string,
  page: { limit: number; afterId: string | null },
): Promise<{ data: Webhook[]; nextCursor: string | null }> {
  const rows = await tx
    .select(endpointColumns)
    .from(webhookEndpoints)
    .where(
      and(
        eq(webhookEndpoints.workspaceId, workspaceId),
        page.afterId ? lt(webhookEndpoints.id, page.afterId) : undefined,
      ),
    )
    .orderBy(desc(webhookEndpoints.id))
    .limit(page.limit + 1);
  return newestFirstPage(rows, page.limit);
}

/** The endpoint, locked until the transaction ends when `forUpdate` (a change compares before and after). */
export async function findEndpoint(
  tx: Transaction,
  workspaceId: string,
  id: string,
  { forUpdate = false } = {},
): Promise<Webhook | null> {
  const query = tx.select(endpointColumns).from(webhookEndpoints).where(isEndpoint(workspaceId, id));
  const [row] = forUpdate ? await query.for("update") : await query;
  return row ?? null;
}

export type EndpointChanges = Partial<
  Pick<
    typeof webhookEndpoints.$inferInsert,
    "url" | "events" | "description" | "active" | "disabledReason" | "failingSince" | "secretSealed"
  >
>;

/** Applies changes (and a new `updatedAt`); null when the workspace has no such endpoint. */
export async function updateEndpoint(
  tx: Transaction,
  workspaceId: string,
  id: string,
  changes: EndpointChanges,
): Promise<Webhook | null> {
  const [row] = await tx
    .update(webhookEndpoints)
    .set({ ...changes, updatedAt: sql`now()` })
    .where(isEndpoint(workspaceId, id))
    .returning(endpointColumns);
  return row ?? null;
}

/** Deletes the endpoint and, with it, its delivery log; false when there is no such endpoint. */
export async function deleteEndpoint(tx: Transaction, workspaceId: string, id: string): Promise<boolean> {
  const rows = await tx
    .delete(webhookEndpoints)
    .where(isEndpoint(workspaceId, id))
    .returning({ id: webhookEndpoints.id });
  return rows.length > 0;
}

export type DeliveryFilters = {
  status?: DeliveryStatus | undefined;
  eventType?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
};

/**
 * One page of an endpoint's delivery log, newest first. Attempt ids are UUIDv7 whose time is when
 * the attempt was due (see attemptId), so the index (workspace_id, endpoint_id, id) serves the order.
 */
export async function listDeliveryRows(
  tx: Transaction,
  workspaceId: string,
  endpointId: string,
  filters: DeliveryFilters,
  page: { limit: number; afterId: string | null },
): Promise<{ data: WebhookDelivery[]; nextCursor: string | null }> {
  const rows = await tx
    .select(deliveryColumns)
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.workspaceId, workspaceId),
        eq(webhookDeliveries.endpointId, endpointId),
        filters.status ? eq(webhookDeliveries.status, filters.status) : undefined,
        filters.eventType ? eq(webhookDeliveries.eventType, filters.eventType) : undefined,
        filters.from ? gte(webhookDeliveries.createdAt, new Date(filters.from)) : undefined,
        filters.to ? lt(webhookDeliveries.createdAt, new Date(filters.to)) : undefined,
        page.afterId ? lt(webhookDeliveries.id, page.afterId) : undefined,
      ),
    )
    .orderBy(desc(webhookDeliveries.id))
    .limit(page.limit + 1);
  return newestFirstPage(rows, page.limit);
}

/** A logged attempt: which endpoint and event it was for. */
export async function findDelivery(
  tx: Transaction,
  workspaceId: string,
  id: string,
): Promise<{ endpointId: string; eventId: string } | null> {
  const [row] = await tx
    .select({ endpointId: webhookDeliveries.endpointId, eventId: webhookDeliveries.eventId })
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.workspaceId, workspaceId), eq(webhookDeliveries.id, id)));
  return row ?? null;
}

/** The highest attempt logged for an event at an endpoint (0 when none is). */
export async function lastAttemptOf(
  tx: Transaction,
  workspaceId: string,
  endpointId: string,
  eventId: string,
): Promise<number> {
  const [row] = await tx
    .select({ attempt: max(webhookDeliveries.attempt) })
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.workspaceId, workspaceId),
        eq(webhookDeliveries.endpointId, endpointId),
        eq(webhookDeliveries.eventId, eventId),
      ),
    );
  return row?.attempt ?? 0;
}
