import type { z } from "zod";
import type { Resource } from "../../../shared/permissions.ts";
import { CreateActivitySchema, UpdateActivitySchema } from "../../../shared/schemas/activity.ts";
import { CreateCompanySchema, UpdateCompanySchema } from "../../../shared/schemas/company.ts";
import { CreateContactSchema, UpdateContactSchema } from "../../../shared/schemas/contact.ts";
import { CreateDealSchema, UpdateDealSchema } from "../../../shared/schemas/deal.ts";
import type { ImportResource } from "../../../shared/schemas/import.ts";
import { CreateLeadSchema, UpdateLeadSchema } from "../../../shared/schemas/lead.ts";
import { CreateTaskSchema, UpdateTaskSchema } from "../../../shared/schemas/task.ts";
import { activityType } from "../activities/activities.service.ts";
import { companyType } from "../companies/index.ts";
import { contactType } from "../contacts/index.ts";
import { dealType } from "../deals/index.ts";
import type { RecordType } from "../records/index.ts";
import { leadType } from "../leads/leads.service.ts";
import { taskType } from "../tasks/tasks.lifecycle.ts";

// The write path's record types differ in their row and input types; imports handle them alike.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRecordType = RecordType<any, { id: string }, any, any>;

/**
 * A resource as imports see it: the write path's record type and the API's own create and
 * update schemas, so an imported row passes exactly the checks a POST or PATCH would.
 */
export type ImportKind = {
  resource: Resource;
  type: AnyRecordType;
  create: z.ZodType;
  update: z.ZodType;
  /** The input field agents may only set to themselves. */
  ownerField: "ownerId" | "assigneeId" | null;
};

export const importKinds: Record<ImportResource, ImportKind> = {
  contacts: {
    resource: "contact",
    type: contactType as AnyRecordType,
    create: CreateContactSchema,
    update: UpdateContactSchema,
    ownerField: "ownerId",
  },
  companies: {
    resource: "company",
    type: companyType as AnyRecordType,
    create: CreateCompanySchema,
    update: UpdateCompanySchema,
    ownerField: "ownerId",
  },
  leads: {
    resource: "lead",
    type: leadType as AnyRecordType,
    create: CreateLeadSchema,
    update: UpdateLeadSchema,
    ownerField: "ownerId",
  },
  deals: {
    resource: "deal",
    type: dealType as AnyRecordType,
    create: CreateDealSchema,
    update: UpdateDealSchema,
    ownerField: "ownerId",
  },
  activities: {
    resource: "activity",
    type: activityType as AnyRecordType,
    create: CreateActivitySchema,
    update: UpdateActivitySchema,
    ownerField: null,
  },
  tasks: {
    resource: "task",
    type: taskType as AnyRecordType,
    create: CreateTaskSchema,
    update: UpdateTaskSchema,
    ownerField: "assigneeId",
  },
};

/** The import resource of a permission resource (undo walks records of several types). */
export const importResourceOf: Record<string, ImportResource> = {
  contact: "contacts",
  company: "companies",
  lead: "leads",
  deal: "deals",
  activity: "activities",
  task: "tasks",
};
