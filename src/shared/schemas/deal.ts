import { z } from "zod";
import { CompanySummarySchema, ContactSummarySchema, UserSummarySchema } from "./summaries.ts";
import {
  CurrencySchema,
  DateSchema,
  DecimalSchema,
  IdSchema,
  LastActivityAtSchema,
  TagsSchema,
  recordShape,
  requiredText,
} from "./common.ts";
import { ProbabilitySchema, StageSchema } from "./pipeline.ts";

/** Where a deal stands; derived from its stage, never written directly. */
export const dealStatuses = ["open", "won", "lost"] as const;
export type DealStatus = (typeof dealStatuses)[number];

/** A deal amount: a non-negative decimal string, never a float. */
export const DealValueSchema = DecimalSchema.refine((value) => !value.startsWith("-"), "Must not be negative");

/** Why a deal was lost, as written: only a deal in a lost stage has one. */
const LostReasonSchema = requiredText(500)
  .nullable()
  .describe(
    "Only for a deal in (or moved to) a lost stage: one of the workspace's deal lost reasons, or “Other: …”; " +
      "required there when the workspace's requireDealLostReason is on. Leaving a lost stage clears it",
  );

/** A deal as the API answers it. */
export const DealSchema = z.object({
  ...recordShape,
  name: z.string(),
  value: z.string().describe('Decimal string, e.g. "1250.00"'),
  currency: z.string(),
  pipelineId: IdSchema,
  stageId: IdSchema,
  status: z.enum(dealStatuses).describe("Derived from the stage: won, lost or open"),
  probability: z.number().int(),
  expectedCloseDate: z.string().nullable(),
  actualCloseDate: z
    .string()
    .nullable()
    .describe("Set when the deal enters a won or lost stage, cleared when it reopens"),
  contactId: IdSchema.nullable(),
  companyId: IdSchema.nullable(),
  leadId: IdSchema.nullable(),
  ownerId: IdSchema.nullable(),
  lostReason: z.string().nullable().describe("Why a lost deal was lost; null for open and won deals"),
  tags: z.array(z.string()),
  lastActivityAt: LastActivityAtSchema,
  company: CompanySummarySchema.nullable().optional().describe("With include=company"),
  contact: ContactSummarySchema.nullable().optional().describe("With include=contact"),
  owner: UserSummarySchema.nullable().optional().describe("With include=owner"),
  stage: StageSchema.nullable().optional().describe("With include=stage"),
});
export type Deal = z.infer<typeof DealSchema>;

/** Body of POST /deals; status and actual close date are derived, so not accepted. */
export const CreateDealSchema = z.strictObject({
  name: requiredText(200),
  value: DealValueSchema.default("0"),
  currency: CurrencySchema.optional().describe("Defaults to the workspace's base currency"),
  pipelineId: IdSchema.optional().describe("Defaults to the workspace's default pipeline"),
  stageId: IdSchema.optional().describe("Defaults to the pipeline's first stage; must belong to the pipeline"),
  probability: ProbabilitySchema.optional().describe("Defaults to the stage's probability"),
  expectedCloseDate: DateSchema.nullable().optional(),
  contactId: IdSchema.nullable().optional(),
  companyId: IdSchema.nullable().optional(),
  leadId: IdSchema.nullable().optional(),
  ownerId: IdSchema.nullable().optional().describe("Defaults to the caller"),
  lostReason: LostReasonSchema.optional(),
  tags: TagsSchema.default([]),
});
export type CreateDeal = z.infer<typeof CreateDealSchema>;

/** Body of PATCH /deals/:id; a new stageId moves the deal. */
export const UpdateDealSchema = z.strictObject({
  name: requiredText(200).optional(),
  value: DealValueSchema.optional(),
  currency: CurrencySchema.optional(),
  pipelineId: IdSchema.optional().describe(
    "Moving to another pipeline without stageId puts the deal in its first stage",
  ),
  stageId: IdSchema.optional().describe("Must belong to the deal's (new) pipeline"),
  probability: ProbabilitySchema.optional().describe(
    "When the stage changes and this is absent, the new stage's probability",
  ),
  expectedCloseDate: DateSchema.nullable().optional(),
  contactId: IdSchema.nullable().optional(),
  companyId: IdSchema.nullable().optional(),
  leadId: IdSchema.nullable().optional(),
  ownerId: IdSchema.nullable().optional(),
  lostReason: LostReasonSchema.optional(),
  tags: TagsSchema.optional(),
});
export type UpdateDeal = z.infer<typeof UpdateDealSchema>;
