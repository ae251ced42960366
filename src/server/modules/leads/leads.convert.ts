import { and, eq, inArray, isNull, or, sql } from "drizzle-orm";
import type { Company } from "../../../shared/schemas/company.ts";
import type { Contact } from "../../../shared/schemas/contact.ts";
import type { ConvertLead, ConvertLeadResult, Lead } from "../../../shared/schemas/lead.ts";
import type { Transaction } from "../../db/client.ts";
import { lockRecord } from "../../db/records.ts";
import { withWorkspaceTransaction } from "../../db/transaction.ts";
import { assertAllowed, assertAllowedOn } from "../../lib/access.ts";
import type { RequestContext } from "../../lib/context.ts";
import { AppError } from "../../lib/errors.ts";
import { companies, companyType, toCompany } from "../companies/index.ts";
import { contacts, contactType, toContact } from "../contacts/index.ts";
import { createRecordIn, updateLockedRecord } from "../records/index.ts";
import { enqueueEvent } from "../outbox/index.ts";
import { assertCompanyUsable, assertContactsUsable, withPathPrefix } from "./leads.checks.ts";
import { insertLeadDeal } from "./leads.deal.ts";
import { loadLeadContacts, type LeadRow } from "./leads.repository.ts";
import { computeLeadScore } from "./leads.score.ts";
import { leadType } from "./leads.service.ts";
import { leadContacts, leads } from "./leads.table.ts";

/**
 * Converts a qualified lead, in one transaction: creates or links its company, creates or links
 * contacts (attached to the lead; those without a company join it), creates the deal, marks the
 * lead converted and emits `lead.converted`. Any failure leaves nothing behind.
 */
export async function convertLead(
  ctx: RequestContext,
  id: string,
  input: ConvertLead,
  expectedVersion?: number,
): Promise<ConvertLeadResult> {
  assertAllowed(ctx, "update", "lead");
  assertAllowed(ctx, "create", "deal");
  if (input.company) assertAllowed(ctx, "create", "company");
  if (input.contact) assertAllowed(ctx, "create", "contact");
  return withWorkspaceTransaction(ctx.db, ctx.workspaceId, async (tx) => {
    const current = await lockRecord(tx, leads, "lead", ctx.workspaceId, id, { expectedVersion });
    assertAllowedOn(ctx, "update", "lead", { ownerId: current.ownerId });
    if (current.status !== "qualified") {
      throw new AppError("rule-violation", `Only a qualified lead converts; this one is ${current.status}.`, [
        { path: "status", message: "Must be qualified" },
      ]);
    }
    const ownerId = current.ownerId ?? ctx.actor.userId;
    const company = await resolveCompany(tx, ctx, input, current, ownerId);
    const { linked, primaryId } = await attachContacts(tx, ctx, input, current.id, company?.id ?? null, ownerId);
    const deal = await insertLeadDeal(tx, ctx, input.deal, current, {
      companyId: company?.id ?? null,
      contactId: primaryId,
      ownerId,
    });
    const lead = await markConverted(tx, ctx, current, {
      companyId: company?.id ?? current.companyId,
      dealId: deal.id,
      hasPrimaryContact: primaryId !== null,
    });
    const result = { lead, company, contacts: linked, deal };
    await enqueueEvent(tx, ctx, { type: "lead.converted", resourceId: id, payload: result });
    return result;
  });
}

/** The new company, the named one, or the lead's own; null when there is none. */
async function resolveCompany(
  tx: Transaction,
  ctx: RequestContext,
  input: ConvertLead,
  lead: LeadRow,
  ownerId: string,
): Promise<Company | null> {
  if (input.company) {
    const values = { ...input.company, ownerId };
    return withPathPrefix("company", () => createRecordIn(tx, ctx, companyType, values));
  }
  const companyId = input.companyId ?? lead.companyId;
  if (!companyId) return null;
  if (input.companyId) await assertCompanyUsable(tx, ctx.workspaceId, companyId);
  const [row] = await tx
    .select()
    .from(companies)
    .where(and(eq(companies.workspaceId, ctx.workspaceId), eq(companies.id, companyId)));
  return row ? toCompany(row) : null;
}

