import { z } from "zod";
import { CompanySummarySchema, ContactSummarySchema, DealSummarySchema, LeadSummarySchema } from "./summaries.ts";
import { DateTimeSchema, IdSchema, recordShape, showsSomething, text } from "./common.ts";
import { activityTypes } from "../vocabulary.ts";
import { ActivityTypeKeySchema } from "./workspace-settings.ts";

/**
 * The activity types every workspace starts with. A workspace's own list (GET /workspace,
 * `activityTypes`) is what activities are checked against; these keep their icons and rules.
 */
export { activityTypes };

/** Who started a call or e-mail. */
export const activityDirections = ["inbound", "outbound"] as const;
/** Only these types have a direction; a note or meeting with one is refused. */
export const directedActivityTypes: readonly string[] = ["call", "email"];
/** The records an activity (or a task) can be linked to. */
export const linkFields = ["contactId", "leadId", "dealId", "companyId"] as const;
/** Longest Markdown body accepted, in characters. */
export const maxBodyLength = 50_000;

/** Link fields and their `include` summaries, shared by activities and tasks. */
export const linkShape = {
  contactId: IdSchema.nullable(),
  leadId: IdSchema.nullable(),
  dealId: IdSchema.nullable(),
  companyId: IdSchema.nullable(),
  contact: ContactSummarySchema.nullable().optional().describe("With include=contact"),
  lead: LeadSummarySchema.nullable().optional().describe("With include=lead"),
  deal: DealSummarySchema.nullable().optional().describe("With include=deal"),
  company: CompanySummarySchema.nullable().optional().describe("With include=company"),
};

/** Link fields as accepted on input. */
export const linkInputShape = {
  contactId: IdSchema.nullable().optional(),
  leadId: IdSchema.nullable().optional(),
  dealId: IdSchema.nullable().optional(),
  companyId: IdSchema.nullable().optional(),
};

/** An activity as the API answers it. */
export const ActivitySchema = z.object({
  ...recordShape,
  type: z.string().describe("A key of the workspace's activity types (GET /workspace)"),
  subject: z.string(),
  body: z.string().nullable().describe("Markdown, stored as written; render it safely"),
  direction: z.enum(activityDirections).nullable(),
  occurredAt: z.date(),
  durationMinutes: z.number().int().nullable(),
  outcome: z.string().nullable(),
  ...linkShape,
});
export type Activity = z.infer<typeof ActivitySchema>;

const BodySchema = z.string().max(maxBodyLength, `At most ${maxBodyLength} characters`);
const DurationSchema = z
  .number()
  .int("Must be a whole number of minutes")
  .min(0)
  .max(1440, "At most 1440 minutes (a day)");

const hasLink = (input: Record<string, unknown>) => linkFields.some((field) => input[field] != null);

/** True for a known type that cannot have a direction (note, meeting). */
export const isUndirectedType = (type: unknown) =>
  typeof type === "string" &&
  (activityTypes as readonly string[]).includes(type) &&
  !directedActivityTypes.includes(type);

/** A note may be only its body; every other activity needs a subject. */
export const subjectIsOptional = (type: unknown) => type === "note";
export const missingSubjectIssue = { path: "subject", message: "Required (only a note may go without one)" };

/** The error (one per link field, so forms can show it anywhere) when an activity links to nothing. */
export const missingLinkIssues = linkFields.map((path) => ({
  path,
  message: "Link at least one of contactId, leadId, dealId, companyId",
}));

/** POST /activities: at least one link; a direction only on calls and e-mails. */
export const CreateActivitySchema = z
  .strictObject({
    type: ActivityTypeKeySchema.describe("A key of the workspace's activity types (GET /workspace)"),
    subject: text(200).default("").describe("Required, except for a note"),
    body: BodySchema.nullable().optional(),
    direction: z.enum(activityDirections).nullable().optional().describe("Calls and e-mails only"),
    occurredAt: DateTimeSchema.optional().describe("Defaults to now"),
    durationMinutes: DurationSchema.nullable().optional(),
    outcome: text(200).nullable().optional(),
    ...linkInputShape,
  })
  .superRefine(
    (input, context) => {
      // Runs even when other fields failed, so one answer names every problem.
      const raw = input as Record<string, unknown>;
      if (!hasLink(raw))
        for (const issue of missingLinkIssues) context.addIssue({ code: "custom", ...issue, path: [issue.path] });
      if (!showsSomething(typeof raw.subject === "string" ? raw.subject : "") && !subjectIsOptional(raw.type)) {
        context.addIssue({ code: "custom", ...missingSubjectIssue, path: [missingSubjectIssue.path] });
      }
      if (raw.direction != null && isUndirectedType(raw.type)) {
        context.addIssue({ code: "custom", path: ["direction"], message: "Only calls and e-mails have a direction" });
      }
    },
    { when: (payload) => typeof payload.value === "object" && payload.value !== null },
  );
export type CreateActivity = z.infer<typeof CreateActivitySchema>;

/** PATCH /activities/:id: the service checks links and direction again on the merged record. */
export const UpdateActivitySchema = z.strictObject({
  type: ActivityTypeKeySchema.optional(),
  subject: text(200).optional().describe("Required, except for a note"),
  body: BodySchema.nullable().optional(),
  direction: z.enum(activityDirections).nullable().optional(),
  occurredAt: DateTimeSchema.optional(),
  durationMinutes: DurationSchema.nullable().optional(),
  outcome: text(200).nullable().optional(),
  ...linkInputShape,
});
export type UpdateActivity = z.infer<typeof UpdateActivitySchema>;
