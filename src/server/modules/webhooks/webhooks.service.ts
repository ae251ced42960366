import {
  maxWebhookEndpoints,
  type CreateWebhook,
  type ListWebhookDeliveriesQuery,
  type ListWebhooksQuery,
  type UpdateWebhook,
  type Webhook,
  type WebhookDelivery,
  type WebhookDispatch,
  type WebhookWithSecret,
} from "../../../shared/schemas/webhook.ts";
import type { Config } from "../../config.ts";
import type { Transaction } from "../../db/client.ts";
import { withWorkspaceTransaction } from "../../db/transaction.ts";
import type { SendJob } from "../../jobs/index.ts";
import { assertAllowed } from "../../lib/access.ts";
import type { RequestContext } from "../../lib/context.ts";
import { newestFirstAfter } from "../../lib/cursor.ts";
import { AppError, notFound } from "../../lib/errors.ts";
import { newId } from "../../lib/ids.ts";
import type { SecretBox } from "../../lib/secret-box.ts";
import { fieldChanges, recordFact } from "../audit/index.ts";
import { enqueueEvent, findEvent } from "../outbox/index.ts";
import { sendAttempt } from "./webhooks.attempts.ts";
import { checkWebhookUrl } from "./webhooks.destination.ts";
import {
  countEndpoints,
  deleteEndpoint,
  findDelivery,
  findEndpoint,
  insertEndpoint,
  lastAttemptOf,
  listDeliveryRows,
  listEndpointRows,
  updateEndpoint,
  type EndpointChanges,
} from "./webhooks.repository.ts";
import { newWebhookSecret } from "./webhooks.signing.ts";

/**
 * Webhook endpoints, as a workspace's admins (and API keys with the `webhooks` scopes) manage
 * them. The secret is sealed before it is stored and shown only in the answers of creation and
 * rotation; audit entries name the URL and events, never the secret. Sending a test or a retry
 * enqueues its attempt after the transaction commits (a job is never sent inside one).
 */

/** What these use cases need besides the request: the destination rules, the secret box and the job queue. */
export type WebhookDeps = { config: Pick<Config, "webhookAllowedHosts">; secretBox: SecretBox; send: SendJob };

/** The fields of an endpoint an admin changes, as the audit log compares them. */
const auditedFields = (webhook: Webhook) => ({
  url: webhook.url,
  events: webhook.events,
  description: webhook.description,
  active: webhook.active,
});

async function checkUrl(deps: WebhookDeps, url: string): Promise<void> {
  await checkWebhookUrl(url, { allowedHosts: deps.config.webhookAllowedHosts });
}

async function endpointOrThrow(tx: Transaction, ctx: RequestContext, id: string, forUpdate = false): Promise<Webhook> {
  const endpoint = await findEndpoint(tx, ctx.workspaceId, id, { forUpdate });
  if (!endpoint) throw notFound("webhook endpoint");
  return endpoint;
}

function assertActive(endpoint: Webhook): void {
  if (!endpoint.active) {
    throw new AppError("rule-violation", "The endpoint is turned off: turn it on before sending it anything.");
  }
}

export async function listWebhooks(
  ctx: RequestContext,
  query: ListWebhooksQuery,
): Promise<{ data: Webhook[]; nextCursor: string | null }> {
  assertAllowed(ctx, "read", "webhook");
  const afterId = newestFirstAfter(query.cursor);
  return withWorkspaceTransaction(ctx.db, ctx.workspaceId, (tx) =>
    listEndpointRows(tx, ctx.workspaceId, { limit: query.limit, afterId }),
  );
}

export async function getWebhook(ctx: RequestContext, id: string): Promise<Webhook> {
  assertAllowed(ctx, "read", "webhook");
  return withWorkspaceTransaction(ctx.db, ctx.workspaceId, (tx) => endpointOrThrow(tx, ctx, id));
}

/** Subscribes a URL, checked first (400 on `url`); answers the endpoint with its secret, this once. */
export async function createWebhook(
  ctx: RequestContext,
  deps: WebhookDeps,
  input: CreateWebhook,
): Promise<WebhookWithSecret> {
  assertAllowed(ctx, "create", "webhook");
  await checkUrl(deps, input.url);
  const secret = newWebhookSecret();
  return withWorkspaceTransaction(ctx.db, ctx.workspaceId, async (tx) => {
    if ((await countEndpoints(tx, ctx.workspaceId)) >= maxWebhookEndpoints) {
      throw new AppError(
        "rule-violation",
        `This workspace has ${maxWebhookEndpoints} webhook endpoints, the most it may have: delete one it no longer needs.`,
      );
    }
    const webhook = await insertEndpoint(tx, {
      workspaceId: ctx.workspaceId,
      id: newId(),
      url: input.url,
      description: input.description || null,
      events: input.events,
      secretSealed: deps.secretBox.seal(secret),
      createdBy: ctx.actor.userId,
    });
    await recordFact(tx, ctx, {
      action: "webhook.created",
      resourceType: "webhook",
      resourceId: webhook.id,
      changes: fieldChanges(null, auditedFields(webhook)),
    });
    return { ...webhook, secret };
  });
}

/**
 * Changes an endpoint. A new URL is checked like a new endpoint's. `active: true` on an endpoint
 * that was off turns it back on and forgets why it was off and since when it failed.
 */
