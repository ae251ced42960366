import type { Contact, CreateContact, UpdateContact } from "../../../shared/schemas/contact.ts";
import { getRecord, updateRecord } from "../../db/records.ts";
import type { ListRequest } from "../../db/listing.ts";
import { withWorkspaceTransaction } from "../../db/transaction.ts";
import { assertAllowed, assertAllowedOn, assertOwnerAssignable } from "../../lib/access.ts";
import type { RequestContext } from "../../lib/context.ts";
import { enqueueEvent } from "../outbox/index.ts";
import { deleteRecord, restoreDeletedRecord, type RecordLifecycle } from "../records/index.ts";
import {
  attachIncludes,
  countContacts,
  insertContact,
  listContacts as listContactRows,
  toContact,
} from "./contacts.repository.ts";
import { contacts } from "./contacts.table.ts";

const resource = "contact";
const lifecycle: RecordLifecycle<typeof contacts, Contact> = {
  table: contacts,
  resource,
  present: (_tx, row) => toContact(row),
};

/** Creates a contact owned by the caller unless another owner is given (agents: only themselves). */
export async function createContact(ctx: RequestContext, input: CreateContact): Promise<Contact> {
  const scope = assertAllowed(ctx, "create", resource);
  assertOwnerAssignable(ctx, scope, input.ownerId);
  return withWorkspaceTransaction(ctx.db, ctx.workspaceId, async (tx) => {
    const contact = await insertContact(tx, ctx.workspaceId, ctx.actor.userId, {
      ...input,
      email: input.email ?? null,
      ownerId: input.ownerId === undefined ? ctx.actor.userId : input.ownerId,
    });
    await enqueueEvent(tx, ctx, { type: "contact.created", resourceId: contact.id, payload: contact });
    return contact;
  });
}

export async function listContacts(ctx: RequestContext, request: ListRequest) {
  assertAllowed(ctx, "read", resource);
  return withWorkspaceTransaction(ctx.db, ctx.workspaceId, (tx) => listContactRows(tx, ctx.workspaceId, request));
}

export async function countContactRows(ctx: RequestContext, request: ListRequest): Promise<number> {
  assertAllowed(ctx, "read", resource);
  return withWorkspaceTransaction(ctx.db, ctx.workspaceId, (tx) => countContacts(tx, ctx.workspaceId, request));
}

/** One contact (also a deleted one, so its page can offer Restore). */
export async function getContact(ctx: RequestContext, id: string, include: string[] = []): Promise<Contact> {
  assertAllowed(ctx, "read", resource);
  return withWorkspaceTransaction(ctx.db, ctx.workspaceId, async (tx) => {
    const contact = toContact(await getRecord(tx, contacts, resource, ctx.workspaceId, id, { includeDeleted: true }));
    await attachIncludes(tx, ctx.workspaceId, [contact], include);
    return contact;
  });
}

export async function updateContact(
  ctx: RequestContext,
  id: string,
  input: UpdateContact,
  expectedVersion?: number,
): Promise<Contact> {
  const scope = assertAllowed(ctx, "update", resource);
  assertOwnerAssignable(ctx, scope, input.ownerId);
  return withWorkspaceTransaction(ctx.db, ctx.workspaceId, async (tx) => {
    const current = await getRecord(tx, contacts, resource, ctx.workspaceId, id, { forUpdate: true });
    assertAllowedOn(ctx, "update", resource, current);
    const contact = toContact(await updateRecord(tx, contacts, resource, ctx.workspaceId, id, input, expectedVersion));
    await enqueueEvent(tx, ctx, { type: "contact.updated", resourceId: id, payload: contact });
    return contact;
  });
}

export function deleteContact(ctx: RequestContext, id: string, expectedVersion?: number): Promise<void> {
  return deleteRecord(ctx, lifecycle, id, expectedVersion);
}

export function restoreContact(ctx: RequestContext, id: string, expectedVersion?: number): Promise<Contact> {
  return restoreDeletedRecord(ctx, lifecycle, id, expectedVersion);
}
