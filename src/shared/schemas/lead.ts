import { z } from "zod";
import { AddressSchema, CompanySchema, DomainSchema, NonNegativeDecimalSchema } from "./company.ts";
import {
  CurrencySchema,
  DateSchema,
  EmailSchema,
  IdSchema,
  LastActivityAtSchema,
  PhoneSchema,
  TagsSchema,
  recordShape,
  requiredText,
  text,
} from "./common.ts";
import { ContactSchema } from "./contact.ts";
import { DealSchema } from "./deal.ts";
import { CompanySummarySchema, ContactSummarySchema, UserSummarySchema } from "./summaries.ts";

export const leadStatuses = ["new", "contacted", "qualified", "converted", "lost"] as const;
export type LeadStatus = (typeof leadStatuses)[number];

/**
 * Where a lead may go from each status with PATCH. Forward one step at a time
 * (new → contacted → qualified) and back one step to correct a mistake; any open status may be
 * lost; a lost lead may be reopened as new or contacted (its lost reason is cleared, the history
 * keeps it). `converted` is reached only through POST /leads/:id/convert, and is final.
 * The server enforces it; the web app offers only these moves.
 */
export const allowedLeadTransitions: Record<LeadStatus, readonly LeadStatus[]> = {
  new: ["contacted", "lost"],
  contacted: ["new", "qualified", "lost"],
  qualified: ["contacted", "lost"],
  lost: ["new", "contacted"],
  converted: [],
};

/** True when a PATCH may move a lead from one status to the other (staying put always may). */
export function canMoveLead(from: LeadStatus, to: LeadStatus): boolean {
  return from === to || allowedLeadTransitions[from].includes(to);
}
export const leadPriorities = ["low", "medium", "high"] as const;
export type LeadPriority = (typeof leadPriorities)[number];

/** A lead's link to one of its contacts; `contact` is embedded with include=contacts. */
export const LeadContactSchema = z.object({
  contactId: IdSchema,
  isPrimary: z.boolean(),
  contact: ContactSummarySchema.nullable().optional().describe("With include=contacts"),
});
export type LeadContact = z.infer<typeof LeadContactSchema>;

export const LeadSchema = z.object({
  ...recordShape,
  title: z.string(),
  status: z.enum(leadStatuses),
  priority: z.enum(leadPriorities),
  estimatedValue: z.string().nullable(),
  currency: z.string().nullable(),
  source: z.string().nullable(),
  score: z.number().int().describe("Computed from priority, value, primary contact and status; read-only"),
  ownerId: IdSchema.nullable(),
  lostReason: z.string().nullable(),
  companyId: IdSchema.nullable(),
  dealId: IdSchema.nullable().describe("Set by conversion; read-only"),
  convertedAt: z.date().nullable().describe("Set by conversion; read-only"),
  tags: z.array(z.string()),
  lastActivityAt: LastActivityAtSchema,
  contacts: z.array(LeadContactSchema),
  owner: UserSummarySchema.nullable().optional().describe("With include=owner"),
  company: CompanySummarySchema.nullable().optional().describe("With include=company"),
});
export type Lead = z.infer<typeof LeadSchema>;

/** The contacts of a lead as written: at most 50, no repeats, at most one primary. */
export const LeadContactsInputSchema = z
  .array(z.strictObject({ contactId: IdSchema, isPrimary: z.boolean().default(false) }))
  .max(50, "At most 50 contacts")
  .superRefine((items, ctx) => {
    if (items.filter((item) => item.isPrimary).length > 1) {
      ctx.addIssue({ code: "custom", message: "At most one contact can be primary" });
    }
    items.forEach((item, index) => {
      if (items.findIndex((other) => other.contactId === item.contactId) !== index) {
        ctx.addIssue({ code: "custom", path: [index, "contactId"], message: "Listed twice" });
      }
    });
  })
  .describe("Replaces the lead's contacts; without a primary one, the first becomes primary");
export type LeadContactsInput = z.infer<typeof LeadContactsInputSchema>;

const writableFields = {
  priority: z.enum(leadPriorities),
  estimatedValue: NonNegativeDecimalSchema.nullable(),
  currency: CurrencySchema.nullable(),
  source: text(100).nullable(),
  lostReason: requiredText(500).nullable().describe("Required to move a lead to lost; only lost leads have one"),
  companyId: IdSchema.nullable(),
  ownerId: IdSchema.nullable(),
};

