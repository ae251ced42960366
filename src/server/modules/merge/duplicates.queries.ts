import { sql, type SQL } from "drizzle-orm";
import { nameSimilarityThreshold, type DuplicateReason } from "../../../shared/schemas/merge.ts";
import type { Transaction } from "../../db/client.ts";
import { andVisible, type Reader } from "../../lib/access.ts";

/**
 * The SQL of duplicate detection. Exact reasons group live records by a normalised value, walking
 * the value's index in order (keyset on the value); similar names compare each record with its
 * neighbours in its name block, a bounded window of records at a time (keyset on the id).
 */

export type DetectedResource = "contact" | "company";

/** The tables and the values of the exact reasons (each served by an index, see migrations/0020_merges.sql). */
const sources: Record<DetectedResource, { table: SQL; exact: Partial<Record<DuplicateReason, SQL>> }> = {
  contact: {
    table: sql.raw("contacts"),
    // Phones are stored in E.164, so equal digits are equal values (and the phone index serves).
    exact: { email: sql.raw("lower(email)"), phone: sql.raw("phone") },
  },
  company: {
    table: sql.raw("companies"),
    exact: { domain: sql.raw("lower(domain)"), phone: sql.raw("phone") },
  },
};

/** The column each exact value is of: "column is not null" is the partial indexes' predicate. */
const columnOf: Partial<Record<DuplicateReason, SQL>> = {
  email: sql.raw("email"),
  phone: sql.raw("phone"),
  domain: sql.raw("domain"),
};

/** The reasons walked for a resource, in page order: the most certain first. */
export function reasonsOf(resource: DetectedResource): DuplicateReason[] {
  return [...(Object.keys(sources[resource].exact) as DuplicateReason[]), "name"];
}

async function rowsOf<T>(tx: Transaction, query: SQL): Promise<T[]> {
  return ((await tx.execute(query)) as unknown as { rows: T[] }).rows;
}

/**
 * Groups of live records sharing a value, in value order after `after`: at most `limit`. Only
 * records `reader` may see take part (so does every query here).
 */
export function exactGroups(
  tx: Transaction,
  resource: DetectedResource,
  reason: DuplicateReason,
  after: string | null,
  limit: number,
  reader: Reader = null,
): Promise<{ key: string; ids: string[] }[]> {
  const { table, exact } = sources[resource];
  const value = exact[reason];
  if (!value) return Promise.resolve([]);
  return rowsOf(
    tx,
    sql`select k as key, array_agg(id order by created_at, id) as ids
      from (select ${value} as k, id, created_at from ${table}
            where deleted_at is null and ${columnOf[reason]} is not null ${after === null ? sql`` : sql`and ${value} > ${after}`}
              ${andVisible(resource, reader)}) s
      group by k having count(*) > 1 order by k limit ${limit}`,
  );
}

/** The ids of the next window of live records after `after`, in id order. */
export async function nameWindow(
  tx: Transaction,
  resource: DetectedResource,
  after: string | null,
  size: number,
  reader: Reader = null,
): Promise<string[]> {
  const { table } = sources[resource];
  const rows = await rowsOf<{ id: string }>(
    tx,
    sql`select id from ${table} where deleted_at is null ${after === null ? sql`` : sql`and id > ${after}::uuid`}
      ${andVisible(resource, reader)}
      order by id limit ${size}`,
  );
  return rows.map((row) => row.id);
}

/** Most similar names a record is grouped with. */
export const maxNeighbours = 20;
/** Block neighbours a record is compared with on each side (by id): what bounds the work per record. */
export const comparedPerSide = 25;

/**
 * Groups of similar names anchored at records of `window`: a record anchors a group when it has
 * similar names and none of them has a smaller id, so a cluster is reported once, by its first
 * record. Each record is compared with its nearest `comparedPerSide` records on each side (by id)
 * of its block, through the block index: a bounded cost per record on any workspace.
 */
export function similarNameGroups(
  tx: Transaction,
  resource: DetectedResource,
  window: string[],
  reader: Reader = null,
): Promise<{ anchor: string; ids: string[] }[]> {
  if (window.length === 0) return Promise.resolve([]);
  const { table } = sources[resource];
  const ids = sql.join(
    window.map((id) => sql`${id}::uuid`),
    sql`, `,
  );
  const candidates = (side: SQL, order: SQL) =>
    sql`(select b.id, ${nameOf(resource, "b")} as name from ${table} b
      where b.workspace_id = a.workspace_id and b.deleted_at is null
        and ${blockOf(resource, "b")} = ${blockOf(resource, "a")} and ${side}${andVisible(resource, reader, "b")}
      order by ${order} limit ${comparedPerSide})`;
  return rowsOf(
    tx,
    sql`select a.id as anchor, array_prepend(a.id, n.ids) as ids
      from ${table} a
      cross join lateral (
        select (array_agg(c.id order by c.id))[1:${maxNeighbours}] as ids from (
          ${candidates(sql`b.id < a.id`, sql`b.id desc`)} union all ${candidates(sql`b.id > a.id`, sql`b.id`)}
        ) c
        where similarity(c.name, ${nameOf(resource, "a")}) >= ${nameSimilarityThreshold}
      ) n
      where a.deleted_at is null and a.id in (${ids}) and n.ids is not null and n.ids[1] > a.id
      order by a.id`,
  );
}

/** The compared name over a table alias (a draft's is built the same way, see duplicates.service.ts). */
export function nameOf(resource: DetectedResource, alias: "a" | "b" | null): SQL {
  const column = (name: string) => (alias ? `${alias}.${name}` : name);
  return resource === "contact"
    ? sql.raw(`lower(${column("first_name")} || ' ' || ${column("last_name")})`)
    : sql.raw(`lower(${column("name")})`);
}

/** The block a record's name is compared in, exactly as indexed (migrations/0020_merges.sql). */
export function blockOf(resource: DetectedResource, alias: "a" | "b" | null): SQL {
  const column = (name: string) => (alias ? `${alias}.${name}` : name);
  return resource === "contact"
    ? sql.raw(
        `lower(left(CASE WHEN ${column("last_name")} = '' THEN ${column("first_name")} ELSE ${column("last_name")} END, 3))`,
      )
    : sql.raw(`lower(left(${column("name")}, 3))`);
}
