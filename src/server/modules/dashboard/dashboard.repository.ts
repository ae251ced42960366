import { sql, type SQL } from "drizzle-orm";
import type { Dashboard, DashboardBucket } from "../../../shared/schemas/dashboard.ts";
import { leadStatuses } from "../../../shared/schemas/lead.ts";
import { prepared, type Database, type Transaction } from "../../db/client.ts";
import { countUpTo, exactCountLimit, settleCount } from "../../db/counting.ts";
import { andVisible, type OwnedResource, type Reader } from "../../lib/access.ts";

/**
 * The dashboard's queries: one aggregate query per widget, each led by workspace_id and served
 * by the indexes the lists already have (deleted rows are left out, as the partial indexes do).
 * They run in one read-only snapshot, so the widgets agree with each other.
 */

/** The time series' period: instants as ISO strings, buckets in `timeZone`. */
export type Period = { from: string; to: string; bucket: DashboardBucket; timeZone: string };

type Row = Record<string, unknown>;

async function rowsOf(tx: Database, query: SQL): Promise<Row[]> {
  return ((await tx.execute(query)) as unknown as { rows: Row[] }).rows;
}

const int = (value: unknown) => Number(value ?? 0);
const date = (value: unknown) => (value instanceof Date ? value : new Date(String(value)));

/** Statuses of leads still being worked on. */
export const openLeadStatuses = leadStatuses.filter((status) => status !== "converted" && status !== "lost");
const openTaskStatuses = sql`('open', 'in_progress')`;

/** Sums of value and weighted value (value × probability / 100) of deals, rounded to cents once. */
const amountColumns = (alias: string) => {
  const d = sql.raw(alias);
  return sql`round(coalesce(sum(${d}.value), 0), 2)::text as value,
    round(coalesce(sum(${d}.value * ${d}.probability), 0) / 100, 2)::text as weighted_value`;
};

/**
 * The workspace's change marker, read in the caller's snapshot: the newest transaction (xid8) that
 * wrote one of its outbox events. Every change of a record or of the settings writes an event in
 * its own transaction, so a change committed after this snapshot normally comes with a transaction
 * id past the marker, and the marker moves: figures stored under the old one are no longer asked
 * for. A workspace without events (all pruned) has the marker "none".
 *
 * The exception: a transaction older than the marker's, still running at the snapshot, commits
 * later with its older id, and the marker stays. `pending` lists those transactions (of any
 * workspace: their rows cannot be seen yet); figures read in this snapshot stay right as long as
 * none of them turns out to have written an event of this workspace (queryHasEventsOf).
 *
 * `db` may be the pool itself (the system role, one statement and round trip, no transaction): a
 * cache hit asks only this, for the workspace the caller's membership was verified in.
 */
export async function queryChangeMarker(
  tx: Database,
  workspaceId: string,
): Promise<{ marker: string; pending: string[] }> {
  const [row] = await rowsOf(
    tx,
    sql`${prepared("dashboard_change_marker")}with newest as (
        select max(xact_id) as xact_id from outbox_events where workspace_id = ${workspaceId})
      select coalesce(xact_id::text, 'none') as marker,
        array(select running::text from pg_snapshot_xip(pg_current_snapshot()) running
          where running < newest.xact_id) as pending
      from newest`,
  );
  return { marker: String(row?.marker ?? "none"), pending: (row?.pending ?? []) as string[] };
}

/** Whether any of these transactions wrote an event of the workspace (visible now: it committed). */
export async function queryHasEventsOf(tx: Database, workspaceId: string, xactIds: string[]): Promise<boolean> {
  const [row] = await rowsOf(
    tx,
    sql`select exists (select 1 from outbox_events
      where workspace_id = ${workspaceId} and xact_id = any(${`{${xactIds.join(",")}}`}::xid8[])) as found`,
  );
  return row?.found === true;
}

/** The totals queryTotals answers, with the marks of those that are estimates. */
export type TotalsRead = Pick<
  Dashboard["totals"],
  "contacts" | "contactsIsEstimate" | "companies" | "companiesIsEstimate" | "openDeals"
>;

/**
 * Counts of live contacts and companies, open deals with their amounts per currency
 * (alphabetical), and the workspace's base currency. (Open leads and tasks come from their own
 * widgets' counts, which read the same rows.) Contacts and companies are counted as lists count
 * (counting.ts): exactly up to `exactUpTo`, past that the planner's estimate of the same rows, so
 * no count reads more than `exactUpTo + 1` of them. Open deals stay exact: their money is summed (from
 * the tallies for a reader of every deal).
 */
