import type { Resource } from "../../../shared/permissions.ts";
import {
  dashboardRanges,
  maxDashboardBuckets,
  maxDashboardDays,
  type CurrencyAmount,
  type Dashboard,
  type DashboardBucket,
  type DashboardQuery,
} from "../../../shared/schemas/dashboard.ts";
import type { LeadStatus } from "../../../shared/schemas/lead.ts";
import type { FieldError } from "../../../shared/schemas/problem.ts";
import type { ActivityTypeSetting } from "../../../shared/workspace-defaults.ts";
import type { Database, Transaction } from "../../db/client.ts";
import { readInOneSnapshot } from "../../db/shared-snapshot.ts";
import { withWorkspaceTransaction } from "../../db/transaction.ts";
import { assertAllowed, readerOf, type Reader } from "../../lib/access.ts";
import type { RequestContext } from "../../lib/context.ts";
import { AppError, notFound } from "../../lib/errors.ts";
import { readWorkspaceSettings } from "../workspaces/index.ts";
import {
  figuresKey,
  mineKey,
  type DashboardCaches,
  type TaskCounts,
  type WorkspaceFigures,
} from "./dashboard.cache.ts";
import {
  openLeadStatuses,
  queryActivitiesByType,
  queryChangeMarker,
  queryContactGrowth,
  queryHasEventsOf,
  queryLeadsByStatus,
  queryPipeline,
  queryRecent,
  queryTaskCounts,
  queryTotals,
  type Period,
  type TotalsRead,
} from "./dashboard.repository.ts";

const dayMs = 86_400_000;
const approximateBucketDays: Record<DashboardBucket, number> = { day: 1, week: 7, month: 28 };
const recentItems = 10;
/** All widgets read one consistent snapshot, and nothing else. */
const snapshot = { isolationLevel: "repeatable read", accessMode: "read only" } as const;
/** Everything the dashboard sums up; it needs read access to all of it. */
const summarised: Resource[] = ["contact", "company", "lead", "deal", "pipeline", "activity", "task"];

/**
 * The dashboard of the caller's workspace. The figures are workspace-wide for every role that
 * reads all records, and an agent's own when the workspace limits agents to their own records
 * (kept apart per agent in the cache); the `mine` task counts are the caller's own. Each part comes from
 * `caches` when it holds it for the workspace's current change marker (dashboard.cache.ts), else
 * it is computed, every widget in one read-only snapshot, and kept.
 */
export async function getDashboard(
  ctx: RequestContext,
  query: DashboardQuery,
  caches: DashboardCaches,
  now = new Date(),
): Promise<Dashboard> {
  for (const resource of summarised) assertAllowed(ctx, "read", resource);
  const period = resolvePeriod(query, now);
  const { workspaceId } = ctx;
  const { userId } = ctx.actor;
  let reader: Reader = null;
  const keysAt = (marker: string) => ({
    figures: figuresKey(workspaceId, marker, query, period, reader),
    mine: mineKey(workspaceId, marker, userId, period.timeZone),
  });

  // A cache hit costs two statements of the system role, not a transaction (two round trips,
  // not four): the reader (only an agent's needs the settings) and the marker, both scoped by the
  // workspace the caller's membership was just verified in. The cache is asked between statements:
  // a slow Redis never holds a database connection.
  reader = await readerOf(ctx.db, ctx);
  const { marker } = await queryChangeMarker(ctx.db, workspaceId);
  const keys = keysAt(marker);
  const [figures, mine] = await Promise.all([caches.figures.get(keys.figures), caches.mine.get(keys.mine)]);
  const olderRunning = [...new Set([...(figures?.pending ?? []), ...(mine?.pending ?? [])])];
  const isStale = olderRunning.length > 0 && (await queryHasEventsOf(ctx.db, workspaceId, olderRunning));
  const found = isStale ? { marker } : { marker, figures: figures?.value, mine: mine?.value };
  if (found.figures && found.mine) return withMine(found.figures, found.mine);

  const read = await withWorkspaceTransaction(
    ctx.db,
    workspaceId,
    async (tx) => {
      const current = await queryChangeMarker(tx, workspaceId);
      // A part found above is still right for this snapshot only if nothing changed since.
      const isUnchanged = current.marker === found.marker;
      const figures =
        isUnchanged && found.figures
          ? found.figures
          : await readFigures(ctx.db, tx, workspaceId, query, period, now, reader);
      const mine =
        isUnchanged && found.mine
          ? found.mine
          : await queryTaskCounts(tx, workspaceId, now.toISOString(), period.timeZone, userId);
      return { current, figures, mine };
    },
    snapshot,
  );
  const fresh = keysAt(read.current.marker);
  const { pending } = read.current;
  await Promise.all([
    read.figures === found.figures ? undefined : caches.figures.set(fresh.figures, { value: read.figures, pending }),
    read.mine === found.mine ? undefined : caches.mine.set(fresh.mine, { value: read.mine, pending }),
  ]);
  return withMine(read.figures, read.mine);
}

/** The answer: the workspace's figures (shared, so copied, not changed) with the caller's tasks. */
function withMine(figures: WorkspaceFigures, mine: TaskCounts): Dashboard {
  return { ...figures, tasks: { ...figures.tasks, mine } };
}

/**
 * The workspace's figures (of the records `reader` may see), widget by widget, in the caller's
 * snapshot: on a PostgreSQL server two transactions of that snapshot read them side by side
 * (readInOneSnapshot), the longest first.
 */
