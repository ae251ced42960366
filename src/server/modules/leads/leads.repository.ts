import { and, asc, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import { lastActivityField } from "../../db/columns.ts";
import { inIds } from "../../db/id-lists.ts";
import { attachLinkSummaries } from "../records/records.summaries.ts";
import { attachUserSummaries, membersByName } from "../users/index.ts";
import {
  leadStatuses,
  type Lead,
  type LeadContact,
  type LeadStatus,
  type LeadStatusChange,
} from "../../../shared/schemas/lead.ts";
import type { Transaction } from "../../db/client.ts";
import { countRows, listPage, type ListRequest, type ListSpec } from "../../db/listing.ts";
import { visibleRows, type Reader } from "../../lib/access.ts";
import { newId } from "../../lib/ids.ts";
import { companies } from "../companies/companies.table.ts";
import { contacts } from "../contacts/contacts.table.ts";
import { leadContacts, leadStatusChanges, leads } from "./leads.table.ts";

/** A stored lead, as Drizzle reads it. */
export type LeadRow = typeof leads.$inferSelect;

/** Ids as a SQL list of uuids. */
const uuidList = (ids: string[]) =>
  sql.join(
    ids.map((id) => sql`${id}::uuid`),
    sql`, `,
  );
/** The workspace of the transaction, as row-level security reads it. */
const transactionWorkspace = sql`nullif(current_setting('app.workspace_id', true), '')::uuid`;

/** How leads are listed: filterable fields, sortable (indexed) ones, search and includes. */
export const leadsListSpec = {
  table: leads,
  fields: {
    id: { column: leads.id, type: "uuid" },
    title: { column: leads.title, type: "text", sortable: true },
    status: { column: leads.status, type: "enum", values: leadStatuses, sortable: true },
    priority: { column: leads.priority, type: "enum", values: ["low", "medium", "high"], sortable: true },
    estimatedValue: { column: leads.estimatedValue, type: "decimal", sortable: true },
    currency: { column: leads.currency, type: "text" },
    source: { column: leads.source, type: "text" },
    score: { column: leads.score, type: "integer", sortable: true },
    ownerId: { column: leads.ownerId, type: "uuid", acceptsMe: true, sortable: true, sortGroups: membersByName },
    lostReason: { column: leads.lostReason, type: "text" },
    companyId: { column: leads.companyId, type: "uuid" },
    // A lead's contacts are links (lead_contacts): the leads of a contact are one index range of
    // its links, (workspace_id, contact_id). The workspace is the transaction's (as row-level
    // security reads it), not the outer row's, so the planner can join the links instead of
    // probing them once per lead.
    contactId: {
      column: leads.id,
      type: "uuid",
      matches: (ids) => sql`${leads.id} in (select lc.lead_id from lead_contacts lc
        where lc.workspace_id = ${transactionWorkspace} and lc.contact_id in (${uuidList(ids)}))`,
    },
    dealId: { column: leads.dealId, type: "uuid" },
    convertedAt: { column: leads.convertedAt, type: "timestamp" },
    tags: { column: leads.tags, type: "tags" },
    createdAt: { column: leads.createdAt, type: "timestamp", sortable: true },
    updatedAt: { column: leads.updatedAt, type: "timestamp", sortable: true },
    lastActivityAt: lastActivityField(leads.lastActivityAt),
    createdBy: { column: leads.createdBy, type: "uuid", acceptsMe: true },
  },
  defaultSort: "-createdAt",
  search: { vector: leads.searchVector, text: leads.searchText },
  includes: ["contacts", "owner", "company"],
  hiddenColumns: ["searchText", "searchVector", "custom", "workspaceId"],
} satisfies ListSpec;

/** Row + its contact links → API object: camelCase, no storage-only columns. */
export function toLead(row: LeadRow | Record<string, unknown>, leadContactList: LeadContact[] = []): Lead {
  const r = row as LeadRow;
  // One plain literal, in the order of recordFieldsOf then the lead's own fields: cheaper than a spread.
  return {
    id: r.id,
    version: r.version,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    createdBy: r.createdBy,
    deletedAt: r.deletedAt,
    title: r.title,
    status: r.status,
    priority: r.priority,
    estimatedValue: r.estimatedValue,
    currency: r.currency,
    source: r.source,
    score: r.score,
    ownerId: r.ownerId,
    lostReason: r.lostReason,
    companyId: r.companyId,
    dealId: r.dealId,
    convertedAt: r.convertedAt,
    tags: r.tags,
    lastActivityAt: r.lastActivityAt ?? null,
    contacts: leadContactList,
  };
}

/** Inserts a lead row (its contacts and history are written separately). */
export async function insertLead(
  tx: Transaction,
  values: Omit<
    typeof leads.$inferInsert,
    "id" | "version" | "createdAt" | "updatedAt" | "deletedAt" | "lastActivityAt"
  >,
): Promise<LeadRow> {
  const [row] = await tx
    .insert(leads)
    .values({ ...values, id: newId() })
    .returning();
  if (!row) throw new Error("lead insert returned nothing");
  return row;
}

/**
 * The contact links of some leads, primary first; with summaries of the contacts when asked (only
 * of contacts `reader` may see: the others' links come without). One query.
 */
export async function loadLeadContacts(
  tx: Transaction,
  workspaceId: string,
  leadIds: string[],
  withSummary = false,
  reader: Reader = null,
): Promise<Map<string, LeadContact[]>> {
  const [visible] = visibleRows("contact", reader);
  const byLead = new Map<string, LeadContact[]>(leadIds.map((id) => [id, []]));
  if (leadIds.length === 0) return byLead;
  const rows = await tx
    .select({
      leadId: leadContacts.leadId,
      contactId: leadContacts.contactId,
      isPrimary: leadContacts.isPrimary,
      firstName: contacts.firstName,
      lastName: contacts.lastName,
      email: contacts.email,
      isVisible: visible ? sql<boolean>`${visible}` : sql<boolean>`true`,
    })
    .from(leadContacts)
    .innerJoin(
      contacts,
      and(eq(contacts.workspaceId, leadContacts.workspaceId), eq(contacts.id, leadContacts.contactId)),
    )
    .where(and(eq(leadContacts.workspaceId, workspaceId), inIds(leadContacts.leadId, leadIds)))
    .orderBy(desc(leadContacts.isPrimary), asc(leadContacts.contactId));
  for (const { leadId, contactId, isPrimary, isVisible, ...summary } of rows) {
    const link: LeadContact = { contactId, isPrimary };
    if (withSummary && isVisible) link.contact = { id: contactId, ...summary };
    byLead.get(leadId)?.push(link);
  }
  return byLead;
}

/** Replaces the contact links of a lead. */
export async function replaceLeadContacts(
  tx: Transaction,
  workspaceId: string,
  leadId: string,
  links: { contactId: string; isPrimary: boolean }[],
): Promise<void> {
  await tx.delete(leadContacts).where(and(eq(leadContacts.workspaceId, workspaceId), eq(leadContacts.leadId, leadId)));
  if (links.length > 0) await tx.insert(leadContacts).values(links.map((link) => ({ ...link, workspaceId, leadId })));
}

/** Which of these ids are live contacts of the workspace. */
export async function findLiveContactIds(tx: Transaction, workspaceId: string, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await tx
    .select({ id: contacts.id })
    .from(contacts)
    .where(and(eq(contacts.workspaceId, workspaceId), inArray(contacts.id, ids), isNull(contacts.deletedAt)));
  return new Set(rows.map((row) => row.id));
}

/** True when the id is a live company of the workspace. */
export async function isLiveCompany(tx: Transaction, workspaceId: string, id: string): Promise<boolean> {
  const [row] = await tx
    .select({ id: companies.id })
    .from(companies)
    .where(and(eq(companies.workspaceId, workspaceId), eq(companies.id, id), isNull(companies.deletedAt)));
  return row !== undefined;
}

/** Records one status change of a lead. */
export async function insertStatusChange(
  tx: Transaction,
  workspaceId: string,
  change: {
    leadId: string;
    fromStatus: LeadStatus | null;
    toStatus: LeadStatus;
    reason: string | null;
    changedBy: string;
  },
): Promise<void> {
  await tx.insert(leadStatusChanges).values({ ...change, workspaceId, id: newId() });
}

/** The status changes of a lead, oldest first. */
export async function listStatusChanges(
  tx: Transaction,
  workspaceId: string,
  leadId: string,
): Promise<LeadStatusChange[]> {
  return tx
    .select({
      id: leadStatusChanges.id,
      fromStatus: leadStatusChanges.fromStatus,
      toStatus: leadStatusChanges.toStatus,
      reason: leadStatusChanges.reason,
      changedBy: leadStatusChanges.changedBy,
      changedAt: leadStatusChanges.changedAt,
    })
    .from(leadStatusChanges)
    .where(and(eq(leadStatusChanges.workspaceId, workspaceId), eq(leadStatusChanges.leadId, leadId)))
    .orderBy(asc(leadStatusChanges.changedAt), asc(leadStatusChanges.id));
}

/** One page of leads with their contact links and the requested includes. */
export async function listLeadRows(tx: Transaction, workspaceId: string, request: ListRequest, reader: Reader = null) {
  const page = await listPage(tx, leadsListSpec, workspaceId, request);
  const data = await withContacts(tx, workspaceId, page.rows as LeadRow[], request.include, reader);
  return { data, nextCursor: page.nextCursor };
}

/** How many leads match a list request. */
export function countLeads(tx: Transaction, workspaceId: string, request: ListRequest) {
  return countRows(tx, leadsListSpec, workspaceId, request);
}

/**
 * Rows → API leads with their contacts, owners and companies: a fixed number of queries. Linked
 * records `reader` may not see come without their summaries.
 */
export async function withContacts(
  tx: Transaction,
  workspaceId: string,
  rows: LeadRow[],
  include: string[],
  reader: Reader = null,
): Promise<Lead[]> {
  const links = await loadLeadContacts(
    tx,
    workspaceId,
    rows.map((row) => row.id),
    include.includes("contacts"),
    reader,
  );
  const items = rows.map((row) => toLead(row, links.get(row.id)));
  if (include.includes("owner")) {
    await attachUserSummaries(
      tx,
      items,
      (l) => l.ownerId,
      (l, owner) => (l.owner = owner),
    );
  }
  await attachLinkSummaries(tx, workspaceId, items, include, reader);
  return items;
}
