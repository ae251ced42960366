import { and, eq, inArray, isNull, sql, type SQL } from "drizzle-orm";
import type { Member } from "../../../shared/schemas/membership.ts";
import type { Transaction } from "../../db/client.ts";
import { countRows, listPage, type ListRequest, type ListSpec, type RowCount } from "../../db/listing.ts";
import { roles } from "../../../shared/permissions.ts";
import { memberships, users } from "./users.table.ts";

/** Members of the workspace, listed through their memberships. */
export const usersListSpec = {
  table: memberships,
  fields: {
    id: { column: memberships.userId, type: "uuid" },
    role: { column: memberships.role, type: "enum", values: roles },
    active: { column: sql`(${memberships.deactivatedAt} is null)`, type: "boolean" },
    joinedAt: { column: memberships.createdAt, type: "timestamp", sortable: true },
  },
  defaultSort: "joinedAt",
} satisfies ListSpec;

/** Removed members keep their row (records keep their owner) but are members no more. */
const notRemoved = isNull(memberships.removedAt);

/** Loads users (with their role here) by id; one query for any number of ids. Removed members are not. */
export async function findMembersByIds(tx: Transaction, workspaceId: string, ids: string[]): Promise<Member[]> {
  if (ids.length === 0) return [];
  const rows = await tx
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      role: memberships.role,
      joinedAt: memberships.createdAt,
      active: sql<boolean>`${memberships.deactivatedAt} is null`,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.workspaceId, workspaceId), inArray(memberships.userId, ids), notRemoved));
  return rows;
}

/**
 * `q` of the users list: members whose name or e-mail contains every word typed, in any case.
 * Read member by member (users by primary key): a workspace has thousands of members at most.
 */
function matchingNameOrEmail(term: string | undefined): SQL[] {
  const words = (term ?? "").trim().split(/\s+/).filter(Boolean).slice(0, 8);
  if (words.length === 0) return [];
  const contains = words.map((word) => {
    const pattern = `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    return sql`(${users.name} ilike ${pattern} or ${users.email} ilike ${pattern})`;
  });
  return [sql`exists (select 1 from ${users} where ${users.id} = ${memberships.userId} and ${and(...contains)})`];
}

export async function listMembers(tx: Transaction, workspaceId: string, request: ListRequest, q?: string) {
  const page = await listPage(tx, usersListSpec, workspaceId, request, [notRemoved, ...matchingNameOrEmail(q)]);
  const found = await findMembersByIds(
    tx,
    workspaceId,
    page.rows.map((row) => String(row.userId)),
  );
  const byId = new Map(found.map((user) => [user.id, user]));
  return { data: page.rows.flatMap((row) => byId.get(String(row.userId)) ?? []), nextCursor: page.nextCursor };
}

export function countMembers(
  tx: Transaction,
  workspaceId: string,
  request: ListRequest,
  q?: string,
): Promise<RowCount> {
  return countRows(tx, usersListSpec, workspaceId, request, [notRemoved, ...matchingNameOrEmail(q)]);
}

/**
 * Every member ever (removed ones too: their records keep them as owner), by name: the order of
 * `sort=ownerId` and `sort=assigneeId`.
 */
export async function membersByName(tx: Transaction, workspaceId: string): Promise<string[]> {
  const rows = await tx
    .select({ id: memberships.userId })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.workspaceId, workspaceId))
    .orderBy(sql`lower(${users.name})`, users.name, memberships.userId);
  return rows.map((row) => row.id);
}