export const CreateLeadSchema = z
  .strictObject({
    title: requiredText(200),
    status: z
      .enum(["new", "contacted", "qualified", "lost"])
      .default("new")
      .describe("converted only by POST /leads/:id/convert"),
    priority: writableFields.priority.default("medium"),
    estimatedValue: writableFields.estimatedValue.optional(),
    currency: writableFields.currency.optional(),
    source: writableFields.source.optional(),
    lostReason: writableFields.lostReason.optional(),
    companyId: writableFields.companyId.optional(),
    ownerId: writableFields.ownerId.optional().describe("Defaults to the caller"),
    contacts: LeadContactsInputSchema.default([]),
    tags: TagsSchema.default([]),
  })
  .superRefine((lead, ctx) => {
    if (lead.estimatedValue != null && lead.currency == null) {
      ctx.addIssue({ code: "custom", path: ["currency"], message: "Required with estimatedValue" });
    }
  });
export type CreateLead = z.infer<typeof CreateLeadSchema>;

export const UpdateLeadSchema = z.strictObject({
  title: requiredText(200).optional(),
  status: z.enum(leadStatuses).optional(),
  priority: writableFields.priority.optional(),
  estimatedValue: writableFields.estimatedValue.optional(),
  currency: writableFields.currency.optional(),
  source: writableFields.source.optional(),
  lostReason: writableFields.lostReason.optional(),
  companyId: writableFields.companyId.optional(),
  ownerId: writableFields.ownerId.optional(),
  contacts: LeadContactsInputSchema.optional(),
  tags: TagsSchema.optional(),
});
export type UpdateLead = z.infer<typeof UpdateLeadSchema>;

/** One recorded status change of a lead (`fromStatus` is null for the status it was created with). */
export const LeadStatusChangeSchema = z.object({
  id: IdSchema,
  fromStatus: z.enum(leadStatuses).nullable(),
  toStatus: z.enum(leadStatuses),
  reason: z.string().nullable(),
  changedBy: IdSchema.nullable(),
  changedAt: z.date(),
});
export type LeadStatusChange = z.infer<typeof LeadStatusChangeSchema>;

export const LeadStatusHistorySchema = z.object({ data: z.array(LeadStatusChangeSchema) });

const ConvertCompanySchema = z.strictObject({
  name: requiredText(200),
  domain: DomainSchema.nullable().optional(),
  industry: text(100).nullable().optional(),
  phone: PhoneSchema.nullable().optional(),
  address: AddressSchema.nullable().optional(),
  employeeCount: z
    .number()
    .int("Must be an integer")
    .min(0, "Must not be negative")
    .max(100_000_000)
    .nullable()
    .optional(),
  annualRevenue: NonNegativeDecimalSchema.nullable().optional(),
  tags: TagsSchema.default([]),
});

const ConvertContactSchema = z.strictObject({
  firstName: requiredText(100),
  lastName: text(100).default(""),
  email: EmailSchema.nullable().optional(),
  phone: PhoneSchema.nullable().optional(),
  jobTitle: text(200).nullable().optional(),
  source: text(100).nullable().optional(),
  tags: TagsSchema.default([]),
});

const ConvertDealSchema = z.strictObject({
  name: requiredText(200).optional().describe("Defaults to the lead's title"),
  value: NonNegativeDecimalSchema.optional().describe("Defaults to the lead's estimated value, else 0"),
  currency: CurrencySchema.optional().describe("Defaults to the lead's currency, else the workspace's base currency"),
  pipelineId: IdSchema.optional().describe("Defaults to the workspace's default pipeline"),
  stageId: IdSchema.optional().describe("Defaults to the pipeline's first stage"),
  expectedCloseDate: DateSchema.nullable().optional(),
  tags: TagsSchema.default([]),
});

/** `POST /leads/:id/convert`: a new or existing company, new or existing contacts, and the deal. */
export const ConvertLeadSchema = z
  .strictObject({
    company: ConvertCompanySchema.optional().describe("Creates a company; or give companyId"),
    companyId: IdSchema.optional().describe("Links an existing company; defaults to the lead's company"),
    contact: ConvertContactSchema.optional().describe("Creates a contact; or give contactIds"),
    contactIds: z
      .array(IdSchema)
      .max(50, "At most 50 contacts")
      .optional()
      .describe("Links existing contacts to the lead"),
    deal: ConvertDealSchema.default({ tags: [] }),
  })
  .superRefine((body, ctx) => {
    if (body.company && body.companyId) {
      ctx.addIssue({ code: "custom", path: ["companyId"], message: "Give either company or companyId" });
    }
    if (body.contact && body.contactIds) {
      ctx.addIssue({ code: "custom", path: ["contactIds"], message: "Give either contact or contactIds" });
    }
  });
export type ConvertLead = z.infer<typeof ConvertLeadSchema>;

export const ConvertLeadResultSchema = z.object({
  lead: LeadSchema,
  company: CompanySchema.nullable(),
  contacts: z.array(ContactSchema),
  deal: DealSchema,
});
export type ConvertLeadResult = z.infer<typeof ConvertLeadResultSchema>;
