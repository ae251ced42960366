import { boolean, foreignKey, index, integer, pgTable, primaryKey, text, uuid } from "drizzle-orm/pg-core";
import { timestamptz } from "../../db/columns.ts";
import { memberReference } from "../users/users.table.ts";

/**
 * An admin's subscription of a URL to event types. The signing secret is kept sealed with the
 * server's encryption key (lib/secret-box.ts): deliveries need it back, so it cannot be hashed.
 * `failingSince` is the first failure of the current run of failures: after 5 days the endpoint
 * is disabled (`disabledReason`), as it is at once by a 410.
 */
export const webhookEndpoints = pgTable(
  "webhook_endpoints",
  {
    workspaceId: uuid().notNull(),
    id: uuid().notNull(),
    url: text().notNull(),
    description: text(),
    events: text().array().notNull(),
    secretSealed: text().notNull(),
    active: boolean().notNull().default(true),
    disabledReason: text(),
    failingSince: timestamptz(),
    createdBy: uuid().notNull(),
    createdAt: timestamptz().notNull().defaultNow(),
    updatedAt: timestamptz().notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    memberReference("webhook_endpoints_created_by_fk", t.workspaceId, t.createdBy),
  ],
);

/** One delivery attempt of one event to one endpoint (the delivery log). */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    workspaceId: uuid().notNull(),
    id: uuid().notNull(),
    endpointId: uuid().notNull(),
    /** The outbox event: its id is the `webhook-id` of every attempt. */
    eventId: uuid().notNull(),
    eventType: text().notNull(),
    attempt: integer().notNull(),
    status: text({ enum: ["delivered", "failed", "gone"] }).notNull(),
    responseCode: integer(),
    durationMs: integer().notNull(),
    responseExcerpt: text(),
    error: text(),
    /** When the next attempt is due; null after a success, the last attempt or a manual retry. */
    nextAttemptAt: timestamptz(),
    createdAt: timestamptz().notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    foreignKey({
      name: "webhook_deliveries_endpoint_fk",
      columns: [t.workspaceId, t.endpointId],
      foreignColumns: [webhookEndpoints.workspaceId, webhookEndpoints.id],
    }).onDelete("cascade"),
    index("webhook_deliveries_endpoint_idx").on(t.workspaceId, t.endpointId, t.id),
    index("webhook_deliveries_event_idx").on(t.workspaceId, t.eventId),
  ],
);
