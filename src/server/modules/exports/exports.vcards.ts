import { and, isNull, sql } from "drizzle-orm";
import { CreateContactSchema, type CreateContact } from "../../../shared/schemas/contact.ts";
import type { Transaction } from "../../db/client.ts";
import { translateDatabaseError } from "../../db/constraints.ts";
import { withSharedTransaction } from "../../db/transaction.ts";
import { assertAllowed } from "../../lib/access.ts";
import type { RequestContext } from "../../lib/context.ts";
import { AppError } from "../../lib/errors.ts";
import { companies } from "../companies/index.ts";
import { createContact } from "../contacts/contacts.service.ts";
import { CardError, contactOf, parseVCards, type VCardContact } from "./vcard.ts";

/** Most cards one request creates (all in one transaction); larger address books go through CSV import. */
export const maxCardsPerRequest = 1000;
/** Largest vCard body accepted, in bytes. */
export const maxVCardBytes = 1024 * 1024;

/** The card property each contact field comes from, to name it in errors. */
const propertyOf: Record<string, string> = {
  firstName: "N",
  lastName: "N",
  email: "EMAIL",
  phone: "TEL",
  jobTitle: "TITLE",
  tags: "CATEGORIES",
  companyId: "ORG",
};

/** `cards.3.EMAIL`: the card's number in the file (from 1) and its property. */
const pathOf = (card: number, property: string) => `cards.${card}.${property}`;

function cardProblem(card: number, property: string, message: string): AppError {
  return new AppError("validation", `Card ${card}: ${message}`, [{ path: pathOf(card, property), message }]);
}

/** Every card read and checked against the contact schema; a 400 naming the first card and property at fault. */
function readCards(text: string): { card: VCardContact; input: CreateContact }[] {
  let cards;
  try {
    cards = parseVCards(text).map((card) => contactOf(card));
  } catch (error) {
    if (error instanceof CardError) throw cardProblem(error.card, error.property, error.message);
    throw error;
  }
  if (cards.length === 0) throw cardProblem(1, "BEGIN", "No vCard in the body");
  if (cards.length > maxCardsPerRequest) {
    throw cardProblem(maxCardsPerRequest + 1, "BEGIN", `At most ${maxCardsPerRequest} cards per request`);
  }
  return cards.map((card, index) => {
    const parsed = CreateContactSchema.safeParse({
      firstName: card.firstName,
      lastName: card.lastName,
      email: card.email,
      phone: card.phone,
      jobTitle: card.jobTitle,
      tags: card.tags,
    });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = String(issue?.path[0] ?? "N");
      throw cardProblem(index + 1, propertyOf[field] ?? field, issue?.message ?? "Invalid value");
    }
    return { card, input: parsed.data };
  });
}

/** Live companies by lower-cased name, for linking ORG to a company that exists (never creating one). */
async function companiesNamed(tx: Transaction, workspaceId: string, names: string[]): Promise<Map<string, string>> {
  const wanted = [...new Set(names.map((name) => name.toLowerCase()))];
  if (wanted.length === 0) return new Map();
  const rows = await tx
    .select({ id: companies.id, name: sql<string>`lower(${companies.name})` })
    .from(companies)
    .where(
      and(
        sql`${companies.workspaceId} = ${workspaceId}`,
        isNull(companies.deletedAt),
        sql`lower(${companies.name}) = any(${sql.param(wanted)}::text[])`,
      ),
    )
    .orderBy(companies.createdAt);
  const byName = new Map<string, string>();
  for (const row of rows) if (!byName.has(row.name)) byName.set(row.name, row.id);
  return byName;
}

/** A use case's failure, re-addressed to the card that caused it (a duplicate e-mail, a role limit). */
function onCard(error: unknown, card: number): unknown {
  const known = error instanceof AppError ? error : translateDatabaseError(error);
  if (!known) return error;
  const errors = (known.errors ?? []).map((e) => ({
    ...e,
    path: pathOf(card, propertyOf[e.path.split(".")[0] ?? ""] ?? e.path),
  }));
  return new AppError(known.type, `Card ${card}: ${known.message}`, errors.length ? errors : undefined);
}

/**
 * POST /contacts/vcards: creates a contact per card through the contact create use case (its
 * checks, audit entries and events), all in one transaction: every card is created or none. ORG
 * links a company of that exact name (case aside) when there is one; NOTE has no contact field
 * and is not kept.
 */
export async function importVCards(ctx: RequestContext, text: string): Promise<{ created: number; ids: string[] }> {
  assertAllowed(ctx, "create", "contact");
  const cards = readCards(text);
  const ids = await withSharedTransaction(ctx, async (shared, tx) => {
    const organisations = cards.flatMap(({ card }) => (card.company ? [card.company] : []));
    const companyIds = await companiesNamed(tx, ctx.workspaceId, organisations);
    const created: string[] = [];
    for (const [index, { card, input }] of cards.entries()) {
      const companyId = card.company ? companyIds.get(card.company.toLowerCase()) : undefined;
      try {
        created.push((await createContact(shared, companyId ? { ...input, companyId } : input)).id);
      } catch (error) {
        // Re-thrown, never swallowed: the shared transaction rolls back every card.
        throw onCard(error, index + 1);
      }
    }
    return created;
  });
  return { created: ids.length, ids };
}
