import { z } from "zod";
import { CompanySummarySchema, UserSummarySchema } from "./summaries.ts";
import {
  EmailSchema,
  IdSchema,
  LastActivityAtSchema,
  PhoneSchema,
  TagsSchema,
  recordShape,
  requiredText,
  text,
} from "./common.ts";

export const lifecycles = ["lead", "customer"] as const;

export const ContactSchema = z.object({
  ...recordShape,
  firstName: z.string(),
  lastName: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  jobTitle: z.string().nullable(),
  companyId: IdSchema.nullable(),
  ownerId: IdSchema.nullable(),
  lifecycle: z.enum(lifecycles),
  source: z.string().nullable(),
  tags: z.array(z.string()),
  lastActivityAt: LastActivityAtSchema,
  mergedIntoId: IdSchema.optional().describe("Only on a record merged into another: the survivor's id, to follow"),
  company: CompanySummarySchema.nullable().optional().describe("With include=company"),
  owner: UserSummarySchema.nullable().optional().describe("With include=owner"),
});
export type Contact = z.infer<typeof ContactSchema>;

export const CreateContactSchema = z.strictObject({
  firstName: requiredText(100),
  lastName: text(100).default(""),
  email: EmailSchema.nullable().optional(),
  phone: PhoneSchema.nullable().optional(),
  jobTitle: text(200).nullable().optional(),
  companyId: IdSchema.nullable().optional(),
  ownerId: IdSchema.nullable().optional().describe("Defaults to the caller"),
  lifecycle: z.enum(lifecycles).default("lead"),
  source: text(100).nullable().optional(),
  tags: TagsSchema.default([]),
});
export type CreateContact = z.infer<typeof CreateContactSchema>;

export const UpdateContactSchema = z.strictObject({
  firstName: requiredText(100).optional(),
  lastName: text(100).optional(),
  email: EmailSchema.nullable().optional(),
  phone: PhoneSchema.nullable().optional(),
  jobTitle: text(200).nullable().optional(),
  companyId: IdSchema.nullable().optional(),
  ownerId: IdSchema.nullable().optional(),
  lifecycle: z.enum(lifecycles).optional(),
  source: text(100).nullable().optional(),
  tags: TagsSchema.optional(),
});
export type UpdateContact = z.infer<typeof UpdateContactSchema>;
