import { and, asc, eq, inArray, isNull, ne, sql } from "drizzle-orm";
import type { Pipeline, Stage } from "../../../shared/schemas/pipeline.ts";
import type { Transaction } from "../../db/client.ts";
import { countRows, listPage, type ListRequest, type ListSpec } from "../../db/listing.ts";
import { newId } from "../../lib/ids.ts";
import { deals } from "../deals/deals.table.ts";
import { stageColumns, type PlacedStage } from "./pipelines.lookup.ts";
import type { NewStage } from "./pipelines.stages.ts";
import { pipelineStages, pipelines } from "./pipelines.table.ts";

type DealRow = typeof deals.$inferSelect;
import { recordFieldsOf } from "../../db/records.ts";

type PipelineRow = typeof pipelines.$inferSelect;

/**
 * How pipelines are listed. The table has no (workspace_id, created_at, id) or name index: a
 * workspace holds a handful of pipelines, so sorting them reads a few rows of the primary key.
 */
export const pipelinesListSpec = {
  table: pipelines,
  fields: {
    id: { column: pipelines.id, type: "uuid" },
    name: { column: pipelines.name, type: "text", sortable: true },
    isDefault: { column: pipelines.isDefault, type: "boolean" },
    createdAt: { column: pipelines.createdAt, type: "timestamp", sortable: true },
    updatedAt: { column: pipelines.updatedAt, type: "timestamp" },
    createdBy: { column: pipelines.createdBy, type: "uuid", acceptsMe: true },
  },
  defaultSort: "createdAt",
  hiddenColumns: ["workspaceId"],
} satisfies ListSpec;

/** Row and its stages → API object. */
export function toPipeline(row: PipelineRow | Record<string, unknown>, stages: Stage[]): Pipeline {
  const r = row as PipelineRow;
  return {
    ...recordFieldsOf(r),
    name: r.name,
    isDefault: r.isDefault,
    stages,
  };
}

const toStage = ({ pipelineId: _pipelineId, ...stage }: PlacedStage): Stage => stage;

/** The stages of several pipelines in one query, each list ordered by position. */
export async function loadStages(
  tx: Transaction,
  workspaceId: string,
  pipelineIds: string[],
): Promise<Map<string, Stage[]>> {
  const byPipeline = new Map<string, Stage[]>(pipelineIds.map((id) => [id, []]));
  if (pipelineIds.length === 0) return byPipeline;
  const rows = await tx
    .select(stageColumns)
    .from(pipelineStages)
    .where(and(eq(pipelineStages.workspaceId, workspaceId), inArray(pipelineStages.pipelineId, pipelineIds)))
    .orderBy(asc(pipelineStages.pipelineId), asc(pipelineStages.position));
  for (const row of rows) byPipeline.get(row.pipelineId)?.push(toStage(row));
  return byPipeline;
}

/** Pipeline rows → API objects, with all their stages loaded in one query. */
export async function withStages(
  tx: Transaction,
  workspaceId: string,
  rows: (PipelineRow | Record<string, unknown>)[],
) {
  const stages = await loadStages(
    tx,
    workspaceId,
    rows.map((row) => String(row.id)),
  );
  return rows.map((row) => toPipeline(row, stages.get(String(row.id)) ?? []));
}

/** One page of pipelines with their stages. */
export async function listPipelineRows(tx: Transaction, workspaceId: string, request: ListRequest) {
  const page = await listPage(tx, pipelinesListSpec, workspaceId, request);
  return { data: await withStages(tx, workspaceId, page.rows), nextCursor: page.nextCursor };
}

/** How many pipelines match the list filters. */
export function countPipelines(tx: Transaction, workspaceId: string, request: ListRequest) {
  return countRows(tx, pipelinesListSpec, workspaceId, request);
}

/** Inserts a pipeline row (its stages come separately). */
export async function insertPipeline(
  tx: Transaction,
  workspaceId: string,
  createdBy: string,
  input: { name: string; isDefault: boolean },
): Promise<PipelineRow> {
  const [row] = await tx
    .insert(pipelines)
    .values({ ...input, workspaceId, id: newId(), createdBy })
    .returning();
  if (!row) throw new Error("pipeline insert returned nothing");
  return row;
}

/** Inserts stages into a pipeline, with new ids. */
export async function insertStages(tx: Transaction, workspaceId: string, pipelineId: string, stages: NewStage[]) {
  if (stages.length === 0) return;
  await tx.insert(pipelineStages).values(stages.map((stage) => ({ ...stage, workspaceId, pipelineId, id: newId() })));
}

