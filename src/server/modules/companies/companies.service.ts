import type { Company, CreateCompany, UpdateCompany } from "../../../shared/schemas/company.ts";
import type { Transaction } from "../../db/client.ts";
import type { ListRequest } from "../../db/listing.ts";
import { getRecord, updateRecord } from "../../db/records.ts";
import { withWorkspaceTransaction } from "../../db/transaction.ts";
import { assertAllowed, assertAllowedOn, assertOwnerAssignable } from "../../lib/access.ts";
import type { RequestContext } from "../../lib/context.ts";
import { enqueueEvent } from "../outbox/index.ts";
import { deleteRecord, restoreDeletedRecord, type RecordLifecycle } from "../records/index.ts";
import {
  attachIncludes,
  countCompanies,
  insertCompany,
  listCompanies as listCompanyRows,
  toCompany,
} from "./companies.repository.ts";
import { companies } from "./companies.table.ts";

const resource = "company";
const lifecycle: RecordLifecycle<typeof companies, Company> = {
  table: companies,
  resource,
  present: (_tx, row) => toCompany(row),
};

/** Creates a company owned by the caller unless another owner is given (agents: only themselves). */
export async function createCompany(ctx: RequestContext, input: CreateCompany): Promise<Company> {
  const scope = assertAllowed(ctx, "create", resource);
  assertOwnerAssignable(ctx, scope, input.ownerId);
  return withWorkspaceTransaction(ctx.db, ctx.workspaceId, (tx) =>
    createCompanyIn(tx, ctx, { ...input, ownerId: input.ownerId === undefined ? ctx.actor.userId : input.ownerId }),
  );
}

/** Inserts a company and its event inside a caller's transaction (lead conversion uses it too). */
export async function createCompanyIn(
  tx: Transaction,
  ctx: RequestContext,
  input: Omit<CreateCompany, "ownerId"> & { ownerId: string | null },
): Promise<Company> {
  const company = await insertCompany(tx, ctx.workspaceId, ctx.actor.userId, input);
  await enqueueEvent(tx, ctx, { type: "company.created", resourceId: company.id, payload: company });
  return company;
}

/** One page of companies. */
export async function listCompanies(ctx: RequestContext, request: ListRequest) {
  assertAllowed(ctx, "read", resource);
  return withWorkspaceTransaction(ctx.db, ctx.workspaceId, (tx) => listCompanyRows(tx, ctx.workspaceId, request));
}

/** How many companies match the list filters. */
export async function countCompanyRows(ctx: RequestContext, request: ListRequest): Promise<number> {
  assertAllowed(ctx, "read", resource);
  return withWorkspaceTransaction(ctx.db, ctx.workspaceId, (tx) => countCompanies(tx, ctx.workspaceId, request));
}

/** One company (also a deleted one, so its page can offer Restore). */
export async function getCompany(ctx: RequestContext, id: string, include: string[] = []): Promise<Company> {
  assertAllowed(ctx, "read", resource);
  return withWorkspaceTransaction(ctx.db, ctx.workspaceId, async (tx) => {
    const company = toCompany(await getRecord(tx, companies, resource, ctx.workspaceId, id, { includeDeleted: true }));
    await attachIncludes(tx, [company], include);
    return company;
  });
}

/** Updates the given fields; agents only their own companies, and only to themselves as owner. */
export async function updateCompany(
  ctx: RequestContext,
  id: string,
  input: UpdateCompany,
  expectedVersion?: number,
): Promise<Company> {
  const scope = assertAllowed(ctx, "update", resource);
  assertOwnerAssignable(ctx, scope, input.ownerId);
  return withWorkspaceTransaction(ctx.db, ctx.workspaceId, async (tx) => {
    const current = await getRecord(tx, companies, resource, ctx.workspaceId, id, { forUpdate: true });
    assertAllowedOn(ctx, "update", resource, current);
    const company = toCompany(await updateRecord(tx, companies, resource, ctx.workspaceId, id, input, expectedVersion));
    await enqueueEvent(tx, ctx, { type: "company.updated", resourceId: id, payload: company });
    return company;
  });
}

/** Soft-deletes a company; its contacts, leads and deals keep pointing at it. */
export function deleteCompany(ctx: RequestContext, id: string, expectedVersion?: number): Promise<void> {
  return deleteRecord(ctx, lifecycle, id, expectedVersion);
}

/** Restores a deleted company; 409 when its name was taken meanwhile. */
export function restoreCompany(ctx: RequestContext, id: string, expectedVersion?: number): Promise<Company> {
  return restoreDeletedRecord(ctx, lifecycle, id, expectedVersion);
}
