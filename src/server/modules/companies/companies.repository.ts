import { attachUserSummaries, membersByName } from "../users/index.ts";
import { lastActivityField } from "../../db/columns.ts";
import type { Company, CreateCompany } from "../../../shared/schemas/company.ts";
import type { Transaction } from "../../db/client.ts";
import { countRows, listPage, type ListRequest, type ListSpec } from "../../db/listing.ts";
import { newId } from "../../lib/ids.ts";
import { companies } from "./companies.table.ts";

type CompanyRow = typeof companies.$inferSelect;

/** How companies are listed: filterable fields, sortable (indexed) ones, search and includes. */
export const companiesListSpec = {
  table: companies,
  fields: {
    id: { column: companies.id, type: "uuid" },
    name: { column: companies.name, type: "text", sortable: true },
    domain: { column: companies.domain, type: "text", caseInsensitive: true },
    industry: { column: companies.industry, type: "text" },
    phone: { column: companies.phone, type: "text" },
    employeeCount: { column: companies.employeeCount, type: "integer", sortable: true },
    annualRevenue: { column: companies.annualRevenue, type: "decimal" },
    ownerId: { column: companies.ownerId, type: "uuid", acceptsMe: true, sortable: true, sortGroups: membersByName },
    tags: { column: companies.tags, type: "tags" },
    createdAt: { column: companies.createdAt, type: "timestamp", sortable: true },
    updatedAt: { column: companies.updatedAt, type: "timestamp", sortable: true },
    lastActivityAt: lastActivityField(companies.lastActivityAt),
    createdBy: { column: companies.createdBy, type: "uuid", acceptsMe: true },
  },
  defaultSort: "-createdAt",
  search: { vector: companies.searchVector, text: companies.searchText },
  includes: ["owner"],
  hiddenColumns: ["searchText", "searchVector", "custom", "workspaceId"],
} satisfies ListSpec;

/**
 * Row → API object: camelCase, no storage-only columns. One plain object literal, in the order of
 * recordFieldsOf then the company's own fields: a list maps 50 to 200 rows per request, and object
 * spreads cost far more than a literal here.
 */
export function toCompany(row: CompanyRow | Record<string, unknown>): Company {
  const r = row as CompanyRow;
  const company: Company = {
    id: r.id,
    version: r.version,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    createdBy: r.createdBy,
    deletedAt: r.deletedAt,
    name: r.name,
    domain: r.domain,
    industry: r.industry,
    phone: r.phone,
    address: r.address,
    employeeCount: r.employeeCount,
    annualRevenue: r.annualRevenue,
    ownerId: r.ownerId,
    tags: r.tags,
    lastActivityAt: r.lastActivityAt ?? null,
  };
  if (r.mergedIntoId) company.mergedIntoId = r.mergedIntoId;
  return company;
}

/** Inserts a company; a name already used in the workspace (any case) answers 409 by constraint. */
export async function insertCompany(
  tx: Transaction,
  workspaceId: string,
  createdBy: string,
  input: Omit<CreateCompany, "ownerId"> & { ownerId: string | null },
): Promise<typeof companies.$inferSelect> {
  const [row] = await tx
    .insert(companies)
    .values({ ...input, workspaceId, id: newId(), createdBy })
    .returning();
  if (!row) throw new Error("company insert returned nothing");
  return row;
}

/** One page of companies, with the requested includes. */
export async function listCompanies(tx: Transaction, workspaceId: string, request: ListRequest) {
  const page = await listPage(tx, companiesListSpec, workspaceId, request);
  const data = page.rows.map(toCompany);
  await attachIncludes(tx, data, request.include);
  return { data, nextCursor: page.nextCursor };
}

/** How many companies match a list request. */
export function countCompanies(tx: Transaction, workspaceId: string, request: ListRequest) {
  return countRows(tx, companiesListSpec, workspaceId, request);
}

/** Embeds the owners, one query whatever the number of companies (no N+1). */
export async function attachIncludes(tx: Transaction, items: Company[], include: string[]) {
  if (!include.includes("owner")) return;
  await attachUserSummaries(
    tx,
    items,
    (c) => c.ownerId,
    (c, owner) => (c.owner = owner),
  );
}
