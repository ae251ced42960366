import { z } from "zod";
import { ActivitySchema } from "./schemas/activity.ts";
import { FieldChangesSchema } from "./schemas/audit.ts";
import { RoleSchema } from "./schemas/auth.ts";
import { IdSchema } from "./schemas/common.ts";
import { CompanySchema } from "./schemas/company.ts";
import { ContactSchema } from "./schemas/contact.ts";
import { DealSchema } from "./schemas/deal.ts";
import { ConvertLeadResultSchema, LeadSchema, leadStatuses } from "./schemas/lead.ts";
import { NotificationSchema } from "./schemas/notification.ts";
import { PipelineSchema } from "./schemas/pipeline.ts";
import { TaskSchema } from "./schemas/task.ts";
import { WorkspaceSettingsSchema } from "./schemas/workspace-settings.ts";

/**
 * The event catalogue: every domain event Keel emits, with the schema of its payload and its
 * version. Events are written to the outbox in the transaction of the change they describe, so a
 * rolled-back change has none; webhooks and the live stream deliver them as
 * `{ type, timestamp, data }` where `data` is the payload below. A payload only ever gains
 * optional fields within a version; a breaking change is a new version, announced in docs/events.md.
 */

const record = <T extends z.ZodType>(schema: T) => z.object({ record: schema });
const updated = <T extends z.ZodType>(schema: T) =>
  z.object({ record: schema, changes: FieldChangesSchema.describe("`{ field: [old, new] }` of this update") });

/** The record types whose changes all emit created, updated, deleted and restored events. */
const recordSchemas = {
  contact: ContactSchema,
  company: CompanySchema,
  lead: LeadSchema,
  deal: DealSchema,
  activity: ActivitySchema,
  task: TaskSchema,
  pipeline: PipelineSchema,
} as const;
export type EventResource = keyof typeof recordSchemas;

const lifecycleEvents = Object.fromEntries(
  Object.entries(recordSchemas).flatMap(([resource, schema]) => [
    [`${resource}.created`, { version: 1, summary: `A ${resource} was created`, payload: record(schema) }],
    [`${resource}.updated`, { version: 1, summary: `A ${resource} was changed`, payload: updated(schema) }],
    [`${resource}.deleted`, { version: 1, summary: `A ${resource} was deleted (restorable)`, payload: record(schema) }],
    [`${resource}.restored`, { version: 1, summary: `A deleted ${resource} was restored`, payload: record(schema) }],
  ]),
) as unknown as {
  [K in `${EventResource}.${"created" | "updated" | "deleted" | "restored"}`]: EventDefinition;
};

const LeadStatusSchema = z.enum(leadStatuses);
const MemberPayloadSchema = z.object({
  userId: IdSchema,
  role: RoleSchema,
  active: z.boolean(),
  previousRole: RoleSchema.nullable().describe("For member.role_changed: the role before"),
});

const InvitationPayloadSchema = z.object({
  invitationId: IdSchema,
  email: z.string(),
  role: RoleSchema,
});

/** A merge: the survivor as it is after, which records were merged into it and whose values it kept. */
const merged = <T extends z.ZodType>(schema: T) =>
  z.object({
    record: schema.describe("The survivor, after the merge"),
    mergeId: IdSchema.describe("POST /merges/{mergeId}/undo undoes it"),
    mergedIds: z.array(IdSchema).describe("Deleted, each with mergedIntoId pointing to the survivor"),
    fields: z.record(z.string(), IdSchema).describe("`{ field: recordId }`: whose value the survivor kept"),
  });

/** Every event type, its payload schema, its version and what it means. */
export const eventCatalogue = {
  ...lifecycleEvents,
  "lead.status_changed": {
    version: 1,
    summary: "A lead moved to another status",
    payload: z.object({
      record: LeadSchema,
      fromStatus: LeadStatusSchema,
      toStatus: LeadStatusSchema,
      reason: z.string().nullable(),
    }),
  },
  "lead.converted": {
    version: 1,
    summary: "A qualified lead became a deal (with its company and contacts)",
    payload: ConvertLeadResultSchema,
  },
  "deal.stage_changed": {
    version: 1,
    summary: "A deal moved to another stage or pipeline",
    payload: z.object({
      record: DealSchema,
      fromPipelineId: IdSchema,
      fromStageId: IdSchema,
      toPipelineId: IdSchema,
      toStageId: IdSchema,
    }),
  },
  "contact.merged": {
    version: 1,
    summary: "Contacts were merged into one; the others are deleted, pointing to it",
    payload: merged(ContactSchema),
  },
  "company.merged": {
    version: 1,
    summary: "Companies were merged into one; the others are deleted, pointing to it",
    payload: merged(CompanySchema),
  },
  "deal.won": { version: 1, summary: "A deal reached a won stage", payload: record(DealSchema) },
  "deal.lost": { version: 1, summary: "A deal reached a lost stage", payload: record(DealSchema) },
  "task.completed": { version: 1, summary: "A task was completed", payload: record(TaskSchema) },
  "task.reopened": { version: 1, summary: "A completed task was reopened", payload: record(TaskSchema) },
  "task.reminder_due": {
    version: 1,
    summary: "A task's reminder time has come (once per reminder)",
    payload: record(TaskSchema),
  },
  "notification.created": {
    version: 1,
    summary: "A member got a notification (the live stream sends it to that member only)",
    payload: z.object({ userId: IdSchema.describe("The member it is for"), notification: NotificationSchema }),
  },
  "member.added": { version: 1, summary: "Someone joined the workspace", payload: MemberPayloadSchema },
  "member.role_changed": { version: 1, summary: "A member's role changed", payload: MemberPayloadSchema },
  "member.deactivated": { version: 1, summary: "A member was deactivated", payload: MemberPayloadSchema },
  "member.reactivated": { version: 1, summary: "A deactivated member was reactivated", payload: MemberPayloadSchema },
  "member.removed": { version: 1, summary: "A member was removed from the workspace", payload: MemberPayloadSchema },
  "invitation.created": { version: 1, summary: "Someone was invited", payload: InvitationPayloadSchema },
  "invitation.revoked": { version: 1, summary: "An invitation was revoked", payload: InvitationPayloadSchema },
  "workspace.updated": {
    version: 1,
    summary: "An admin changed the workspace's settings (name, currency, formats, lists)",
    payload: updated(WorkspaceSettingsSchema),
  },
  "webhook.test": {
    version: 1,
    summary: "Sent by POST /webhooks/:id/test to check an endpoint; never emitted by a change",
    payload: z.object({ webhookId: IdSchema, message: z.string() }),
  },
} satisfies Record<string, EventDefinition>;

export type EventDefinition = { version: number; summary: string; payload: z.ZodType };
export type EventType = keyof typeof eventCatalogue;
export type EventPayload<T extends EventType> = z.input<(typeof eventCatalogue)[T]["payload"]>;

export const eventTypes = Object.keys(eventCatalogue).sort() as EventType[];

export function isEventType(value: string): value is EventType {
  return Object.hasOwn(eventCatalogue, value);
}

/** The resource an event is about: the part of its type before the first dot. */
export function resourceOfEvent(type: EventType): string {
  return type.slice(0, type.indexOf("."));
}

/** Event types a subscription may name: every type, or a `resource.*` wildcard. */
export const EventSelectorSchema = z
  .string()
  .refine(
    (value) => value === "*" || isEventType(value) || eventTypes.some((type) => value === `${resourceOfEvent(type)}.*`),
    "Must be an event type from the catalogue (docs/events.md), `resource.*` or `*`",
  );