async function readFigures(
  db: Database,
  tx: Transaction,
  workspaceId: string,
  query: DashboardQuery,
  period: Period,
  now: Date,
  reader: Reader,
): Promise<WorkspaceFigures> {
  // Longest first, as measured at 1,000,000 contacts with the tallies (bench/dashboard.ts, ms alone:
  // activities by type 67–93, growth 21–42, totals 8–23, tasks 6–10, pipeline 3–4, recent 3, leads 1–2).
  const read = await readInOneSnapshot(db, tx, workspaceId, {
    activitiesByType: async (t) => {
      const { activityTypes } = await readWorkspaceSettings(t, workspaceId);
      return activitiesByTypeOf(t, workspaceId, period, activityTypes, reader);
    },
    growth: (t) => queryContactGrowth(t, workspaceId, period, reader),
    totals: (t) => queryTotals(t, workspaceId, reader),
    tasks: (t) => queryTaskCounts(t, workspaceId, now.toISOString(), period.timeZone, undefined, reader),
    pipeline: (t) => queryPipeline(t, workspaceId, query.pipelineId, reader),
    recent: (t) => queryRecent(t, workspaceId, recentItems, reader),
    leadsByStatus: (t) => queryLeadsByStatus(t, workspaceId, reader),
  });
  const { totals: totalsRead, activitiesByType, pipeline, leadsByStatus, growth, tasks, recent } = read;
  const { totals, baseCurrency } = totalsRead;
  if (!pipeline && query.pipelineId) throw notFound("pipeline");
  const openLeads = leadsByStatus.reduce((sum, { status, count }) => sum + (isOpenLead(status) ? count : 0), 0);
  // Amounts come alphabetical by currency; the base currency goes first (the sort is stable).
  const baseFirst = (amounts: CurrencyAmount[]) =>
    [...amounts].sort((a, b) => Number(b.currency === baseCurrency) - Number(a.currency === baseCurrency));
  const contacts = atLeastCounted(totals, growth);
  return {
    period: { from: new Date(period.from), to: new Date(period.to), bucket: period.bucket, timeZone: period.timeZone },
    baseCurrency,
    totals: {
      ...totals,
      contacts,
      openLeads,
      openDeals: { ...totals.openDeals, amounts: baseFirst(totals.openDeals.amounts) },
      openTasks: tasks.open,
    },
    leadsByStatus,
    contactGrowth: withRunningTotal(growth.buckets, contacts - growth.createdSince),
    pipeline: pipeline
      ? { ...pipeline, stages: pipeline.stages.map((stage) => ({ ...stage, amounts: baseFirst(stage.amounts) })) }
      : null,
    activitiesByType,
    tasks,
    recent,
  };
}

/**
 * The contacts total, never below the contacts the growth query counted exactly (created in the
 * period and since): an estimate may be, and the running total would then fall below zero.
 */
function atLeastCounted(totals: TotalsRead, growth: { buckets: { count: number }[]; createdSince: number }): number {
  if (!totals.contactsIsEstimate) return totals.contacts;
  return Math.max(
    totals.contacts,
    growth.buckets.reduce((sum, bucket) => sum + bucket.count, growth.createdSince),
  );
}

const isOpenLead = (status: LeadStatus) => (openLeadStatuses as readonly LeadStatus[]).includes(status);

/** The workspace's types with their labels (a type removed since is named after its key). */
async function activitiesByTypeOf(
  tx: Transaction,
  workspaceId: string,
  period: Period,
  settings: readonly ActivityTypeSetting[],
  reader: Reader,
): Promise<Dashboard["activitiesByType"]> {
  const { types, buckets } = await queryActivitiesByType(
    tx,
    workspaceId,
    period,
    settings.map((type) => type.key),
    reader,
  );
  const labelOf = (key: string) =>
    settings.find((type) => type.key === key)?.label ?? key.charAt(0).toUpperCase() + key.slice(1).replace(/_/g, " ");
  return { types: types.map((key) => ({ key, label: labelOf(key) })), buckets };
}

/** Each bucket with the number of contacts by its end, given that number at the end of the last one. */
function withRunningTotal(buckets: { start: Date; count: number }[], atEnd: number): Dashboard["contactGrowth"] {
  let cumulative = atEnd;
  const newestFirst = [...buckets].reverse().map((bucket) => {
    const withTotal = { ...bucket, cumulative };
    cumulative -= bucket.count;
    return withTotal;
  });
  return newestFirst.reverse();
}

/**
 * The period of the time series: `from`/`to` as given, else `range` (90 days) ending at `to`
 * (now); the bucket follows its length unless given. Throws 400 naming what does not fit.
 */
export function resolvePeriod(query: DashboardQuery, now: Date): Period {
  const errors: FieldError[] = [];
  if (query.range && query.from) errors.push({ path: "range", message: "Give either range or from" });
  const to = query.to ? new Date(query.to) : now;
  const from = query.from
    ? new Date(query.from)
    : new Date(to.getTime() - dashboardRanges[query.range ?? "90d"] * dayMs);
  const days = (to.getTime() - from.getTime()) / dayMs;
  if (days <= 0) errors.push({ path: "from", message: "Must be before to" });
  if (days > maxDashboardDays) errors.push({ path: "from", message: `At most ${maxDashboardDays} days before to` });
  const bucket = query.bucket ?? (days <= 31 ? "day" : days <= 183 ? "week" : "month");
  if (days / approximateBucketDays[bucket] > maxDashboardBuckets) {
    errors.push({ path: "bucket", message: `At most ${maxDashboardBuckets} buckets: choose a longer bucket` });
  }
  if (errors.length > 0) throw new AppError("validation", "The period is invalid.", errors);
  return { from: from.toISOString(), to: to.toISOString(), bucket, timeZone: query.timeZone };
}
