import type { Contact, CreateContact, UpdateContact } from "../../../shared/schemas/contact.ts";
import { getRecord } from "../../db/records.ts";
import type { ListRequest, RowCount } from "../../db/listing.ts";
import { withWorkspaceTransaction } from "../../db/transaction.ts";
import { assertAllowed, readerOf, visibleRequest, visibleRows } from "../../lib/access.ts";
import type { RequestContext } from "../../lib/context.ts";
import { createRecord, deleteRecord, restoreRecord, updateRecordById, type RecordType } from "../records/index.ts";
import {
  attachIncludes,
  countContacts,
  insertContact,
  listContacts as listContactRows,
  toContact,
} from "./contacts.repository.ts";
import { contacts } from "./contacts.table.ts";

const resource = "contact";

/** Contacts on the one write path: owned by their creator unless another owner is given. */
export const contactType: RecordType<typeof contacts, Contact, CreateContact, UpdateContact> = {
  resource,
  table: contacts,
  ownerField: "ownerId",
  phoneFields: ["phone"],
  present: (_tx, row) => toContact(row),
  insert: (tx, ctx, input) =>
    insertContact(tx, ctx.workspaceId, ctx.actor.userId, {
      ...input,
      email: input.email ?? null,
      ownerId: input.ownerId === undefined ? ctx.actor.userId : input.ownerId,
    }),
  changes: async (_tx, _ctx, _current, input) => input,
};

/** Creates a contact owned by the caller unless another owner is given (agents: only themselves). */
export function createContact(ctx: RequestContext, input: CreateContact): Promise<Contact> {
  return createRecord(ctx, contactType, input);
}

/** One page of the contacts the caller may read. */
export async function listContacts(ctx: RequestContext, request: ListRequest) {
  assertAllowed(ctx, "read", resource);
  return withWorkspaceTransaction(ctx.db, ctx.workspaceId, async (tx) => {
    const reader = await readerOf(tx, ctx);
    return listContactRows(tx, ctx.workspaceId, visibleRequest(request, resource, reader), reader);
  });
}

/** How many of the contacts the caller may read match the list filters. */
export async function countContactRows(ctx: RequestContext, request: ListRequest): Promise<RowCount> {
  assertAllowed(ctx, "read", resource);
  return withWorkspaceTransaction(ctx.db, ctx.workspaceId, async (tx) =>
    countContacts(tx, ctx.workspaceId, visibleRequest(request, resource, await readerOf(tx, ctx))),
  );
}

/** One contact (also a deleted one, so its page can offer Restore). */
export async function getContact(ctx: RequestContext, id: string, include: string[] = []): Promise<Contact> {
  assertAllowed(ctx, "read", resource);
  return withWorkspaceTransaction(ctx.db, ctx.workspaceId, async (tx) => {
    const reader = await readerOf(tx, ctx);
    const visible = visibleRows(resource, reader);
    const contact = toContact(
      await getRecord(tx, contacts, resource, ctx.workspaceId, id, { includeDeleted: true, visible }),
    );
    await attachIncludes(tx, ctx.workspaceId, [contact], include, reader);
    return contact;
  });
}

export function updateContact(
  ctx: RequestContext,
  id: string,
  input: UpdateContact,
  expectedVersion?: number,
): Promise<Contact> {
  return updateRecordById(ctx, contactType, id, input, expectedVersion);
}

export function deleteContact(ctx: RequestContext, id: string, expectedVersion?: number): Promise<void> {
  return deleteRecord(ctx, contactType, id, expectedVersion);
}

export function restoreContact(ctx: RequestContext, id: string, expectedVersion?: number): Promise<Contact> {
  return restoreRecord(ctx, contactType, id, expectedVersion);
}
