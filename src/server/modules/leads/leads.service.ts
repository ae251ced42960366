import type { CreateLead, Lead, LeadStatusChange, UpdateLead } from "../../../shared/schemas/lead.ts";
import type { Transaction } from "../../db/client.ts";
import type { ListRequest, RowCount } from "../../db/listing.ts";
import { getRecord } from "../../db/records.ts";
import { withWorkspaceTransaction } from "../../db/transaction.ts";
import { assertAllowed, readerOf, visibleRequest, visibleRows, type Reader } from "../../lib/access.ts";
import type { RequestContext } from "../../lib/context.ts";
import { createRecord, deleteRecord, restoreRecord, updateRecordById, type RecordType } from "../records/index.ts";
import { assertCompanyUsable, assertContactsUsable, withPrimaryContact } from "./leads.checks.ts";
import {
  countLeads,
  insertLead,
  insertStatusChange,
  listLeadRows,
  listStatusChanges,
  loadLeadContacts,
  replaceLeadContacts,
  withContacts,
  type LeadRow,
} from "./leads.repository.ts";
import { computeLeadScore } from "./leads.score.ts";
import { leads } from "./leads.table.ts";
import {
  assertLeadTransition,
  assertLostReason,
  assertLostReasonOffered,
  assertValueHasCurrency,
} from "./leads.transitions.ts";

const resource = "lead";

/**
 * Leads on the one write path. A status change must be an allowed transition and is kept in the
 * lead's status history (with `lead.status_changed`); a lost reason must be one of the
 * workspace's (or "Other: …") once it has a list; the score is recomputed on every change;
 * `contacts` replaces the lead's contacts, the first becoming primary unless one is marked.
 */
export const leadType: RecordType<typeof leads, Lead, CreateLead, UpdateLead> = {
  resource,
  table: leads,
  ownerField: "ownerId",
  // A lead is its owner's alone: the agent who created it loses it when it is reassigned.
  ownershipOf: (row) => ({ ownerId: row.ownerId }),
  present: (tx, row) => readLead(tx, row.workspaceId, row),
  insert: async (tx, ctx, input) => {
    assertLostReason(input.status, input.lostReason ?? null);
    if (input.lostReason) await assertLostReasonOffered(tx, ctx.workspaceId, input.lostReason);
    const { contacts: contactInput, ...fields } = input;
    const links = withPrimaryContact(contactInput);
    if (fields.companyId) await assertCompanyUsable(tx, ctx.workspaceId, fields.companyId);
    await assertContactsUsable(
      tx,
      ctx.workspaceId,
      links.map((link) => link.contactId),
      "contacts",
      ".contactId",
    );
    const row = await insertLead(tx, {
      ...fields,
      workspaceId: ctx.workspaceId,
      createdBy: ctx.actor.userId,
      ownerId: fields.ownerId === undefined ? ctx.actor.userId : fields.ownerId,
      score: computeLeadScore({
        ...fields,
        estimatedValue: fields.estimatedValue ?? null,
        hasPrimaryContact: links.length > 0,
      }),
    });
    await replaceLeadContacts(tx, ctx.workspaceId, row.id, links);
    return row;
  },
  changes: async (tx, ctx, current, input) => {
    const { contacts: contactInput, ...fields } = input;
    const next = nextState(current, fields);
    // A reason given before the workspace had its list stays valid until it changes.
    if (next.lostReason && next.lostReason !== current.lostReason) {
      await assertLostReasonOffered(tx, ctx.workspaceId, next.lostReason);
    }
    if (fields.companyId) await assertCompanyUsable(tx, ctx.workspaceId, fields.companyId);
    const hasPrimaryContact = await writeContacts(tx, ctx.workspaceId, current.id, contactInput);
    return { ...fields, ...next, score: computeLeadScore({ ...next, hasPrimaryContact }) };
  },
  afterWrite: async (tx, ctx, before, after) => {
    if (before?.status === after.status) return;
    await insertStatusChange(tx, ctx.workspaceId, {
      leadId: after.id,
      fromStatus: before?.status ?? null,
      toStatus: after.status,
      reason: before ? after.lostReason : (after.lostReason ?? null),
      changedBy: ctx.actor.userId,
    });
  },
  events: (before, lead) =>
    before && before.status !== lead.status
      ? [
          {
            type: "lead.status_changed",
            resourceId: lead.id,
            payload: { record: lead, fromStatus: before.status, toStatus: lead.status, reason: lead.lostReason },
          },
        ]
      : [],
};

/** Creates a lead owned by the caller unless another owner is given (agents: only themselves). */
export function createLead(ctx: RequestContext, input: CreateLead): Promise<Lead> {
  return createRecord(ctx, leadType, input);
}

