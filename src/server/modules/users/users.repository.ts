import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Member } from "../../../shared/schemas/membership.ts";
import type { Transaction } from "../../db/client.ts";
import { countRows, listPage, type ListRequest, type ListSpec } from "../../db/listing.ts";
import { roles } from "../../../shared/permissions.ts";
import { memberships, users } from "./users.table.ts";

/** Members of the workspace, listed through their memberships. */
export const usersListSpec = {
  table: memberships,
  fields: {
    id: { column: memberships.userId, type: "uuid" },
    role: { column: memberships.role, type: "enum", values: roles },
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

export async function listMembers(tx: Transaction, workspaceId: string, request: ListRequest) {
  const page = await listPage(tx, usersListSpec, workspaceId, request, [notRemoved]);
  const found = await findMembersByIds(
    tx,
    workspaceId,
    page.rows.map((row) => String(row.userId)),
  );
  const byId = new Map(found.map((user) => [user.id, user]));
  return { data: page.rows.flatMap((row) => byId.get(String(row.userId)) ?? []), nextCursor: page.nextCursor };
}

export function countMembers(tx: Transaction, workspaceId: string, request: ListRequest) {
  return countRows(tx, usersListSpec, workspaceId, request, [notRemoved]);
}
