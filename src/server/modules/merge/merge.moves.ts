import { sql, type SQL } from "drizzle-orm";
import type { Transaction } from "../../db/client.ts";
import { AppError } from "../../lib/errors.ts";

/**
 * The related rows a merge moves from the merged records to the survivor, and back on undo.
 * Moves are set-based (one statement per table, whatever the number of rows) and bump each moved
 * row's version, so a client holding the row notices, and an undo can tell whether it changed since.
 */

/** A table pointing at the merged record type, and the column that points. */
export type Relation = { table: string; column: string };

/** One moved row: its id, the parent it had before and the version the move left. */
type MovedRow = { id: string; from: string; version: number };
/** A lead's link to a contact (lead_contacts has no id and no version). */
type LeadLink = { leadId: string; contactId: string; isPrimary: boolean };

/** What a merge changed, stored with it so that its undo restores exactly the state before. */
export type MergeUndoData = {
  survivor: { before: Record<string, unknown>; version: number };
  merged: { id: string; version: number }[];
  moved: (Relation & { rows: MovedRow[] })[];
  leadLinks: { before: LeadLink[]; after: LeadLink[] } | null;
};

const idList = (ids: readonly string[]): SQL =>
  sql.join(
    ids.map((id) => sql`${id}::uuid`),
    sql`, `,
  );

async function rowsOf<T>(tx: Transaction, query: SQL): Promise<T[]> {
  const result = (await tx.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

/** Points every row of `relation` at the survivor instead of a merged record (live and deleted rows). */
export async function moveRelated(
  tx: Transaction,
  workspaceId: string,
  relation: Relation,
  mergedIds: readonly string[],
  survivorId: string,
): Promise<MovedRow[]> {
  const table = sql.identifier(relation.table);
  const column = sql.identifier(relation.column);
  return rowsOf<MovedRow>(
    tx,
    sql`update ${table} as t set ${column} = ${survivorId}::uuid, version = t.version + 1, updated_at = now()
      from (select id, ${column} as parent from ${table}
            where workspace_id = ${workspaceId}::uuid and ${column} in (${idList(mergedIds)}) for update) as old
      where t.workspace_id = ${workspaceId}::uuid and t.id = old.id
      returning t.id, old.parent as "from", t.version`,
  );
}

/** Puts moved rows back on their previous parent; 409 unless each still is as the merge left it. */
export async function moveBack(
  tx: Transaction,
  workspaceId: string,
  moved: Relation & { rows: MovedRow[] },
  survivorId: string,
): Promise<void> {
  if (moved.rows.length === 0) return;
  const table = sql.identifier(moved.table);
  const column = sql.identifier(moved.column);
  const current = await rowsOf<{ id: string; parent: string | null; version: number }>(
    tx,
    sql`select id, ${column} as parent, version from ${table}
      where workspace_id = ${workspaceId}::uuid and id in (${idList(moved.rows.map((r) => r.id))}) for update`,
  );
  const byId = new Map(current.map((row) => [row.id, row]));
  const changed = moved.rows.filter((row) => {
    const now = byId.get(row.id);
    return !now || now.parent !== survivorId || now.version !== row.version;
  });
  if (changed.length > 0) throw changedSince(`${changed.length} moved ${moved.table} row(s)`);
  const values = sql.join(
    moved.rows.map((row) => sql`(${row.id}::uuid, ${row.from}::uuid)`),
    sql`, `,
  );
  await tx.execute(
    sql`update ${table} as t set ${column} = back.parent, version = t.version + 1, updated_at = now()
      from (values ${values}) as back(id, parent)
      where t.workspace_id = ${workspaceId}::uuid and t.id = back.id`,
  );
}

async function leadLinksOf(tx: Transaction, workspaceId: string, contactIds: readonly string[]): Promise<LeadLink[]> {
  return rowsOf<LeadLink>(
    tx,
    sql`select lead_id as "leadId", contact_id as "contactId", is_primary as "isPrimary" from lead_contacts
      where workspace_id = ${workspaceId}::uuid and contact_id in (${idList(contactIds)})
      order by lead_id, contact_id for update`,
  );
}

/**
 * Gives the survivor the merged contacts' leads: one link per lead, primary when any of the
 * merged links (or the survivor's own) was, so each lead keeps exactly one primary contact.
 */
export async function moveLeadLinks(
  tx: Transaction,
  workspaceId: string,
  mergedIds: readonly string[],
  survivorId: string,
): Promise<{ before: LeadLink[]; after: LeadLink[] }> {
  const involved = [survivorId, ...mergedIds];
  const before = await leadLinksOf(tx, workspaceId, involved);
  const primaryByLead = new Map<string, boolean>();
  for (const link of before)
    primaryByLead.set(link.leadId, (primaryByLead.get(link.leadId) ?? false) || link.isPrimary);
  if (before.some((link) => link.contactId !== survivorId)) {
    await tx.execute(
      sql`delete from lead_contacts where workspace_id = ${workspaceId}::uuid and contact_id in (${idList(mergedIds)})`,
    );
    const values = sql.join(
      [...primaryByLead].map(
        ([leadId, isPrimary]) => sql`(${workspaceId}::uuid, ${leadId}::uuid, ${survivorId}::uuid, ${isPrimary})`,
      ),
      sql`, `,
    );
    await tx.execute(
      sql`insert into lead_contacts (workspace_id, lead_id, contact_id, is_primary) values ${values}
        on conflict (workspace_id, lead_id, contact_id) do update set is_primary = excluded.is_primary`,
    );
  }
  return { before, after: await leadLinksOf(tx, workspaceId, involved) };
}

const linkKey = (link: LeadLink) => `${link.leadId}/${link.contactId}/${link.isPrimary}`;

/** Puts the lead links back as they were before the merge; 409 when they changed since. */
export async function restoreLeadLinks(
  tx: Transaction,
  workspaceId: string,
  involved: readonly string[],
  links: { before: LeadLink[]; after: LeadLink[] },
): Promise<void> {
  const now = (await leadLinksOf(tx, workspaceId, involved)).map(linkKey).sort();
  const expected = links.after.map(linkKey).sort();
  if (now.join() !== expected.join()) throw changedSince("the lead links");
  await tx.execute(
    sql`delete from lead_contacts where workspace_id = ${workspaceId}::uuid and contact_id in (${idList(involved)})`,
  );
  if (links.before.length === 0) return;
  const values = sql.join(
    links.before.map((l) => sql`(${workspaceId}::uuid, ${l.leadId}::uuid, ${l.contactId}::uuid, ${l.isPrimary})`),
    sql`, `,
  );
  await tx.execute(sql`insert into lead_contacts (workspace_id, lead_id, contact_id, is_primary) values ${values}`);
}

/** The refusal of an undo whose records changed after the merge: undoing would lose that change. */
export function changedSince(what: string): AppError {
  return new AppError("conflict", `The merge cannot be undone: ${what} changed since.`);
}
