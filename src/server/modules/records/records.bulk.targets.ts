import type { BulkCollection } from "../../../shared/schemas/bulk.ts";
import { activitiesListSpec } from "../activities/activities.repository.ts";
import { activityType } from "../activities/activities.service.ts";
import { companiesListSpec } from "../companies/companies.repository.ts";
import { companyType } from "../companies/companies.service.ts";
import { contactsListSpec } from "../contacts/contacts.repository.ts";
import { contactType } from "../contacts/contacts.service.ts";
import { dealsListSpec } from "../deals/deals.repository.ts";
import { dealType } from "../deals/deals.service.ts";
import { leadsListSpec } from "../leads/leads.repository.ts";
import { leadType } from "../leads/leads.service.ts";
import { tasksListSpec } from "../tasks/tasks.repository.ts";
import { taskType } from "../tasks/tasks.lifecycle.ts";
import type { BulkTarget } from "./records.bulk.apply.ts";

let targets: Record<BulkCollection, BulkTarget> | undefined;

/**
 * The record types bulk actions run on, by collection: what a queued operation's job finds again
 * by the name it stored (a worker process builds no routes). Built on first use: the record
 * modules import records/, so reading their types while this module loads would meet them unset.
 */
export function bulkTargetOf(collection: string): BulkTarget | undefined {
  targets ??= {
    contacts: { collection: "contacts", type: contactType, listSpec: contactsListSpec, assignField: "ownerId" },
    companies: { collection: "companies", type: companyType, listSpec: companiesListSpec, assignField: "ownerId" },
    leads: { collection: "leads", type: leadType, listSpec: leadsListSpec, assignField: "ownerId" },
    deals: { collection: "deals", type: dealType, listSpec: dealsListSpec, assignField: "ownerId" },
    tasks: { collection: "tasks", type: taskType, listSpec: tasksListSpec, assignField: "assigneeId" },
    activities: { collection: "activities", type: activityType, listSpec: activitiesListSpec, assignField: null },
  };
  return Object.hasOwn(targets, collection) ? targets[collection as BulkCollection] : undefined;
}