export async function queryTotals(
  tx: Transaction,
  workspaceId: string,
  reader: Reader = null,
  exactUpTo = exactCountLimit,
): Promise<{ totals: TotalsRead; baseCurrency: string }> {
  const live = (table: string, resource: OwnedResource) =>
    sql`select 1 from ${sql.identifier(table)}
      where workspace_id = ${workspaceId} and deleted_at is null${andVisible(resource, reader)}`;
  const [row] = await rowsOf(
    tx,
    sql`select
      (select base_currency from workspaces where id = ${workspaceId}) as base_currency,
      ${countUpTo(live("contacts", "contact"), exactUpTo)} as contacts,
      ${countUpTo(live("companies", "company"), exactUpTo)} as companies,
      (select coalesce(json_agg(per_currency order by currency), '[]'::json) from (
        ${reader === null ? openDealsTallied(workspaceId) : openDealsOf(workspaceId, reader)}) per_currency) as open_deals`,
  );
  const contacts = await settleCount(tx, int(row?.contacts), live("contacts", "contact"), exactUpTo);
  const companies = await settleCount(tx, int(row?.companies), live("companies", "company"), exactUpTo);
  const deals = (row?.open_deals ?? []) as { currency: string; count: number; value: string; weighted_value: string }[];
  const totals = {
    contacts: contacts.count,
    ...(contacts.isEstimate ? { contactsIsEstimate: true as const } : {}),
    companies: companies.count,
    ...(companies.isEstimate ? { companiesIsEstimate: true as const } : {}),
    openDeals: {
      count: deals.reduce((sum, d) => sum + int(d.count), 0),
      amounts: deals.map((d) => ({ currency: d.currency, value: d.value, weightedValue: d.weighted_value })),
    },
  };
  return { totals, baseCurrency: String(row?.base_currency) };
}

/** Open deals per currency: count, value and weighted value, from the deals `reader` may see. */
const openDealsOf = (workspaceId: string, reader: Reader) =>
  sql`select d.currency, count(*) as count, ${amountColumns("d")}
    from deals d where d.workspace_id = ${workspaceId} and d.deleted_at is null and d.status = 'open'
      ${andVisible("deal", reader, "d")}
    group by d.currency`;

/** openDealsOf for a reader of every deal, from the workspace's tallies (a few rows, not every deal). */
const openDealsTallied = (workspaceId: string) =>
  sql`select currency, sum(count) as count, ${talliedAmountColumns}
    from dashboard_tallies where workspace_id = ${workspaceId} and kind = 'deal' and status = 'open'
    group by currency having sum(count) <> 0`;

/** amountColumns from tallies, which keep the sums of value and of value × probability: the same figures. */
const talliedAmountColumns = sql`round(sum(value), 2)::text as value,
  round(sum(weighted_value) / 100, 2)::text as weighted_value`;

/**
 * Live leads per status, every status listed (in lifecycle order), zeros included: from the
 * workspace's tallies for a reader of every lead, else from the leads the reader may see.
 */
export async function queryLeadsByStatus(
  tx: Transaction,
  workspaceId: string,
  reader: Reader = null,
): Promise<Dashboard["leadsByStatus"]> {
  const rows = await rowsOf(
    tx,
    reader === null
      ? sql`select status, sum(count) as count from dashboard_tallies
          where workspace_id = ${workspaceId} and kind = 'lead' group by status`
      : sql`select status, count(*) as count from leads
          where workspace_id = ${workspaceId} and deleted_at is null${andVisible("lead", reader)} group by status`,
  );
  const counts = new Map(rows.map((row) => [row.status, int(row.count)]));
  return leadStatuses.map((status) => ({ status, count: counts.get(status) ?? 0 }));
}

/** Every bucket start of the period, as local times of its time zone (the first may start before `from`). */
function bucketStarts(period: Period): SQL {
  const { from, to, bucket, timeZone } = period;
  return sql`select generate_series(
      date_trunc(${bucket}, ${from}::timestamptz at time zone ${timeZone}),
      (${to}::timestamptz at time zone ${timeZone}) - interval '1 microsecond',
      ${`1 ${bucket}`}::interval) as start`;
}

/**
 * Live contacts created in each bucket, and how many were created from the end of the period on
 * (the running total follows from these and the total count, without counting everything again).
 */
