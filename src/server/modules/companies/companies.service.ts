import type { Company, CreateCompany, UpdateCompany } from "../../../shared/schemas/company.ts";
import type { ListRequest, RowCount } from "../../db/listing.ts";
import { getRecord } from "../../db/records.ts";
import { withWorkspaceTransaction } from "../../db/transaction.ts";
import { assertAllowed, readerOf, visibleRequest, visibleRows } from "../../lib/access.ts";
import type { RequestContext } from "../../lib/context.ts";
import { createRecord, deleteRecord, restoreRecord, updateRecordById, type RecordType } from "../records/index.ts";
import {
  attachIncludes,
  countCompanies,
  insertCompany,
  listCompanies as listCompanyRows,
  toCompany,
} from "./companies.repository.ts";
import { companies } from "./companies.table.ts";

const resource = "company";

/** Companies on the one write path: owned by their creator unless another owner is given. */
export const companyType: RecordType<typeof companies, Company, CreateCompany, UpdateCompany> = {
  resource,
  table: companies,
  ownerField: "ownerId",
  phoneFields: ["phone"],
  present: (_tx, row) => toCompany(row),
  insert: (tx, ctx, input) =>
    insertCompany(tx, ctx.workspaceId, ctx.actor.userId, {
      ...input,
      ownerId: input.ownerId === undefined ? ctx.actor.userId : input.ownerId,
    }),
  changes: async (_tx, _ctx, _current, input) => input,
};

/** Creates a company owned by the caller unless another owner is given (agents: only themselves). */
export function createCompany(ctx: RequestContext, input: CreateCompany): Promise<Company> {
  return createRecord(ctx, companyType, input);
}

/** One page of the companies the caller may read. */
export async function listCompanies(ctx: RequestContext, request: ListRequest) {
  assertAllowed(ctx, "read", resource);
  return withWorkspaceTransaction(ctx.db, ctx.workspaceId, async (tx) =>
    listCompanyRows(tx, ctx.workspaceId, visibleRequest(request, resource, await readerOf(tx, ctx))),
  );
}

/** How many companies match the list filters. */
export async function countCompanyRows(ctx: RequestContext, request: ListRequest): Promise<RowCount> {
  assertAllowed(ctx, "read", resource);
  return withWorkspaceTransaction(ctx.db, ctx.workspaceId, async (tx) =>
    countCompanies(tx, ctx.workspaceId, visibleRequest(request, resource, await readerOf(tx, ctx))),
  );
}

/** One company (also a deleted one, so its page can offer Restore). */
export async function getCompany(ctx: RequestContext, id: string, include: string[] = []): Promise<Company> {
  assertAllowed(ctx, "read", resource);
  return withWorkspaceTransaction(ctx.db, ctx.workspaceId, async (tx) => {
    const visible = visibleRows(resource, await readerOf(tx, ctx));
    const company = toCompany(
      await getRecord(tx, companies, resource, ctx.workspaceId, id, { includeDeleted: true, visible }),
    );
    await attachIncludes(tx, [company], include);
    return company;
  });
}

/** Updates the given fields; agents only their own companies, and only to themselves as owner. */
export function updateCompany(
  ctx: RequestContext,
  id: string,
  input: UpdateCompany,
  expectedVersion?: number,
): Promise<Company> {
  return updateRecordById(ctx, companyType, id, input, expectedVersion);
}

/** Soft-deletes a company; its contacts, leads and deals keep pointing at it. */
export function deleteCompany(ctx: RequestContext, id: string, expectedVersion?: number): Promise<void> {
  return deleteRecord(ctx, companyType, id, expectedVersion);
}

/** Restores a deleted company; 409 when its name was taken meanwhile. */
export function restoreCompany(ctx: RequestContext, id: string, expectedVersion?: number): Promise<Company> {
  return restoreRecord(ctx, companyType, id, expectedVersion);
}
