import { z } from "zod";
import { canonicalTimeZone, isCountryCode, isCurrencyInUse } from "../iso-codes.ts";
import { dateFormats, numberFormats } from "../workspace-defaults.ts";
import { CurrencySchema, IdSchema, requiredText } from "./common.ts";

export {
  dateFormats,
  defaultActivityTypes,
  defaultWorkspaceSettings,
  lostReasonProblem,
  numberFormats,
  otherReasonPrefix,
  type ActivityTypeSetting,
  type DateFormat,
  type NumberFormat,
} from "../workspace-defaults.ts";

/** An activity type's key as activities store it: never changes, whatever its label becomes. */
export const ActivityTypeKeySchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,39}$/, "Must be lower-case letters, digits or _, starting with a letter (at most 40)");

/** One kind of activity a workspace logs: `key` is stored on activities, `label` is what people read. */
export const ActivityTypeSchema = z.strictObject({
  key: ActivityTypeKeySchema,
  label: requiredText(50),
});

/** Adds an issue on `[index, field]` for each item whose `valueOf` repeats an earlier one's (ignoring case). */
function refineUnique<T>(valueOf: (item: T) => string, field: string | null, message: string) {
  return (items: T[], context: z.RefinementCtx) => {
    const seen = new Set<string>();
    items.forEach((item, index) => {
      const value = valueOf(item).trim().toLowerCase();
      if (seen.has(value)) context.addIssue({ code: "custom", path: field ? [index, field] : [index], message });
      seen.add(value);
    });
  };
}

/** A list of lost reasons, in the order they are offered: each at most 100 characters, no repeats. */
const LostReasonsSchema = z
  .array(requiredText(100))
  .max(50, "At most 50 reasons")
  .superRefine(refineUnique((reason) => reason, null, "Listed twice"));

const ActivityTypesSchema = z
  .array(ActivityTypeSchema)
  .min(1, "Keep at least one activity type")
  .max(30, "At most 30 activity types")
  .superRefine(refineUnique((type) => type.key, "key", "Used by another type"))
  .superRefine(refineUnique((type) => type.label, "label", "Listed twice"));

const TimeZoneSchema = z
  .string()
  .max(64)
  .transform((name, context) => {
    const zone = canonicalTimeZone(name);
    if (zone) return zone;
    context.addIssue({ code: "custom", message: "Must be an IANA time zone such as Europe/Berlin" });
    return z.NEVER;
  });

/** The workspace and its settings, as GET and PATCH /workspace answer them. */
export const WorkspaceSettingsSchema = z.object({
  id: IdSchema,
  name: z.string(),
  baseCurrency: z.string().describe("ISO 4217: the default currency of new deals and of totals"),
  timeZone: z.string().describe("IANA time zone in which the workspace's dates and times are shown"),
  dateFormat: z.enum(dateFormats).describe("`auto`: each person's language decides"),
  numberFormat: z.enum(numberFormats).describe("`auto`: each person's language decides"),
  fiscalYearStartMonth: z.number().int().describe("1 (January) to 12"),
  leadLostReasons: z.array(z.string()).describe("Offered when a lead is lost; empty: any reason"),
  dealLostReasons: z.array(z.string()).describe("Offered when a deal is lost; empty: any reason"),
  requireDealLostReason: z.boolean().describe("Whether a deal moved to a lost stage must have a lostReason"),
  customerOnWonDeal: z
    .boolean()
    .describe("Whether a deal that is won makes its contact a customer (lifecycle lead → customer)"),
  agentsSeeOwnRecordsOnly: z
    .boolean()
    .describe(
      "Whether agents read only their own records: contacts, companies, leads and deals they own, tasks " +
        "assigned to or created by them, activities they logged",
    ),
  activityTypes: z.array(ActivityTypeSchema).describe("The types activities may have, in the order offered"),
  defaultPhoneCountry: z.string().nullable().describe("ISO 3166-1 alpha-2: the country of phone numbers without +"),
  version: z.number().int(),
  updatedAt: z.date(),
});
export type WorkspaceSettings = z.infer<typeof WorkspaceSettingsSchema>;

/** PATCH /workspace: only the fields given change. */
export const UpdateWorkspaceSettingsSchema = z.strictObject({
  name: requiredText(100).optional(),
  baseCurrency: CurrencySchema.refine(isCurrencyInUse, "Must be a currency in use (ISO 4217), such as EUR").optional(),
  timeZone: TimeZoneSchema.optional(),
  dateFormat: z.enum(dateFormats).optional(),
  numberFormat: z.enum(numberFormats).optional(),
  fiscalYearStartMonth: z
    .number()
    .int("Must be a month number, 1 to 12")
    .min(1, "Must be a month number, 1 to 12")
    .max(12, "Must be a month number, 1 to 12")
    .optional(),
  leadLostReasons: LostReasonsSchema.optional(),
  dealLostReasons: LostReasonsSchema.optional(),
  requireDealLostReason: z.boolean().optional(),
  customerOnWonDeal: z.boolean().optional(),
  agentsSeeOwnRecordsOnly: z.boolean().optional(),
  activityTypes: ActivityTypesSchema.optional().describe(
    "The whole list: a type left out is no longer offered (activities of that type keep it)",
  ),
  defaultPhoneCountry: z
    .string()
    .refine(isCountryCode, "Must be an ISO 3166-1 alpha-2 country code such as DE")
    .nullable()
    .optional(),
});
export type UpdateWorkspaceSettings = z.infer<typeof UpdateWorkspaceSettingsSchema>;
