import { z } from "zod";
import { DateTimeSchema, IdSchema, pageSizeQuery } from "./common.ts";

/** Who did something: a member, an API key (acting for the admin who made it), or Keel itself. */
export const auditActorTypes = ["user", "apiKey", "system"] as const;
export type AuditActorType = (typeof auditActorTypes)[number];

/** Record types with a change history (`GET /<resources>/:id/history`). */
export const historyResources = ["contact", "company", "lead", "deal", "activity", "task"] as const;

/** A field's value before and after a change; `null` on either side when it was or became empty. */
// An array of exactly two rather than a tuple: the response serializer compiles tuple item schemas wrongly.
export const FieldChangesSchema = z
  .record(z.string(), z.array(z.unknown()).length(2))
  .describe('Changed fields: `{ field: [old, new] }`. Secrets never appear; masked values read `"[masked]"`.');
export type FieldChanges = Record<string, [unknown, unknown]>;

/** One audit log entry, as the API answers it. */
export const AuditEntrySchema = z.object({
  id: IdSchema,
  occurredAt: z.date(),
  actor: z.object({
    type: z.enum(auditActorTypes),
    id: IdSchema.nullable().describe("The user or API key id; null for Keel itself and for unknown sign-in e-mails"),
    name: z.string().nullable().describe("The user's name or the API key's name, when it still exists"),
    onBehalfOf: IdSchema.nullable().describe("For an API key: the admin it acts for"),
  }),
  action: z.string().describe("What happened, e.g. `contact.updated`, `auth.sign_in_failed`, `access.denied`"),
  resourceType: z.string().nullable(),
  resourceId: IdSchema.nullable(),
  changes: FieldChangesSchema.nullable(),
  details: z
    .record(z.string(), z.unknown())
    .nullable()
    .describe("Facts that are not field changes: the e-mail tried at a failed sign-in, a row count…"),
  ipAddress: z.string().nullable(),
  userAgent: z.string().nullable(),
  requestId: z.string().nullable(),
  sealed: z.boolean().describe("True once the entry is in its workspace's hash chain"),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

const pageShape = {
  limit: pageSizeQuery(200, 50),
  cursor: z.string().max(200).optional().describe("The nextCursor of the previous page."),
};

/** Filters of `GET /audit-logs`; every one optional, newest first. */
export const AuditLogQuerySchema = z.strictObject({
  ...pageShape,
  actorId: IdSchema.optional().describe("Entries of this user or API key"),
  actorType: z.enum(auditActorTypes).optional(),
  resourceType: z.string().trim().max(50).optional(),
  resourceId: IdSchema.optional(),
  action: z.string().trim().max(100).optional().describe("Exact action, or a prefix ending in `.` (e.g. `contact.`)"),
  from: DateTimeSchema.optional().describe("Entries at or after this instant"),
  to: DateTimeSchema.optional().describe("Entries before this instant"),
});
export type AuditLogQuery = z.infer<typeof AuditLogQuerySchema>;

/** Paging of a record's history, newest first. */
export const HistoryQuerySchema = z.strictObject(pageShape);

export const AuditPageSchema = z.object({ data: z.array(AuditEntrySchema), nextCursor: z.string().nullable() });
export type AuditPage = z.infer<typeof AuditPageSchema>;