/** Writes the new values of existing stages (at most 30, so one statement each). */
export async function updateStages(tx: Transaction, workspaceId: string, stages: Stage[]) {
  for (const { id, ...values } of stages) {
    await tx
      .update(pipelineStages)
      .set({ ...values, updatedAt: sql`now()` })
      .where(and(eq(pipelineStages.workspaceId, workspaceId), eq(pipelineStages.id, id)));
  }
}

/** Deletes stages by id; the deals foreign key refuses stages still in use. */
export async function deleteStages(tx: Transaction, workspaceId: string, stageIds: string[]) {
  if (stageIds.length === 0) return;
  await tx
    .delete(pipelineStages)
    .where(and(eq(pipelineStages.workspaceId, workspaceId), inArray(pipelineStages.id, stageIds)));
}

/** The ids among `stageIds` that some deal (live or deleted) is in. */
export async function stagesInUse(tx: Transaction, workspaceId: string, stageIds: string[]): Promise<Set<string>> {
  if (stageIds.length === 0) return new Set();
  const rows = await tx
    .selectDistinct({ stageId: deals.stageId })
    .from(deals)
    .where(and(eq(deals.workspaceId, workspaceId), inArray(deals.stageId, stageIds)));
  return new Set(rows.map((row) => row.stageId));
}

/** True when a live deal of the pipeline is still open. */
export async function hasOpenDeals(tx: Transaction, workspaceId: string, pipelineId: string): Promise<boolean> {
  const [row] = await tx
    .select({ id: deals.id })
    .from(deals)
    .where(
      and(
        eq(deals.workspaceId, workspaceId),
        eq(deals.pipelineId, pipelineId),
        eq(deals.status, "open"),
        isNull(deals.deletedAt),
      ),
    )
    .limit(1);
  return row !== undefined;
}

/** Takes the default flag off the current default pipeline (a change to it, so its version moves). */
/** The workspace's current default pipeline (but `exceptId`), locked: the one that must give up the flag. */
export async function currentDefaultPipelines(tx: Transaction, workspaceId: string, exceptId: string | null) {
  const conditions = [
    eq(pipelines.workspaceId, workspaceId),
    eq(pipelines.isDefault, true),
    isNull(pipelines.deletedAt),
  ];
  if (exceptId) conditions.push(ne(pipelines.id, exceptId));
  return tx
    .select()
    .from(pipelines)
    .where(and(...conditions))
    .for("update");
}

/**
 * Re-derives status and close date of the deals in stages whose won/lost flags changed. The rule
 * is the one of deals.stage.ts, in SQL so thousands of deals move in one statement. Answers each
 * moved deal before and after, for their audit entries and events.
 */
export async function resyncDealStatuses(
  tx: Transaction,
  workspaceId: string,
  stageIds: string[],
  today: string,
): Promise<{ before: DealRow; after: DealRow }[]> {
  if (stageIds.length === 0) return [];
  const derived = sql`(case when ${pipelineStages.isWon} then 'won' when ${pipelineStages.isLost} then 'lost' else 'open' end)`;
  const moving = and(
    eq(deals.workspaceId, workspaceId),
    inArray(deals.stageId, stageIds),
    eq(pipelineStages.workspaceId, deals.workspaceId),
    eq(pipelineStages.id, deals.stageId),
    sql`${deals.status} <> ${derived}`,
  );
  const before = await tx
    .select({ deal: deals })
    .from(deals)
    .innerJoin(pipelineStages, sql`true`)
    .where(moving)
    .orderBy(deals.id)
    .for("update", { of: deals });
  if (before.length === 0) return [];
  const after = await tx
    .update(deals)
    .set({
      status: sql`${derived}`,
      actualCloseDate: sql`case when ${derived} = 'open' then null else ${today}::date end`,
      // A deal no longer lost keeps no lost reason (as when it leaves a lost stage itself).
      lostReason: sql`case when ${derived} = 'lost' then ${deals.lostReason} else null end`,
      version: sql`${deals.version} + 1`,
      updatedAt: sql`now()`,
    })
    .from(pipelineStages)
    .where(moving)
    .returning();
  const afterById = new Map(after.map((row) => [row.id, row as DealRow]));
  return before.flatMap(({ deal }) => {
    const moved = afterById.get(deal.id);
    return moved ? [{ before: deal, after: moved }] : [];
  });
}
