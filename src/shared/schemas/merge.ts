import { z } from "zod";
import { CompanySchema } from "./company.ts";
import { ContactSchema } from "./contact.ts";
import { IdSchema, LowerCaseIdSchema, pageSizeQuery } from "./common.ts";
import { UserSummarySchema } from "./summaries.ts";

/**
 * Duplicates and merge of contacts and companies (docs/duplicates-and-merge.md): groups of likely
 * duplicates with a reason and a confidence, the merge of several records into one survivor, and
 * its undo.
 */

export const duplicateReasons = ["email", "phone", "domain", "name"] as const;
export type DuplicateReason = (typeof duplicateReasons)[number];

export const confidences = ["high", "medium", "low"] as const;
export type Confidence = (typeof confidences)[number];

/** How sure a reason makes us: the same address or domain is one party; a similar name may not be. */
export const confidenceOf: Record<DuplicateReason, Confidence> = {
  email: "high",
  domain: "high",
  phone: "medium",
  name: "low",
};

/** Trigram similarity (0–1) from which two names count as similar. */
export const nameSimilarityThreshold = 0.6;

/** A record of a group, as the duplicates page shows it. */
export const DuplicateRecordSchema = z.object({
  id: IdSchema,
  name: z.string(),
  email: z.string().nullable().describe("Contacts: the e-mail address"),
  domain: z.string().nullable().describe("Companies: the domain"),
  phone: z.string().nullable(),
  ownerId: IdSchema.nullable(),
  owner: UserSummarySchema.nullable(),
  createdAt: z.date(),
});
export type DuplicateRecord = z.infer<typeof DuplicateRecordSchema>;

export const DuplicateGroupSchema = z.object({
  key: z.string().describe("Stable within a page: the reason and the first record's id"),
  reason: z.enum(duplicateReasons),
  confidence: z.enum(confidences),
  records: z.array(DuplicateRecordSchema).describe("Oldest first"),
});
export type DuplicateGroup = z.infer<typeof DuplicateGroupSchema>;

export const DuplicateGroupPageSchema = z.object({
  data: z.array(DuplicateGroupSchema),
  nextCursor: z.string().nullable().describe("Null once every reason has been walked"),
});
export type DuplicateGroupPage = z.infer<typeof DuplicateGroupPageSchema>;

export const DuplicateGroupsQuerySchema = z.strictObject({
  limit: pageSizeQuery(100, 25, "Groups per page, 1–100."),
  cursor: z.string().max(500).optional().describe("The nextCursor of the previous page."),
});

/** The draft of the create form, checked as the user types. */
export const ContactDuplicateCheckQuerySchema = z.strictObject({
  firstName: z.string().trim().max(100).optional(),
  lastName: z.string().trim().max(100).optional(),
  email: z.string().trim().max(254).optional(),
  phone: z.string().trim().max(32).optional(),
  excludeId: IdSchema.optional().describe("The record being edited, never its own duplicate"),
});
export type ContactDuplicateCheckQuery = z.infer<typeof ContactDuplicateCheckQuerySchema>;

export const CompanyDuplicateCheckQuerySchema = z.strictObject({
  name: z.string().trim().max(200).optional(),
  domain: z.string().trim().max(253).optional(),
  phone: z.string().trim().max(32).optional(),
  excludeId: IdSchema.optional().describe("The record being edited, never its own duplicate"),
});
export type CompanyDuplicateCheckQuery = z.infer<typeof CompanyDuplicateCheckQuerySchema>;

export const PossibleDuplicateSchema = DuplicateRecordSchema.extend({
  reason: z.enum(duplicateReasons),
  confidence: z.enum(confidences),
});
export type PossibleDuplicate = z.infer<typeof PossibleDuplicateSchema>;

export const PossibleDuplicatesSchema = z.object({ data: z.array(PossibleDuplicateSchema).max(5) });
export type PossibleDuplicates = z.infer<typeof PossibleDuplicatesSchema>;

/** The fields whose value a merge may take from any of its records (tags are always united). */
export const contactMergeFields = [
  "firstName",
  "lastName",
  "email",
  "phone",
  "jobTitle",
  "companyId",
  "ownerId",
  "lifecycle",
  "source",
] as const;
export const companyMergeFields = [
  "name",
  "domain",
  "industry",
  "phone",
  "address",
  "employeeCount",
  "annualRevenue",
  "ownerId",
] as const;

/** Most records merged into one survivor at once. */
export const maxMergedIds = 10;

/** The body of a merge. Its ids in lower case, so that each compares with the others as the same record. */
const mergeRequestSchema = <F extends readonly [string, ...string[]]>(fields: F) =>
  z.strictObject({
    survivorId: LowerCaseIdSchema.describe("The record that stays"),
    mergedIds: z
      .array(LowerCaseIdSchema)
      .min(1, "At least one id")
      .max(maxMergedIds, `At most ${maxMergedIds} ids`)
      .refine((ids) => new Set(ids).size === ids.length, "Each id once")
      .describe("The records merged into the survivor, then deleted"),
    fields: z
      .partialRecord(z.enum(fields), LowerCaseIdSchema)
      .default({})
      .describe(
        "`{ field: recordId }`: the record whose value the survivor keeps; fields not named keep the survivor's",
      ),
  });

export const ContactMergeRequestSchema = mergeRequestSchema(contactMergeFields);
export type ContactMergeRequest = z.infer<typeof ContactMergeRequestSchema>;
export const CompanyMergeRequestSchema = mergeRequestSchema(companyMergeFields);
export type CompanyMergeRequest = z.infer<typeof CompanyMergeRequestSchema>;
export type MergeRequest = { survivorId: string; mergedIds: string[]; fields: Partial<Record<string, string>> };

/** How many related rows a merge moved to the survivor, per table. */
export const MovedCountsSchema = z.record(z.string(), z.number().int());

const mergeResultSchema = <T extends z.ZodType>(record: T) =>
  z.object({
    mergeId: IdSchema.describe("POST /merges/{mergeId}/undo undoes it"),
    survivor: record,
    mergedIds: z.array(IdSchema),
    moved: MovedCountsSchema,
  });
export const ContactMergeResultSchema = mergeResultSchema(ContactSchema);
export const CompanyMergeResultSchema = mergeResultSchema(CompanySchema);
export type MergeResult<T> = { mergeId: string; survivor: T; mergedIds: string[]; moved: Record<string, number> };

export const MergeUndoResultSchema = z.object({
  mergeId: IdSchema,
  resource: z.enum(["contact", "company"]),
  survivorId: IdSchema,
  restoredIds: z.array(IdSchema),
});
export type MergeUndoResult = z.infer<typeof MergeUndoResultSchema>;
