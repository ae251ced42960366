import { sql, type SQL } from "drizzle-orm";
import type { Dashboard, DashboardBucket } from "../../../shared/schemas/dashboard.ts";
import { leadStatuses } from "../../../shared/schemas/lead.ts";
import type { Transaction } from "../../db/client.ts";

/**
 * The dashboard's queries: one aggregate query per widget, each led by workspace_id and served
 * by the indexes the lists already have (deleted rows are left out, as the partial indexes do).
 * They run in one read-only snapshot, so the widgets agree with each other.
 */

/** The time series' period: instants as ISO strings, buckets in `timeZone`. */
export type Period = { from: string; to: string; bucket: DashboardBucket; timeZone: string };

type Row = Record<string, unknown>;

async function rowsOf(tx: Transaction, query: SQL): Promise<Row[]> {
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
 * Counts of live contacts, companies, open leads, open tasks, and open deals with their amounts
 * per currency (alphabetical); and the workspace's base currency.
 */
export async function queryTotals(
  tx: Transaction,
  workspaceId: string,
): Promise<{ totals: Dashboard["totals"]; baseCurrency: string }> {
  const live = (table: string) =>
    sql`from ${sql.identifier(table)} where workspace_id = ${workspaceId} and deleted_at is null`;
  const [row] = await rowsOf(
    tx,
    sql`select
      (select base_currency from workspaces where id = ${workspaceId}) as base_currency,
      (select count(*) ${live("contacts")}) as contacts,
      (select count(*) ${live("companies")}) as companies,
      (select count(*) ${live("leads")} and status in (${sql.join(
        openLeadStatuses.map((s) => sql`${s}`),
        sql`, `,
      )})) as open_leads,
      (select count(*) ${live("tasks")} and status in ${openTaskStatuses}) as open_tasks,
      (select coalesce(json_agg(per_currency order by currency), '[]'::json) from (
        select d.currency, count(*) as count, ${amountColumns("d")}
        from deals d where d.workspace_id = ${workspaceId} and d.deleted_at is null and d.status = 'open'
        group by d.currency) per_currency) as open_deals`,
  );
  const deals = (row?.open_deals ?? []) as { currency: string; count: number; value: string; weighted_value: string }[];
  const totals = {
    contacts: int(row?.contacts),
    companies: int(row?.companies),
    openLeads: int(row?.open_leads),
    openTasks: int(row?.open_tasks),
    openDeals: {
      count: deals.reduce((sum, d) => sum + int(d.count), 0),
      amounts: deals.map((d) => ({ currency: d.currency, value: d.value, weightedValue: d.weighted_value })),
    },
  };
  return { totals, baseCurrency: String(row?.base_currency) };
}

/** Live leads per status, every status listed (in lifecycle order), zeros included. */
export async function queryLeadsByStatus(tx: Transaction, workspaceId: string): Promise<Dashboard["leadsByStatus"]> {
  const rows = await rowsOf(
    tx,
    sql`select status, count(*) as count from leads
      where workspace_id = ${workspaceId} and deleted_at is null group by status`,
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
): Promise<{ buckets: { start: Date; count: number }[]; createdSince: number }> {
  const { from, to, bucket, timeZone } = period;
  const live = sql`workspace_id = ${workspaceId} and deleted_at is null`;
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
): Promise<{ types: string[]; buckets: { start: Date; counts: Record<string, number> }[] }> {
  const { from, to, bucket, timeZone } = period;
  const rows = await rowsOf(
    tx,
    sql`with buckets as (${bucketStarts(period)}),
      counted as (
        select date_trunc(${bucket}, occurred_at at time zone ${timeZone}) as start, type, count(*) as count
        from activities
        where workspace_id = ${workspaceId} and deleted_at is null
          and occurred_at >= ${from}::timestamptz and occurred_at < ${to}::timestamptz
        group by 1, 2)
      select b.start at time zone ${timeZone} as start, c.type, coalesce(c.count, 0) as count
      from buckets b left join counted c on c.start = b.start
      order by b.start`,
  );
  const types = [...workspaceTypes];
  const buckets = new Map<number, { start: Date; counts: Record<string, number> }>();
  for (const row of rows) {
    const start = date(row.start);
    const entry = buckets.get(start.getTime()) ?? { start, counts: {} };
    buckets.set(start.getTime(), entry);
    const type = row.type as string | null;
    if (type === null) continue;
    if (!types.includes(type)) types.push(type);
    entry.counts[type] = int(row.count);
  }
  // Every type in every bucket, in the types' order.
  const inOrder = (counts: Record<string, number>) =>
    Object.fromEntries(types.map((type) => [type, counts[type] ?? 0]));
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
): Promise<Dashboard["pipeline"] | undefined> {
  const rows = await rowsOf(
    tx,
    sql`select p.id as pipeline_id, p.name as pipeline_name, s.id, s.name, s.position, s.probability,
        s.is_won, s.is_lost, s.archived_at is not null as is_archived, d.currency, count(d.id) as count, ${amountColumns("d")}
      from pipelines p
      join pipeline_stages s on s.workspace_id = p.workspace_id and s.pipeline_id = p.id
      left join deals d on d.workspace_id = s.workspace_id and d.pipeline_id = s.pipeline_id
        and d.stage_id = s.id and d.deleted_at is null
      where p.workspace_id = ${workspaceId} and p.deleted_at is null
        and ${pipelineId ? sql`p.id = ${pipelineId}` : sql`p.is_default`}
      group by p.id, p.name, s.id, s.name, s.position, s.probability, s.is_won, s.is_lost, s.archived_at, d.currency
      order by s.position, s.id, d.currency`,
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

/** Open tasks due before now (overdue) or from now to the end of today, in the workspace and the user's. */
export async function queryTasks(
  tx: Transaction,
  workspaceId: string,
  userId: string,
  now: string,
  timeZone: string,
): Promise<Dashboard["tasks"]> {
  const endOfToday = sql`((date_trunc('day', ${now}::timestamptz at time zone ${timeZone}) + interval '1 day')
    at time zone ${timeZone})`;
  const counts = (extra: SQL) => sql`select count(*) as open,
      count(*) filter (where due_at >= ${now}::timestamptz and due_at < ${endOfToday}) as due_today,
      count(*) filter (where due_at < ${now}::timestamptz) as overdue
    from tasks where workspace_id = ${workspaceId} and deleted_at is null and status in ${openTaskStatuses} ${extra}`;
  const [row] = await rowsOf(
    tx,
    sql`select a.open, a.due_today, a.overdue, m.open as mine_open, m.due_today as mine_due_today,
        m.overdue as mine_overdue
      from (${counts(sql``)}) a, (${counts(sql`and assignee_id = ${userId}`)}) m`,
  );
  return {
    open: int(row?.open),
    dueToday: int(row?.due_today),
    overdue: int(row?.overdue),
    mine: { open: int(row?.mine_open), dueToday: int(row?.mine_due_today), overdue: int(row?.mine_overdue) },
  };
}

/** The records most recently created or changed, newest first: each kind walks its updated_at index. */
export async function queryRecent(tx: Transaction, workspaceId: string, limit: number): Promise<Dashboard["recent"]> {
  const latest = (type: string, table: string, title: SQL) =>
    sql`(select ${type}::text as type, id, ${title} as title, created_at, updated_at from ${sql.identifier(table)}
      where workspace_id = ${workspaceId} and deleted_at is null
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
