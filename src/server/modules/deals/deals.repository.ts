import { and, eq, sql } from "drizzle-orm";
import { lastActivityField } from "../../db/columns.ts";
import { dealStatuses, type Deal } from "../../../shared/schemas/deal.ts";
import type { Transaction } from "../../db/client.ts";
import { countRows, listPage, type ListRequest, type ListSpec } from "../../db/listing.ts";
import type { Reader } from "../../lib/access.ts";
import { newId } from "../../lib/ids.ts";
import { findStagesByIds, pipelineStages, pipelines } from "../pipelines/index.ts";
import { attachLinkSummaries } from "../records/records.summaries.ts";
import { attachUserSummaries, membersByName } from "../users/index.ts";
import { workspaces } from "../workspaces/workspaces.table.ts";
import { deals } from "./deals.table.ts";

type DealRow = typeof deals.$inferSelect;

/** Columns a deal is written with (everything but identity, versioning and derived or generated columns). */
export type DealValues = Omit<
  typeof deals.$inferInsert,
  "workspaceId" | "id" | "createdBy" | "version" | "lastActivityAt" | "searchText" | "searchVector"
>;

/**
 * The workspace's stages in pipeline order, archived ones included (their deals stay): the
 * default pipeline first, then the others by name, each stage by position. The order of
 * `sort=stageId`.
 */
async function stagesInPipelineOrder(tx: Transaction, workspaceId: string): Promise<string[]> {
  const rows = await tx
    .select({ id: pipelineStages.id })
    .from(pipelineStages)
    .innerJoin(
      pipelines,
      and(eq(pipelines.workspaceId, pipelineStages.workspaceId), eq(pipelines.id, pipelineStages.pipelineId)),
    )
    .where(eq(pipelineStages.workspaceId, workspaceId))
    .orderBy(
      sql`${pipelines.isDefault} desc`,
      sql`lower(${pipelines.name})`,
      pipelines.id,
      pipelineStages.position,
      pipelineStages.id,
    );
  return rows.map((row) => row.id);
}

/** How deals are listed: every scalar field filters; only indexed (workspace_id, field, id) ones sort. */
export const dealsListSpec = {
  table: deals,
  fields: {
    id: { column: deals.id, type: "uuid" },
    name: { column: deals.name, type: "text", sortable: true },
    value: { column: deals.value, type: "decimal", sortable: true },
    currency: { column: deals.currency, type: "text" },
    pipelineId: { column: deals.pipelineId, type: "uuid" },
    stageId: { column: deals.stageId, type: "uuid", sortable: true, sortGroups: stagesInPipelineOrder },
    status: { column: deals.status, type: "enum", values: dealStatuses },
    probability: { column: deals.probability, type: "integer" },
    expectedCloseDate: { column: deals.expectedCloseDate, type: "date", sortable: true },
    actualCloseDate: { column: deals.actualCloseDate, type: "date" },
    contactId: { column: deals.contactId, type: "uuid" },
    companyId: { column: deals.companyId, type: "uuid" },
    leadId: { column: deals.leadId, type: "uuid" },
    ownerId: { column: deals.ownerId, type: "uuid", acceptsMe: true, sortable: true, sortGroups: membersByName },
    tags: { column: deals.tags, type: "tags" },
    createdAt: { column: deals.createdAt, type: "timestamp", sortable: true },
    updatedAt: { column: deals.updatedAt, type: "timestamp", sortable: true },
    lastActivityAt: lastActivityField(deals.lastActivityAt),
    createdBy: { column: deals.createdBy, type: "uuid", acceptsMe: true },
  },
  defaultSort: "-createdAt",
  search: { vector: deals.searchVector, text: deals.searchText },
  includes: ["company", "contact", "owner", "stage"],
  hiddenColumns: ["searchText", "searchVector", "custom", "workspaceId"],
} satisfies ListSpec;

/** Row → API object: camelCase, money as a decimal string, no storage-only columns. */
export function toDeal(row: DealRow | Record<string, unknown>): Deal {
  const r = row as DealRow;
  // One plain literal, in the order of recordFieldsOf then the deal's own fields: cheaper than a spread.
  return {
    id: r.id,
    version: r.version,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    createdBy: r.createdBy,
    deletedAt: r.deletedAt,
    name: r.name,
    value: r.value,
    currency: r.currency,
    pipelineId: r.pipelineId,
    stageId: r.stageId,
    status: r.status,
    probability: r.probability,
    expectedCloseDate: r.expectedCloseDate,
    actualCloseDate: r.actualCloseDate,
    contactId: r.contactId,
    companyId: r.companyId,
    leadId: r.leadId,
    ownerId: r.ownerId,
    lostReason: r.lostReason,
    tags: r.tags,
    lastActivityAt: r.lastActivityAt ?? null,
  };
}

/** Inserts a deal whose defaults and placement the service already decided. */
export async function insertDeal(
  tx: Transaction,
  workspaceId: string,
  createdBy: string,
  values: DealValues,
): Promise<typeof deals.$inferSelect> {
  const [row] = await tx
    .insert(deals)
    .values({ ...values, workspaceId, id: newId(), createdBy })
    .returning();
  if (!row) throw new Error("deal insert returned nothing");
  return row;
}

/** One page of deals, with the requested includes embedded. */
export async function listDealRows(tx: Transaction, workspaceId: string, request: ListRequest, reader: Reader = null) {
  const page = await listPage(tx, dealsListSpec, workspaceId, request);
  const data = page.rows.map(toDeal);
  await attachIncludes(tx, workspaceId, data, request.include, reader);
  return { data, nextCursor: page.nextCursor };
}

/** How many deals match the list filters. */
export function countDeals(tx: Transaction, workspaceId: string, request: ListRequest) {
  return countRows(tx, dealsListSpec, workspaceId, request);
}

/** The workspace's base currency, the default of a deal's currency. */
export async function workspaceCurrency(tx: Transaction, workspaceId: string): Promise<string> {
  const [row] = await tx
    .select({ currency: workspaces.baseCurrency })
    .from(workspaces)
    .where(eq(workspaces.id, workspaceId));
  return row?.currency ?? "USD";
}

/**
 * Embeds related records, one query per relation whatever the number of deals (no N+1); a contact
 * or company `reader` may not see is embedded as null.
 */
export async function attachIncludes(
  tx: Transaction,
  workspaceId: string,
  items: Deal[],
  include: string[],
  reader: Reader = null,
) {
  await attachLinkSummaries(tx, workspaceId, items, include, reader);
  if (include.includes("owner")) {
    await attachUserSummaries(
      tx,
      items,
      (d) => d.ownerId,
      (d, owner) => (d.owner = owner),
    );
  }
  if (include.includes("stage")) {
    const byId = await findStagesByIds(tx, workspaceId, [...new Set(items.map((item) => item.stageId))]);
    for (const item of items) item.stage = byId.get(item.stageId) ?? null;
  }
}