export async function updateWebhook(
  ctx: RequestContext,
  deps: WebhookDeps,
  id: string,
  input: UpdateWebhook,
): Promise<Webhook> {
  assertAllowed(ctx, "update", "webhook");
  if (input.url !== undefined) await checkUrl(deps, input.url);
  return withWorkspaceTransaction(ctx.db, ctx.workspaceId, async (tx) => {
    const before = await endpointOrThrow(tx, ctx, id, true);
    const changes: EndpointChanges = {};
    if (input.url !== undefined) changes.url = input.url;
    if (input.events !== undefined) changes.events = input.events;
    if (input.description !== undefined) changes.description = input.description || null;
    if (input.active === true && !before.active)
      Object.assign(changes, { active: true, disabledReason: null, failingSince: null });
    if (input.active === false && before.active) Object.assign(changes, { active: false, disabledReason: null });
    if (Object.keys(changes).length === 0) return before;
    const after = (await updateEndpoint(tx, ctx.workspaceId, id, changes)) ?? before;
    await recordFact(tx, ctx, {
      action: "webhook.updated",
      resourceType: "webhook",
      resourceId: id,
      changes: fieldChanges(auditedFields(before), auditedFields(after)),
    });
    return after;
  });
}

/** Deletes an endpoint and its delivery log; attempts still queued for it are skipped. */
export async function deleteWebhook(ctx: RequestContext, id: string): Promise<void> {
  assertAllowed(ctx, "delete", "webhook");
  await withWorkspaceTransaction(ctx.db, ctx.workspaceId, async (tx) => {
    const endpoint = await endpointOrThrow(tx, ctx, id, true);
    await deleteEndpoint(tx, ctx.workspaceId, id);
    await recordFact(tx, ctx, {
      action: "webhook.deleted",
      resourceType: "webhook",
      resourceId: id,
      changes: fieldChanges(auditedFields(endpoint), null),
    });
  });
}

/** Gives the endpoint a new secret, answered this once; every attempt from now on is signed with it. */
export async function rotateWebhookSecret(
  ctx: RequestContext,
  deps: WebhookDeps,
  id: string,
): Promise<WebhookWithSecret> {
  assertAllowed(ctx, "update", "webhook");
  const secret = newWebhookSecret();
  return withWorkspaceTransaction(ctx.db, ctx.workspaceId, async (tx) => {
    await endpointOrThrow(tx, ctx, id, true);
    const webhook = await updateEndpoint(tx, ctx.workspaceId, id, { secretSealed: deps.secretBox.seal(secret) });
    if (!webhook) throw notFound("webhook endpoint");
    await recordFact(tx, ctx, { action: "webhook.secret_rotated", resourceType: "webhook", resourceId: id });
    return { ...webhook, secret };
  });
}

/**
 * Sends a `webhook.test` event to this endpoint only: the event is recorded already published, so
 * the relay hands it to nobody else, and its first attempt is enqueued here, after the commit.
 */
export async function testWebhook(ctx: RequestContext, deps: WebhookDeps, id: string): Promise<WebhookDispatch> {
  assertAllowed(ctx, "update", "webhook");
  const event = await withWorkspaceTransaction(ctx.db, ctx.workspaceId, async (tx) => {
    assertActive(await endpointOrThrow(tx, ctx, id));
    return enqueueEvent(
      tx,
      ctx,
      {
        type: "webhook.test",
        resourceId: id,
        payload: { webhookId: id, message: "A test event sent from Keel: your endpoint receives webhooks." },
      },
      { isDirect: true },
    );
  });
  const data = { workspaceId: ctx.workspaceId, endpointId: id, eventId: event.id, attempt: 1 };
  return { eventId: event.id, deliveryId: await sendAttempt(deps.send, data, event.createdAt) };
}

/**
 * Sends a logged attempt's event to its endpoint again, now: one more attempt with the same
 * `webhook-id`, and no automatic retries after it. 422 when the endpoint is off or the event is
 * no longer kept (OUTBOX_RETENTION_DAYS).
 */
export async function retryWebhookDelivery(
  ctx: RequestContext,
  deps: WebhookDeps,
  deliveryId: string,
): Promise<WebhookDispatch> {
  assertAllowed(ctx, "update", "webhook");
  const data = await withWorkspaceTransaction(ctx.db, ctx.workspaceId, async (tx) => {
    const delivery = await findDelivery(tx, ctx.workspaceId, deliveryId);
    if (!delivery) throw notFound("webhook delivery");
    assertActive(await endpointOrThrow(tx, ctx, delivery.endpointId));
    if (!(await findEvent(tx, ctx.workspaceId, delivery.eventId))) {
      throw new AppError("rule-violation", "This delivery's event is no longer kept, so it cannot be sent again.");
    }
    const attempt = (await lastAttemptOf(tx, ctx.workspaceId, delivery.endpointId, delivery.eventId)) + 1;
    return { workspaceId: ctx.workspaceId, ...delivery, attempt, byHand: true };
  });
  return { eventId: data.eventId, deliveryId: await sendAttempt(deps.send, data, new Date(), "by-hand") };
}

/** An endpoint's delivery attempts, newest first, filtered; 404 for an endpoint of another workspace. */
export async function listWebhookDeliveries(
  ctx: RequestContext,
  id: string,
  query: ListWebhookDeliveriesQuery,
): Promise<{ data: WebhookDelivery[]; nextCursor: string | null }> {
  assertAllowed(ctx, "read", "webhook");
  const afterId = newestFirstAfter(query.cursor);
  const { status, eventType, from, to, limit } = query;
  return withWorkspaceTransaction(ctx.db, ctx.workspaceId, async (tx) => {
    await endpointOrThrow(tx, ctx, id);
    return listDeliveryRows(tx, ctx.workspaceId, id, { status, eventType, from, to }, { limit, afterId });
  });
}
