import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { IdParamsSchema } from "../../../shared/schemas/common.ts";
import {
  CreateWebhookSchema,
  ListWebhookDeliveriesQuerySchema,
  ListWebhooksQuerySchema,
  UpdateWebhookSchema,
  WebhookDeliveryPageSchema,
  WebhookDispatchSchema,
  WebhookPageSchema,
  WebhookSchema,
  WebhookWithSecretSchema,
} from "../../../shared/schemas/webhook.ts";
import { contextOf } from "../../http/authentication.ts";
import { problemResponses, readProblems, writeProblems } from "../../http/record-routes.ts";
import {
  createWebhook,
  deleteWebhook,
  getWebhook,
  listWebhookDeliveries,
  listWebhooks,
  retryWebhookDelivery,
  rotateWebhookSecret,
  testWebhook,
  updateWebhook,
  type WebhookDeps,
} from "./webhooks.service.ts";

const tags = ["Webhooks"];
const dispatchProblems = problemResponses(400, 401, 403, 404, 422);

/**
 * /webhooks and /webhook-deliveries: the workspace's webhook endpoints and their delivery log, for
 * its admins and for API keys with the `webhooks` scopes (`webhook-deliveries:write` to retry).
 */
export const webhooksRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps: WebhookDeps = { config: app.config, secretBox: app.secretBox, send: (...args) => app.jobs.send(...args) };

  app.get(
    "/webhooks",
    {
      schema: {
        operationId: "listWebhooks",
        tags,
        summary: "List the workspace's webhook endpoints, newest first (admins only)",
        description: "Never their secrets, which only creation and rotation answer.",
        querystring: ListWebhooksQuerySchema,
        response: { 200: WebhookPageSchema, ...readProblems },
      },
    },
    async (request) => listWebhooks(contextOf(request), request.query),
  );

  app.post(
    "/webhooks",
    {
      schema: {
        operationId: "createWebhook",
        tags,
        summary: "Subscribe a URL to events (admins only); the answer shows the signing secret this once",
        description:
          "The URL must be http or https without a user name or password, and its host must resolve to public " +
          "addresses only unless it is in WEBHOOK_ALLOWED_HOSTS: otherwise 400 on `url`. Deliveries are signed " +
          "with the secret following Standard Webhooks (docs/webhooks.md).",
        body: CreateWebhookSchema,
        response: {
          201: WebhookWithSecretSchema.describe("Created: the endpoint, with its secret shown this once"),
          ...writeProblems,
        },
      },
    },
    async (request, reply) => {
      const webhook = await createWebhook(contextOf(request), deps, request.body);
      return reply.code(201).header("location", `/api/v1/webhooks/${webhook.id}`).send(webhook);
    },
  );

  app.get(
    "/webhooks/:id",
    {
      schema: {
        operationId: "getWebhook",
        tags,
        summary: "Get a webhook endpoint (admins only), without its secret",
        params: IdParamsSchema,
        response: { 200: WebhookSchema, ...readProblems },
      },
    },
    async (request) => getWebhook(contextOf(request), request.params.id),
  );

  app.patch(
    "/webhooks/:id",
    {
      schema: {
        operationId: "updateWebhook",
        tags,
        summary: "Change a webhook endpoint, or turn it off or back on (admins only)",
        description:
          "A new `url` is checked as at creation. `active: true` turns an endpoint Keel turned off back on and " +
          "clears `disabledReason` and `failingSince`.",
        params: IdParamsSchema,
        body: UpdateWebhookSchema,
        response: { 200: WebhookSchema, ...writeProblems },
      },
    },
    async (request) => updateWebhook(contextOf(request), deps, request.params.id, request.body),
  );

  app.delete(
    "/webhooks/:id",
    {
      schema: {
        operationId: "deleteWebhook",
        tags,
        summary: "Delete a webhook endpoint and its delivery log (admins only)",
        params: IdParamsSchema,
        response: { 204: z.null().describe("Deleted"), ...readProblems },
      },
    },
    async (request, reply) => {
      await deleteWebhook(contextOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    "/webhooks/:id/test",
    {
      schema: {
        operationId: "testWebhook",
        tags,
        summary: "Send a webhook.test event to this endpoint now (admins only)",
        description:
          "Answers 202 once the attempt is queued, with the event's id (the `webhook-id` the receiver gets) and " +
          "the id the attempt will have in the endpoint's delivery log, within seconds. The event goes to this " +
          "endpoint only and is retried like any other. 422 when the endpoint is turned off.",
        params: IdParamsSchema,
        response: { 202: WebhookDispatchSchema.describe("Queued"), ...dispatchProblems },
      },
    },
    async (request, reply) => reply.code(202).send(await testWebhook(contextOf(request), deps, request.params.id)),
  );

  app.post(
    "/webhooks/:id/rotate-secret",
    {
      schema: {
        operationId: "rotateWebhookSecret",
        tags,
        summary: "Give a webhook endpoint a new signing secret (admins only), shown this once",
        description: "Every attempt from now on, retries of earlier events included, is signed with the new secret.",
        params: IdParamsSchema,
        response: {
          200: WebhookWithSecretSchema.describe("The endpoint, with its new secret shown this once"),
          ...readProblems,
        },
      },
    },
    async (request) => rotateWebhookSecret(contextOf(request), deps, request.params.id),
  );

  app.get(
    "/webhooks/:id/deliveries",
    {
      schema: {
        operationId: "listWebhookDeliveries",
        tags,
        summary: "List a webhook endpoint's delivery attempts, newest first (admins only)",
        description:
          "One entry per attempt: its outcome, the receiver's status code, how long it took, the first kilobyte " +
          "of the answer and, for a failure, why; `nextAttemptAt` while an automatic retry is due.",
        params: IdParamsSchema,
        querystring: ListWebhookDeliveriesQuerySchema,
        response: { 200: WebhookDeliveryPageSchema, ...readProblems },
      },
    },
    async (request) => listWebhookDeliveries(contextOf(request), request.params.id, request.query),
  );

  app.post(
    "/webhook-deliveries/:id/retry",
    {
      schema: {
        operationId: "retryWebhookDelivery",
        tags,
        summary: "Send a delivery's event to its endpoint again, now (admins only)",
        description:
          "One more attempt with the same `webhook-id`, whatever the outcome of the earlier ones; a failure is not " +
          "retried automatically. Answers 202 like the test. 422 when the endpoint is turned off or the event is " +
          "no longer kept (OUTBOX_RETENTION_DAYS).",
        params: IdParamsSchema,
        response: { 202: WebhookDispatchSchema.describe("Queued"), ...dispatchProblems },
      },
    },
    async (request, reply) =>
      reply.code(202).send(await retryWebhookDelivery(contextOf(request), deps, request.params.id)),
  );
};