export async function queryContactGrowth(
  tx: Transaction,
  workspaceId: string,
  period: Period,
  reader: Reader = null,
): Promise<{ buckets: { start: Date; count: number }[]; createdSince: number }> {
  const { from, to, bucket, timeZone } = period;
  const live = sql`workspace_id = ${workspaceId} and deleted_at is null${andVisible("contact", reader)}`;
  const rows = await rowsOf(
    tx,
    sql`with buckets as (${bucketStarts(period)}),
      added as (
        select date_trunc(${bucket}, created_at at time zone ${timeZone}) as start, count(*) as count
        from contacts
        where ${live} and created_at >= ${from}::timestamptz and created_at < ${to}::timestamptz
        group by 1)
      select b.start at time zone ${timeZone} as start, coalesce(a.count, 0) as count,
        (select count(*) from contacts where ${live} and created_at >= ${to}::timestamptz) as created_since
      from buckets b left join added a on a.start = b.start
      order by b.start`,
  );
  return {
    buckets: rows.map((row) => ({ start: date(row.start), count: int(row.count) })),
    createdSince: int(rows[0]?.created_since),
  };
}

/**
 * Activities by when they occurred, counted per type: one entry per bucket with a count for each
 * of `types` (the workspace's activity types in its order, then any type it has removed since that
 * still has activities in the period).
 */
export async function queryActivitiesByType(
  tx: Transaction,
  workspaceId: string,
  period: Period,
  workspaceTypes: readonly string[],
  reader: Reader = null,
): Promise<{ types: string[]; buckets: { start: Date; counts: Record<string, number> }[] }> {
  const { from, to, bucket, timeZone } = period;
  const rows = await rowsOf(
    tx,
    sql`with buckets as (${bucketStarts(period)}),
      counted as (
        select date_trunc(${bucket}, occurred_at at time zone ${timeZone}) as start, type, count(*) as count
        from activities
        where workspace_id = ${workspaceId} and deleted_at is null${andVisible("activity", reader)}
          and occurred_at >= ${from}::timestamptz and occurred_at < ${to}::timestamptz
        group by 1, 2)
      select b.start at time zone ${timeZone} as start, c.type, coalesce(c.count, 0) as count
      from buckets b left join counted c on c.start = b.start
      order by b.start`,
  );
  const types = [...workspaceTypes];
  // Counts by type in a Map: a workspace's type may be named "constructor", which an object has already.
  const buckets = new Map<number, { start: Date; counts: Map<string, number> }>();
  for (const row of rows) {
    const start = date(row.start);
    const entry = buckets.get(start.getTime()) ?? { start, counts: new Map<string, number>() };
    buckets.set(start.getTime(), entry);
    const type = row.type as string | null;
    if (type === null) continue;
    if (!types.includes(type)) types.push(type);
    entry.counts.set(type, int(row.count));
  }
  // Every type in every bucket, in the types' order.
  const inOrder = (counts: Map<string, number>) =>
    Object.fromEntries(types.map((type) => [type, counts.get(type) ?? 0]));
  return { types, buckets: [...buckets.values()].map(({ start, counts }) => ({ start, counts: inOrder(counts) })) };
}

/**
 * Deals now in each stage of a live pipeline (the default one unless `pipelineId` is given):
 * count, and per currency (alphabetical) their value and weighted value. An archived stage shows
 * only while deals are still in it. Undefined when there is no such pipeline.
 */
