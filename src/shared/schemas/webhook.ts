import { z } from "zod";
import { EventSelectorSchema } from "../events.ts";
import { DateTimeSchema, IdSchema, pageOf, pageSizeQuery, requiredText, text } from "./common.ts";

/** Endpoints a workspace may have, so that every event is matched against a short list. */
export const maxWebhookEndpoints = 100;

/** Most event selectors one endpoint may list. */
export const maxWebhookEvents = 100;

/** What one delivery attempt came to: `gone` is a 410 answer, which disables the endpoint. */
export const deliveryStatuses = ["delivered", "failed", "gone"] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];

const EventSelectorsSchema = z
  .array(EventSelectorSchema)
  .min(1, "Choose at least one event")
  .max(maxWebhookEvents, `At most ${maxWebhookEvents} events`)
  .transform((events) => [...new Set(events)])
  .describe("Event types of the catalogue (docs/events.md), `resource.*` for all of a resource's, or `*`");

/** An endpoint as the API answers it: never its secret, which only creation and rotation show. */
export const WebhookSchema = z.object({
  id: IdSchema,
  url: z.string(),
  description: z.string().nullable(),
  events: z.array(z.string()),
  active: z.boolean().describe("False: nothing is sent to it, until `PATCH { active: true }`"),
  disabledReason: z
    .string()
    .nullable()
    .describe(
      "Why Keel turned it off (a 410 answer, 5 days of failures); null when it is on or an admin turned it off",
    ),
  failingSince: z
    .date()
    .nullable()
    .describe("The first failure since its last success; after 5 days of failures it is turned off"),
  createdBy: IdSchema,
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type Webhook = z.infer<typeof WebhookSchema>;

/** The answer of creating an endpoint or rotating its secret: the only times the secret is shown. */
export const WebhookWithSecretSchema = WebhookSchema.extend({
  secret: z
    .string()
    .describe("The signing secret, `whsec_` and base64: shown this once, keep it where your receiver reads it"),
});
export type WebhookWithSecret = z.infer<typeof WebhookWithSecretSchema>;

export const CreateWebhookSchema = z.strictObject({
  url: requiredText(2000).describe(
    "Where deliveries are POSTed: http or https, no user name or password, public addresses only " +
      "(unless its host is in WEBHOOK_ALLOWED_HOSTS)",
  ),
  events: EventSelectorsSchema,
  description: text(500).nullable().optional().describe("What the endpoint is for"),
});
export type CreateWebhook = z.infer<typeof CreateWebhookSchema>;

export const UpdateWebhookSchema = z.strictObject({
  url: CreateWebhookSchema.shape.url.optional(),
  events: EventSelectorsSchema.optional(),
  description: CreateWebhookSchema.shape.description,
  active: z
    .boolean()
    .optional()
    .describe("false turns the endpoint off; true turns it back on and clears disabledReason and failingSince"),
});
export type UpdateWebhook = z.infer<typeof UpdateWebhookSchema>;

const pageShape = {
  limit: pageSizeQuery(200, 50),
  cursor: z.string().max(200).optional().describe("The nextCursor of the previous page."),
};

/** `GET /webhooks`: newest first, by cursor. */
export const ListWebhooksQuerySchema = z.strictObject(pageShape);
export type ListWebhooksQuery = z.infer<typeof ListWebhooksQuerySchema>;
export const WebhookPageSchema = pageOf(WebhookSchema);

/** One attempt to deliver one event to one endpoint, as the delivery log shows it. */
export const WebhookDeliverySchema = z.object({
  id: IdSchema,
  eventId: IdSchema.describe("The event's id: the `webhook-id` header of every attempt of this event"),
  eventType: z.string(),
  attempt: z.number().int().describe("1 for the first attempt; retries, automatic or by hand, count on"),
  status: z.enum(deliveryStatuses),
  responseCode: z.number().int().nullable().describe("The receiver's HTTP status; null when no answer came"),
  durationMs: z.number().int(),
  responseExcerpt: z.string().nullable().describe("The first kilobyte of the answer's body"),
  error: z.string().nullable().describe("Why the attempt failed, in a few words (`HTTP 500`, `timeout`…)"),
  nextAttemptAt: z
    .date()
    .nullable()
    .describe("When the next automatic attempt is due; null after a success, the last attempt or a retry by hand"),
  createdAt: z.date(),
});
export type WebhookDelivery = z.infer<typeof WebhookDeliverySchema>;

/** `GET /webhooks/:id/deliveries`: newest first, by cursor, filtered. */
export const ListWebhookDeliveriesQuerySchema = z.strictObject({
  ...pageShape,
  status: z.enum(deliveryStatuses).optional().describe("Only attempts with this outcome"),
  eventType: z.string().trim().max(100).optional().describe("Only attempts of this event type"),
  from: DateTimeSchema.optional().describe("Attempts made at or after this instant"),
  to: DateTimeSchema.optional().describe("Attempts made before this instant"),
});
export type ListWebhookDeliveriesQuery = z.infer<typeof ListWebhookDeliveriesQuerySchema>;
export const WebhookDeliveryPageSchema = pageOf(WebhookDeliverySchema);

/** The answer of `POST /webhooks/:id/test` and `POST /webhook-deliveries/:id/retry`: an attempt on its way. */
export const WebhookDispatchSchema = z.object({
  eventId: IdSchema.describe("The event sent: the `webhook-id` of the request"),
  deliveryId: IdSchema.describe("The id the attempt has in the delivery log once it is made (within seconds)"),
});
export type WebhookDispatch = z.infer<typeof WebhookDispatchSchema>;