/** Attaches the new or named contacts to the lead (first primary when it has none); returns all of its contacts. */
async function attachContacts(
  tx: Transaction,
  ctx: RequestContext,
  input: ConvertLead,
  leadId: string,
  companyId: string | null,
  ownerId: string,
) {
  let added: string[] = input.contactIds ?? [];
  if (input.contact) added = [(await createContactFor(tx, ctx, input.contact, companyId, ownerId)).id];
  else await assertContactsUsable(tx, ctx.workspaceId, added, "contactIds");
  const { ids, primaryId } = await linkToLead(tx, ctx.workspaceId, leadId, added);
  if (companyId) await joinCompany(tx, ctx, ids, companyId);
  const rows = ids.length
    ? await tx
        .select()
        .from(contacts)
        .where(and(eq(contacts.workspaceId, ctx.workspaceId), inArray(contacts.id, ids)))
    : [];
  const linked = rows.map(toContact).sort((a, b) => ids.indexOf(a.id) - ids.indexOf(b.id));
  return { linked, primaryId };
}

/** Adds contacts to the lead's; the first added becomes primary when the lead has none. Answers all, primary first. */
async function linkToLead(tx: Transaction, workspaceId: string, leadId: string, added: string[]) {
  const existing = (await loadLeadContacts(tx, workspaceId, [leadId])).get(leadId) ?? [];
  const known = new Set(existing.map((link) => link.contactId));
  const fresh = [...new Set(added)].filter((contactId) => !known.has(contactId));
  const hasPrimary = existing.some((link) => link.isPrimary);
  if (fresh.length > 0) {
    const links = fresh.map((contactId, index) => ({
      workspaceId,
      leadId,
      contactId,
      isPrimary: !hasPrimary && index === 0,
    }));
    await tx.insert(leadContacts).values(links);
  }
  const primaryId = existing.find((link) => link.isPrimary)?.contactId ?? fresh[0] ?? null;
  return { ids: [...existing.map((link) => link.contactId), ...fresh], primaryId };
}

function createContactFor(
  tx: Transaction,
  ctx: RequestContext,
  input: NonNullable<ConvertLead["contact"]>,
  companyId: string | null,
  ownerId: string,
): Promise<Contact> {
  return withPathPrefix("contact", () =>
    createRecordIn(tx, ctx, contactType, { lifecycle: "lead", ...input, companyId, ownerId }),
  );
}

/** Gives the company to those contacts that have none and that the actor may update. */
async function joinCompany(tx: Transaction, ctx: RequestContext, ids: string[], companyId: string): Promise<void> {
  const scope = assertAllowed(ctx, "update", "contact");
  const mine = or(eq(contacts.ownerId, ctx.actor.userId), eq(contacts.createdBy, ctx.actor.userId));
  const rows = await tx
    .select()
    .from(contacts)
    .where(
      and(
        eq(contacts.workspaceId, ctx.workspaceId),
        inArray(contacts.id, ids),
        isNull(contacts.companyId),
        isNull(contacts.deletedAt),
        scope === "own" ? mine : undefined,
      ),
    )
    .orderBy(contacts.id)
    .for("update");
  for (const row of rows) await updateLockedRecord(tx, ctx, contactType, row, { companyId });
}

async function markConverted(
  tx: Transaction,
  ctx: RequestContext,
  current: LeadRow,
  links: { companyId: string | null; dealId: string; hasPrimaryContact: boolean },
): Promise<Lead> {
  const score = computeLeadScore({ ...current, status: "converted", hasPrimaryContact: links.hasPrimaryContact });
  const values = {
    status: "converted",
    convertedAt: sql`now()`,
    companyId: links.companyId,
    dealId: links.dealId,
    score,
  };
  // Converting is not a PATCH (leadType refuses "converted" there): same write path, its own values.
  return updateLockedRecord(tx, ctx, { ...leadType, changes: () => Promise.resolve(values) }, current, {});
}
