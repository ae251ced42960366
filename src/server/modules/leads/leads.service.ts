import type { CreateLead, Lead, LeadStatus, LeadStatusChange, UpdateLead } from "../../../shared/schemas/lead.ts";
import type { Transaction } from "../../db/client.ts";
import type { ListRequest } from "../../db/listing.ts";
import { getRecord, updateRecord } from "../../db/records.ts";
import { withWorkspaceTransaction } from "../../db/transaction.ts";
import { assertAllowed, assertAllowedOn, assertOwnerAssignable } from "../../lib/access.ts";
import type { RequestContext } from "../../lib/context.ts";
import { enqueueEvent } from "../outbox/index.ts";
import { deleteRecord, restoreDeletedRecord, type RecordLifecycle } from "../records/index.ts";
import { assertCompanyUsable, assertContactsUsable, assertVersion, withPrimaryContact } from "./leads.checks.ts";
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
import { assertLeadTransition, assertLostReason, assertValueHasCurrency } from "./leads.transitions.ts";

const resource = "lead";
const lifecycle: RecordLifecycle<typeof leads, Lead> = {
  table: leads,
  resource,
  present: (tx, row) => readLead(tx, row.workspaceId, row),
};

/** Creates a lead owned by the caller unless another owner is given (agents: only themselves). */
export async function createLead(ctx: RequestContext, input: CreateLead): Promise<Lead> {
  const scope = assertAllowed(ctx, "create", resource);
  assertOwnerAssignable(ctx, scope, input.ownerId);
  const lostReason = input.lostReason ?? null;
  assertLostReason(input.status, lostReason);
  const { contacts: contactInput, ...fields } = input;
  const links = withPrimaryContact(contactInput);
  return withWorkspaceTransaction(ctx.db, ctx.workspaceId, async (tx) => {
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
    await recordStatusChange(tx, ctx, row.id, null, row.status, lostReason);
    const lead = await readLead(tx, ctx.workspaceId, row);
    await enqueueEvent(tx, ctx, { type: "lead.created", resourceId: lead.id, payload: lead });
    return lead;
  });
}

/** One page of leads. */
export async function listLeads(ctx: RequestContext, request: ListRequest) {
  assertAllowed(ctx, "read", resource);
  return withWorkspaceTransaction(ctx.db, ctx.workspaceId, (tx) => listLeadRows(tx, ctx.workspaceId, request));
}

/** How many leads match the list filters. */
export async function countLeadRows(ctx: RequestContext, request: ListRequest): Promise<number> {
  assertAllowed(ctx, "read", resource);
  return withWorkspaceTransaction(ctx.db, ctx.workspaceId, (tx) => countLeads(tx, ctx.workspaceId, request));
}

/** One lead (also a deleted one, so its page can offer Restore). */
export async function getLead(ctx: RequestContext, id: string, include: string[] = []): Promise<Lead> {
  assertAllowed(ctx, "read", resource);
  return withWorkspaceTransaction(ctx.db, ctx.workspaceId, async (tx) => {
    const row = await getRecord(tx, leads, resource, ctx.workspaceId, id, { includeDeleted: true });
    return readLead(tx, ctx.workspaceId, row, include);
  });
}

/**
 * Updates the given fields. A status change must be an allowed transition and is recorded; the
 * score is recomputed. Agents may only update leads they own.
 */
export async function updateLead(
  ctx: RequestContext,
  id: string,
  input: UpdateLead,
  expectedVersion?: number,
): Promise<Lead> {
  const scope = assertAllowed(ctx, "update", resource);
  assertOwnerAssignable(ctx, scope, input.ownerId);
  return withWorkspaceTransaction(ctx.db, ctx.workspaceId, async (tx) => {
    const current = await getRecord(tx, leads, resource, ctx.workspaceId, id, { forUpdate: true });
    assertAllowedOn(ctx, "update", resource, { ownerId: current.ownerId });
    assertVersion(current, expectedVersion);
    const { contacts: contactInput, ...fields } = input;
    const next = nextState(current, fields);
    if (fields.companyId) await assertCompanyUsable(tx, ctx.workspaceId, fields.companyId);
    const hasPrimaryContact = await writeContacts(tx, ctx.workspaceId, id, contactInput);
    const score = computeLeadScore({ ...next, hasPrimaryContact });
    const row = await updateRecord(tx, leads, resource, ctx.workspaceId, id, { ...fields, ...next, score });
    if (row.status !== current.status)
      await recordStatusChange(tx, ctx, id, current.status, row.status, row.lostReason);
    const lead = await readLead(tx, ctx.workspaceId, row);
    await enqueueEvent(tx, ctx, { type: "lead.updated", resourceId: id, payload: lead });
    return lead;
  });
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
  return deleteRecord(ctx, lifecycle, id, expectedVersion);
}

/** Restores a deleted lead (admins and managers). */
export function restoreLead(ctx: RequestContext, id: string, expectedVersion?: number): Promise<Lead> {
  return restoreDeletedRecord(ctx, lifecycle, id, expectedVersion);
}

/** Every status change of a lead, oldest first (also of a deleted lead). */
export async function getLeadStatusHistory(ctx: RequestContext, id: string): Promise<LeadStatusChange[]> {
  assertAllowed(ctx, "read", resource);
  return withWorkspaceTransaction(ctx.db, ctx.workspaceId, async (tx) => {
    await getRecord(tx, leads, resource, ctx.workspaceId, id, { includeDeleted: true });
    return listStatusChanges(tx, ctx.workspaceId, id);
  });
}

/** A stored lead as the API shows it, with its contacts and the requested includes. */
export async function readLead(
  tx: Transaction,
  workspaceId: string,
  row: LeadRow,
  include: string[] = [],
): Promise<Lead> {
  const [lead] = await withContacts(tx, workspaceId, [row], include);
  if (!lead) throw new Error("lead vanished while reading it");
  return lead;
}

/** Records a status change and emits `lead.status_changed` (not for the status a lead is created with). */
export async function recordStatusChange(
  tx: Transaction,
  ctx: RequestContext,
  leadId: string,
  fromStatus: LeadStatus | null,
  toStatus: LeadStatus,
  reason: string | null,
): Promise<void> {
  await insertStatusChange(tx, ctx.workspaceId, { leadId, fromStatus, toStatus, reason, changedBy: ctx.actor.userId });
  if (fromStatus === null) return;
  await enqueueEvent(tx, ctx, {
    type: "lead.status_changed",
    resourceId: leadId,
    payload: { leadId, fromStatus, toStatus, reason },
  });
}