export async function queryPipeline(
  tx: Transaction,
  workspaceId: string,
  pipelineId: string | undefined,
  reader: Reader = null,
): Promise<Dashboard["pipeline"] | undefined> {
  // Deals are summed per stage and currency first (from the workspace's tallies for a reader of
  // every deal, else reading the pipeline's index range in order:
  // deals_workspace_id_pipeline_id_stage_id_currency_idx); only then are the few sums joined to
  // the stages (joining first would sort every deal with the stage's columns).
  const rows = await rowsOf(
    tx,
    sql`with pipeline as (
        select id, name from pipelines
        where workspace_id = ${workspaceId} and deleted_at is null
          and ${pipelineId ? sql`id = ${pipelineId}` : sql`is_default`}),
      sums as (${
        reader === null
          ? sql`select stage_id, currency, sum(count) as count, ${talliedAmountColumns}
            from dashboard_tallies
            where workspace_id = ${workspaceId} and kind = 'deal' and pipeline_id = (select id from pipeline)
            group by stage_id, currency having sum(count) <> 0`
          : sql`select d.stage_id, d.currency, count(*) as count, ${amountColumns("d")}
            from deals d
            where d.workspace_id = ${workspaceId} and d.pipeline_id = (select id from pipeline) and d.deleted_at is null
              ${andVisible("deal", reader, "d")}
            group by d.stage_id, d.currency`
      })
      select p.id as pipeline_id, p.name as pipeline_name, s.id, s.name, s.position, s.probability,
        s.is_won, s.is_lost, s.archived_at is not null as is_archived,
        sums.currency, coalesce(sums.count, 0) as count, sums.value, sums.weighted_value
      from pipeline p
      join pipeline_stages s on s.workspace_id = ${workspaceId} and s.pipeline_id = p.id
      left join sums on sums.stage_id = s.id
      order by s.position, s.id, sums.currency`,
  );
  const [first] = rows;
  if (!first) return undefined;
  const stages = new Map<string, NonNullable<Dashboard["pipeline"]>["stages"][number]>();
  const archived = new Set(rows.filter((row) => row.is_archived === true).map((row) => String(row.id)));
  for (const row of rows) {
    const id = String(row.id);
    const stage = stages.get(id) ?? {
      id,
      name: String(row.name),
      position: int(row.position),
      probability: int(row.probability),
      isWon: row.is_won === true,
      isLost: row.is_lost === true,
      count: 0,
      amounts: [],
    };
    stages.set(id, stage);
    if (row.currency === null) continue;
    stage.count += int(row.count);
    stage.amounts.push({
      currency: String(row.currency),
      value: String(row.value),
      weightedValue: String(row.weighted_value),
    });
  }
  const shown = [...stages.values()].filter((stage) => !archived.has(stage.id) || stage.count > 0);
  return { id: String(first.pipeline_id), name: String(first.pipeline_name), stages: shown };
}

/**
 * Open tasks, and those of them due before now (overdue) or from now to the end of today in
 * `timeZone`: the workspace's (those `reader` may see), or with `assigneeId` the ones assigned to that user.
 */
export async function queryTaskCounts(
  tx: Transaction,
  workspaceId: string,
  now: string,
  timeZone: string,
  assigneeId?: string,
  reader: Reader = null,
): Promise<Dashboard["tasks"]["mine"]> {
  const endOfToday = sql`((date_trunc('day', ${now}::timestamptz at time zone ${timeZone}) + interval '1 day')
    at time zone ${timeZone})`;
  const [row] = await rowsOf(
    tx,
    sql`select count(*) as open,
        count(*) filter (where due_at >= ${now}::timestamptz and due_at < ${endOfToday}) as due_today,
        count(*) filter (where due_at < ${now}::timestamptz) as overdue
      from tasks where workspace_id = ${workspaceId} and deleted_at is null and status in ${openTaskStatuses}
        ${assigneeId ? sql`and assignee_id = ${assigneeId}` : sql``}${andVisible("task", reader)}`,
  );
  return { open: int(row?.open), dueToday: int(row?.due_today), overdue: int(row?.overdue) };
}

/**
 * The records most recently created or changed (those `reader` may see), newest first: each kind
 * walks its updated_at index.
 */
export async function queryRecent(
  tx: Transaction,
  workspaceId: string,
  limit: number,
  reader: Reader = null,
): Promise<Dashboard["recent"]> {
  const latest = (type: OwnedResource, table: string, title: SQL) =>
    sql`(select ${type}::text as type, id, ${title} as title, created_at, updated_at from ${sql.identifier(table)}
      where workspace_id = ${workspaceId} and deleted_at is null${andVisible(type, reader)}
      order by updated_at desc, id desc limit ${limit})`;
  const rows = await rowsOf(
    tx,
    sql`${sql.join(
      [
        latest("contact", "contacts", sql`trim(first_name || ' ' || last_name)`),
        latest("company", "companies", sql`name`),
        latest("lead", "leads", sql`title`),
        latest("deal", "deals", sql`name`),
        latest("task", "tasks", sql`title`),
      ],
      sql` union all `,
    )}
    order by updated_at desc, id desc limit ${limit}`,
  );
  return rows.map((row) => ({
    type: row.type as Dashboard["recent"][number]["type"],
    id: String(row.id),
    title: String(row.title),
    createdAt: date(row.created_at),
    updatedAt: date(row.updated_at),
  }));
}
