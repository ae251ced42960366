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
import type { FieldError } from "../../../shared/schemas/problem.ts";
import { withWorkspaceTransaction } from "../../db/transaction.ts";
import { assertAllowed } from "../../lib/access.ts";
import type { RequestContext } from "../../lib/context.ts";
import { AppError, notFound } from "../../lib/errors.ts";
import {
  queryActivitiesByType,
  queryContactGrowth,
  queryLeadsByStatus,
  queryPipeline,
  queryRecent,
  queryTasks,
  queryTotals,
  type Period,
} from "./dashboard.repository.ts";

const dayMs = 86_400_000;
const approximateBucketDays: Record<DashboardBucket, number> = { day: 1, week: 7, month: 28 };
const recentItems = 10;
/** Everything the dashboard sums up; it needs read access to all of it. */
const summarised: Resource[] = ["contact", "company", "lead", "deal", "pipeline", "activity", "task"];

/**
 * The dashboard of the caller's workspace: one aggregate query per widget, in one transaction.
 * The figures are workspace-wide for every role (all roles read all records); the `mine` task
 * counts are the caller's own.
 */
export async function getDashboard(ctx: RequestContext, query: DashboardQuery, now = new Date()): Promise<Dashboard> {
  for (const resource of summarised) assertAllowed(ctx, "read", resource);
  const period = resolvePeriod(query, now);
  const { workspaceId } = ctx;
  return withWorkspaceTransaction(ctx.db, workspaceId, async (tx) => {
    const { totals, baseCurrency } = await queryTotals(tx, workspaceId);
    const leadsByStatus = await queryLeadsByStatus(tx, workspaceId);
    const contactGrowth = await queryContactGrowth(tx, workspaceId, period);
    const pipeline = await queryPipeline(tx, workspaceId, query.pipelineId);
    if (!pipeline && query.pipelineId) throw notFound("pipeline");
    const activitiesByType = await queryActivitiesByType(tx, workspaceId, period);
    const tasks = await queryTasks(tx, workspaceId, ctx.actor.userId, now.toISOString(), period.timeZone);
    const recent = await queryRecent(tx, workspaceId, recentItems);
    const baseFirst = (amounts: CurrencyAmount[]) =>
      [...amounts].sort((a, b) => Number(b.currency === baseCurrency) - Number(a.currency === baseCurrency));
    return {
      period: {
        from: new Date(period.from),
        to: new Date(period.to),
        bucket: period.bucket,
        timeZone: period.timeZone,
      },
      baseCurrency,
      totals: { ...totals, openDeals: { ...totals.openDeals, amounts: baseFirst(totals.openDeals.amounts) } },
      leadsByStatus,
      contactGrowth,
      pipeline: pipeline
        ? { ...pipeline, stages: pipeline.stages.map((stage) => ({ ...stage, amounts: baseFirst(stage.amounts) })) }
        : null,
      activitiesByType,
      tasks,
      recent,
    };
  });
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
