import { exportResources, type ExportResource } from "../../../shared/schemas/export.ts";
import type { ListRequest, ListSpec } from "../../db/listing.ts";
import type { OwnedResource } from "../../lib/access.ts";
import type { RequestContext } from "../../lib/context.ts";
import { activitiesListSpec } from "../activities/index.ts";
import { listActivities } from "../activities/activities.service.ts";
import { companiesListSpec } from "../companies/index.ts";
import { listCompanies } from "../companies/companies.service.ts";
import { contactsListSpec } from "../contacts/index.ts";
import { listContacts } from "../contacts/contacts.service.ts";
import { dealsListSpec } from "../deals/index.ts";
import { listDeals } from "../deals/deals.service.ts";
import { leadsListSpec } from "../leads/index.ts";
import { listLeads } from "../leads/leads.service.ts";
import { tasksListSpec } from "../tasks/index.ts";
import { listTasks } from "../tasks/tasks.service.ts";

/** The lists that can be exported (src/shared/schemas/export.ts). */
export { exportResources, type ExportResource };

/**
 * What an export needs of a record type: its list spec (to validate the list parameters) and its
 * list use case, the very one `GET /<resource>` runs, so an export holds exactly what the list
 * shows the caller (permissions, soft deletes, filters) and reads one short transaction per page.
 */
export type ExportTarget = {
  resource: ExportResource;
  /** The permission resource, the noun of audit actions, and whose records are whose (lib/access.ts). */
  noun: OwnedResource;
  listSpec: ListSpec;
  list: (
    ctx: RequestContext,
    request: ListRequest,
  ) => Promise<{ data: Record<string, unknown>[]; nextCursor: string | null }>;
};

type Page = { data: object[]; nextCursor: string | null };
const asList =
  <T extends Page>(list: (ctx: RequestContext, request: ListRequest) => Promise<T>): ExportTarget["list"] =>
  (ctx, request) =>
    list(ctx, request) as unknown as ReturnType<ExportTarget["list"]>;

export const exportTargets: Record<ExportResource, ExportTarget> = {
  contacts: { resource: "contacts", noun: "contact", listSpec: contactsListSpec, list: asList(listContacts) },
  companies: { resource: "companies", noun: "company", listSpec: companiesListSpec, list: asList(listCompanies) },
  leads: { resource: "leads", noun: "lead", listSpec: leadsListSpec, list: asList(listLeads) },
  deals: { resource: "deals", noun: "deal", listSpec: dealsListSpec, list: asList(listDeals) },
  activities: { resource: "activities", noun: "activity", listSpec: activitiesListSpec, list: asList(listActivities) },
  tasks: { resource: "tasks", noun: "task", listSpec: tasksListSpec, list: asList(listTasks) },
};
