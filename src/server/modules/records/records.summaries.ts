import { and, eq, type SQL } from "drizzle-orm";
import type { z } from "zod";
import type {
  CompanySummarySchema,
  ContactSummarySchema,
  DealSummarySchema,
  LeadSummarySchema,
} from "../../../shared/schemas/summaries.ts";
import type { Transaction } from "../../db/client.ts";
import { inIds } from "../../db/id-lists.ts";
import { visibleRows, type OwnedResource, type Reader } from "../../lib/access.ts";
import { companies } from "../companies/companies.table.ts";
import { contacts } from "../contacts/contacts.table.ts";
import { deals } from "../deals/deals.table.ts";
import { leads } from "../leads/leads.table.ts";

/**
 * A record with any of the four link fields (activities and tasks have all four, a deal has a
 * contact and a company, a contact a company), and room for their summaries.
 */
export type Linked = {
  contactId?: string | null;
  leadId?: string | null;
  dealId?: string | null;
  companyId?: string | null;
  contact?: z.infer<typeof ContactSummarySchema> | null;
  lead?: z.infer<typeof LeadSummarySchema> | null;
  deal?: z.infer<typeof DealSummarySchema> | null;
  company?: z.infer<typeof CompanySummarySchema> | null;
};

/** The includes of records linked to all four kinds (activities, tasks). */
export const linkIncludes = ["contact", "lead", "deal", "company"] as const;

type Summary = { id: string };
type Relation = {
  key: "contactId" | "leadId" | "dealId" | "companyId";
  resource: OwnedResource;
  load: (tx: Transaction, workspaceId: string, ids: string[], visible: SQL[]) => Promise<Summary[]>;
};

const relations: Record<(typeof linkIncludes)[number], Relation> = {
  contact: {
    key: "contactId",
    resource: "contact",
    load: (tx, workspaceId, ids, visible) =>
      tx
        .select({ id: contacts.id, firstName: contacts.firstName, lastName: contacts.lastName, email: contacts.email })
        .from(contacts)
        .where(and(eq(contacts.workspaceId, workspaceId), inIds(contacts.id, ids), ...visible)),
  },
  lead: {
    key: "leadId",
    resource: "lead",
    load: (tx, workspaceId, ids, visible) =>
      tx
        .select({ id: leads.id, title: leads.title, status: leads.status })
        .from(leads)
        .where(and(eq(leads.workspaceId, workspaceId), inIds(leads.id, ids), ...visible)),
  },
  deal: {
    key: "dealId",
    resource: "deal",
    load: (tx, workspaceId, ids, visible) =>
      tx
        .select({ id: deals.id, name: deals.name, status: deals.status })
        .from(deals)
        .where(and(eq(deals.workspaceId, workspaceId), inIds(deals.id, ids), ...visible)),
  },
  company: {
    key: "companyId",
    resource: "company",
    load: (tx, workspaceId, ids, visible) =>
      tx
        .select({ id: companies.id, name: companies.name })
        .from(companies)
        .where(and(eq(companies.workspaceId, workspaceId), inIds(companies.id, ids), ...visible)),
  },
};

/**
 * Embeds summaries of the linked contacts, leads, deals and companies asked for in `include`:
 * one query per relation, whatever the number of items, and always inside the workspace. A linked
 * record the reader may not see (lib/access.ts) is embedded as null, like a missing one.
 */
export async function attachLinkSummaries(
  tx: Transaction,
  workspaceId: string,
  items: Linked[],
  include: readonly string[],
  reader: Reader = null,
) {
  for (const name of linkIncludes) {
    if (!include.includes(name)) continue;
    const { key, resource, load } = relations[name];
    const ids = [...new Set(items.flatMap((item) => (item[key] ? [item[key]] : [])))];
    const visible = visibleRows(resource, reader);
    const byId = new Map((ids.length ? await load(tx, workspaceId, ids, visible) : []).map((row) => [row.id, row]));
    for (const item of items) {
      const id = item[key];
      (item as Record<string, unknown>)[name] = id ? (byId.get(id) ?? null) : null;
    }
  }
}