/** One page of leads. */
export async function listLeads(ctx: RequestContext, request: ListRequest) {
  assertAllowed(ctx, "read", resource);
  return withWorkspaceTransaction(ctx.db, ctx.workspaceId, async (tx) => {
    const reader = await readerOf(tx, ctx);
    return listLeadRows(tx, ctx.workspaceId, visibleRequest(request, resource, reader), reader);
  });
}

/** How many leads match the list filters. */
export async function countLeadRows(ctx: RequestContext, request: ListRequest): Promise<RowCount> {
  assertAllowed(ctx, "read", resource);
  return withWorkspaceTransaction(ctx.db, ctx.workspaceId, async (tx) =>
    countLeads(tx, ctx.workspaceId, visibleRequest(request, resource, await readerOf(tx, ctx))),
  );
}

/** One lead (also a deleted one, so its page can offer Restore). */
export async function getLead(ctx: RequestContext, id: string, include: string[] = []): Promise<Lead> {
  assertAllowed(ctx, "read", resource);
  return withWorkspaceTransaction(ctx.db, ctx.workspaceId, async (tx) => {
    const reader = await readerOf(tx, ctx);
    const visible = visibleRows(resource, reader);
    const row = await getRecord(tx, leads, resource, ctx.workspaceId, id, { includeDeleted: true, visible });
    return readLead(tx, ctx.workspaceId, row, include, reader);
  });
}

/** Updates the given fields, by the rules of leadType; agents only leads they own. */
export function updateLead(
  ctx: RequestContext,
  id: string,
  input: UpdateLead,
  expectedVersion?: number,
): Promise<Lead> {
  return updateRecordById(ctx, leadType, id, input, expectedVersion);
}

/** The lead's state after a PATCH, checked: transition, lost reason, value with currency. */
function nextState(current: LeadRow, input: Omit<UpdateLead, "contacts">) {
  const status = input.status ?? current.status;
  assertLeadTransition(current.status, status);
  const leavesLost = current.status === "lost" && status !== "lost";
  const lostReason = input.lostReason !== undefined ? input.lostReason : leavesLost ? null : current.lostReason;
  assertLostReason(status, lostReason);
  const estimatedValue = input.estimatedValue !== undefined ? input.estimatedValue : current.estimatedValue;
  const currency = input.currency !== undefined ? input.currency : current.currency;
  assertValueHasCurrency(estimatedValue, currency);
  return { status, lostReason, estimatedValue, currency, priority: input.priority ?? current.priority };
}

/** Replaces the lead's contacts when given; answers whether the lead has a primary contact. */
async function writeContacts(
  tx: Transaction,
  workspaceId: string,
  leadId: string,
  input: UpdateLead["contacts"],
): Promise<boolean> {
  if (input === undefined) {
    const links = (await loadLeadContacts(tx, workspaceId, [leadId])).get(leadId) ?? [];
    return links.some((link) => link.isPrimary);
  }
  const links = withPrimaryContact(input);
  await assertContactsUsable(
    tx,
    workspaceId,
    links.map((link) => link.contactId),
    "contacts",
    ".contactId",
  );
  await replaceLeadContacts(tx, workspaceId, leadId, links);
  return links.length > 0;
}

/** Soft-deletes a lead (admins and managers). */
export function deleteLead(ctx: RequestContext, id: string, expectedVersion?: number): Promise<void> {
  return deleteRecord(ctx, leadType, id, expectedVersion);
}

/** Restores a deleted lead (admins and managers). */
export function restoreLead(ctx: RequestContext, id: string, expectedVersion?: number): Promise<Lead> {
  return restoreRecord(ctx, leadType, id, expectedVersion);
}

/** Every status change of a lead, oldest first (also of a deleted lead). */
export async function getLeadStatusHistory(ctx: RequestContext, id: string): Promise<LeadStatusChange[]> {
  assertAllowed(ctx, "read", resource);
  return withWorkspaceTransaction(ctx.db, ctx.workspaceId, async (tx) => {
    const visible = visibleRows(resource, await readerOf(tx, ctx));
    await getRecord(tx, leads, resource, ctx.workspaceId, id, { includeDeleted: true, visible });
    return listStatusChanges(tx, ctx.workspaceId, id);
  });
}

/** A stored lead as the API shows it, with its contacts and the requested includes (those `reader` may see). */
export async function readLead(
  tx: Transaction,
  workspaceId: string,
  row: LeadRow,
  include: string[] = [],
  reader: Reader = null,
): Promise<Lead> {
  const [lead] = await withContacts(tx, workspaceId, [row], include, reader);
  if (!lead) throw new Error("lead vanished while reading it");
  return lead;
}
