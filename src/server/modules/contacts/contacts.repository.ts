import { attachLinkSummaries } from "../records/records.summaries.ts";
import { lastActivityField } from "../../db/columns.ts";
import { attachUserSummaries, membersByName } from "../users/index.ts";
import type { Contact, CreateContact } from "../../../shared/schemas/contact.ts";
import { lifecycles } from "../../../shared/schemas/contact.ts";
import type { Transaction } from "../../db/client.ts";
import { countRows, listPage, type ListRequest, type ListSpec } from "../../db/listing.ts";
import type { Reader } from "../../lib/access.ts";
import { newId } from "../../lib/ids.ts";
import { contacts } from "./contacts.table.ts";

type ContactRow = typeof contacts.$inferSelect;

/** How contacts are listed: filterable fields, sortable (indexed) ones, search and includes. */
export const contactsListSpec = {
  table: contacts,
  fields: {
    id: { column: contacts.id, type: "uuid" },
    firstName: { column: contacts.firstName, type: "text", sortable: true },
    lastName: { column: contacts.lastName, type: "text", sortable: true },
    email: { column: contacts.email, type: "text", caseInsensitive: true },
    phone: { column: contacts.phone, type: "text" },
    jobTitle: { column: contacts.jobTitle, type: "text" },
    companyId: { column: contacts.companyId, type: "uuid" },
    ownerId: { column: contacts.ownerId, type: "uuid", acceptsMe: true, sortable: true, sortGroups: membersByName },
    lifecycle: { column: contacts.lifecycle, type: "enum", values: lifecycles, sortable: true },
    source: { column: contacts.source, type: "text" },
    tags: { column: contacts.tags, type: "tags" },
    createdAt: { column: contacts.createdAt, type: "timestamp", sortable: true },
    updatedAt: { column: contacts.updatedAt, type: "timestamp", sortable: true },
    lastActivityAt: lastActivityField(contacts.lastActivityAt),
    createdBy: { column: contacts.createdBy, type: "uuid", acceptsMe: true },
  },
  defaultSort: "-createdAt",
  search: { vector: contacts.searchVector, text: contacts.searchText },
  includes: ["company", "owner"],
  hiddenColumns: ["searchText", "searchVector", "custom", "workspaceId"],
} satisfies ListSpec;

/**
 * Row → API object: camelCase, no storage-only columns. One plain object literal, in the order of
 * recordFieldsOf then the contact's own fields: a list maps 50 to 200 rows per request, and object
 * spreads cost far more than a literal here.
 */
export function toContact(row: ContactRow | Record<string, unknown>): Contact {
  const r = row as ContactRow;
  const contact: Contact = {
    id: r.id,
    version: r.version,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    createdBy: r.createdBy,
    deletedAt: r.deletedAt,
    firstName: r.firstName,
    lastName: r.lastName,
    email: r.email,
    phone: r.phone,
    jobTitle: r.jobTitle,
    companyId: r.companyId,
    ownerId: r.ownerId,
    lifecycle: r.lifecycle,
    source: r.source,
    tags: r.tags,
    lastActivityAt: r.lastActivityAt ?? null,
  };
  if (r.mergedIntoId) contact.mergedIntoId = r.mergedIntoId;
  return contact;
}

export async function insertContact(
  tx: Transaction,
  workspaceId: string,
  createdBy: string,
  input: CreateContact & { ownerId: string | null },
): Promise<ContactRow> {
  const [row] = await tx
    .insert(contacts)
    .values({ ...input, workspaceId, id: newId(), createdBy })
    .returning();
  if (!row) throw new Error("contact insert returned nothing");
  return row;
}

export async function listContacts(tx: Transaction, workspaceId: string, request: ListRequest, reader: Reader = null) {
  const page = await listPage(tx, contactsListSpec, workspaceId, request);
  const data = page.rows.map(toContact);
  await attachIncludes(tx, workspaceId, data, request.include, reader);
  return { data, nextCursor: page.nextCursor };
}

export function countContacts(tx: Transaction, workspaceId: string, request: ListRequest) {
  return countRows(tx, contactsListSpec, workspaceId, request);
}

/**
 * Embeds related records, one query per relation whatever the number of contacts (no N+1); a
 * company `reader` may not see is embedded as null.
 */
export async function attachIncludes(
  tx: Transaction,
  workspaceId: string,
  items: Contact[],
  include: string[],
  reader: Reader = null,
) {
  await attachLinkSummaries(tx, workspaceId, items, include, reader);
  if (include.includes("owner")) {
    await attachUserSummaries(
      tx,
      items,
      (c) => c.ownerId,
      (c, owner) => (c.owner = owner),
    );
  }
}
