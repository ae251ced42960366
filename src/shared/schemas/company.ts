import { z } from "zod";
import { UserSummarySchema } from "./summaries.ts";
import {
  DecimalSchema,
  IdSchema,
  LastActivityAtSchema,
  PhoneSchema,
  TagsSchema,
  recordShape,
  requiredText,
  text,
} from "./common.ts";

/** A host name such as `example.com`, lower-cased: what duplicate detection by domain compares. */
export const DomainSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(253, "At most 253 characters")
  .regex(/^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, "Must be a domain name such as example.com");

/** A postal address; every part is optional, unknown parts are refused. */
export const AddressSchema = z.strictObject({
  line1: text(200).optional(),
  line2: text(200).optional(),
  city: text(100).optional(),
  region: text(100).optional(),
  postalCode: text(20).optional(),
  country: text(100).optional(),
});
export type Address = z.infer<typeof AddressSchema>;

/** A money amount that cannot be negative (revenues, estimated values). */
export const NonNegativeDecimalSchema = DecimalSchema.refine((value) => !value.startsWith("-"), "Must not be negative");

export const CompanySchema = z.object({
  ...recordShape,
  name: z.string(),
  domain: z.string().nullable(),
  industry: z.string().nullable(),
  phone: z.string().nullable(),
  address: z
    .object({
      line1: z.string().optional(),
      line2: z.string().optional(),
      city: z.string().optional(),
      region: z.string().optional(),
      postalCode: z.string().optional(),
      country: z.string().optional(),
    })
    .nullable(),
  employeeCount: z.number().int().nullable(),
  annualRevenue: z.string().nullable(),
  ownerId: IdSchema.nullable(),
  tags: z.array(z.string()),
  lastActivityAt: LastActivityAtSchema,
  mergedIntoId: IdSchema.optional().describe("Only on a record merged into another: the survivor's id, to follow"),
  owner: UserSummarySchema.nullable().optional().describe("With include=owner"),
});
export type Company = z.infer<typeof CompanySchema>;

const writableFields = {
  domain: DomainSchema.nullable().optional(),
  industry: text(100).nullable().optional(),
  phone: PhoneSchema.nullable().optional(),
  address: AddressSchema.nullable().optional().describe("Replaces the whole address"),
  employeeCount: z
    .number()
    .int("Must be an integer")
    .min(0, "Must not be negative")
    .max(100_000_000)
    .nullable()
    .optional(),
  annualRevenue: NonNegativeDecimalSchema.nullable().optional(),
};

export const CreateCompanySchema = z.strictObject({
  name: requiredText(200),
  ...writableFields,
  ownerId: IdSchema.nullable().optional().describe("Defaults to the caller"),
  tags: TagsSchema.default([]),
});
export type CreateCompany = z.infer<typeof CreateCompanySchema>;

export const UpdateCompanySchema = z.strictObject({
  name: requiredText(200).optional(),
  ...writableFields,
  ownerId: IdSchema.nullable().optional(),
  tags: TagsSchema.optional(),
});
export type UpdateCompany = z.infer<typeof UpdateCompanySchema>;
