import { and, desc, eq, gt, isNotNull, isNull, lt, lte, sql, type SQL } from "drizzle-orm";
import type { Role } from "../../../shared/permissions.ts";
import type { Invitation, InvitationStatus } from "../../../shared/schemas/invitation.ts";
import type { Database, Transaction } from "../../db/client.ts";
import { newestFirstPage } from "../../lib/cursor.ts";
import { memberships, users } from "../users/users.table.ts";
import { workspaces } from "../workspaces/workspaces.table.ts";
import { invitations } from "./invitations.table.ts";

type InvitationRow = typeof invitations.$inferSelect;

/** The conditions of each status; exactly one holds for every invitation (accepted wins over revoked…). */
const statusConditions: Record<InvitationStatus, () => SQL | undefined> = {
  accepted: () => isNotNull(invitations.acceptedAt),
  revoked: () => and(isNull(invitations.acceptedAt), isNotNull(invitations.revokedAt)),
  expired: () =>
    and(isNull(invitations.acceptedAt), isNull(invitations.revokedAt), lte(invitations.expiresAt, sql`now()`)),
  pending: () =>
    and(isNull(invitations.acceptedAt), isNull(invitations.revokedAt), gt(invitations.expiresAt, sql`now()`)),
};

export function statusOf(row: Pick<InvitationRow, "acceptedAt" | "revokedAt" | "expiresAt">): InvitationStatus {
  if (row.acceptedAt) return "accepted";
  if (row.revokedAt) return "revoked";
  return row.expiresAt.getTime() <= Date.now() ? "expired" : "pending";
}

function toInvitation(row: InvitationRow, inviterName: string): Invitation {
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    status: statusOf(row),
    invitedBy: { id: row.invitedBy, name: inviterName },
    expiresAt: row.expiresAt,
    acceptedAt: row.acceptedAt,
    revokedAt: row.revokedAt,
    createdAt: row.createdAt,
  };
}

/** One page of the workspace's invitations, newest first: the keyset is the id, the primary key serves it. */
export async function listInvitationRows(
  tx: Transaction,
  workspaceId: string,
  page: { limit: number; afterId: string | null; status: InvitationStatus | undefined },
): Promise<{ data: Invitation[]; nextCursor: string | null }> {
  const rows = await tx
    .select({ invitation: invitations, inviterName: users.name })
    .from(invitations)
    .innerJoin(users, eq(users.id, invitations.invitedBy))
    .where(
      and(
        eq(invitations.workspaceId, workspaceId),
        page.status ? statusConditions[page.status]() : undefined,
        page.afterId ? lt(invitations.id, page.afterId) : undefined,
      ),
    )
    .orderBy(desc(invitations.id))
    .limit(page.limit + 1);
  return newestFirstPage(
    rows.map((row) => toInvitation(row.invitation, row.inviterName)),
    page.limit,
  );
}

/**
 * Serialises invitations to one address of one workspace until the transaction ends, so two
 * invitations sent at once cannot both stay pending.
 */
export async function lockAddress(tx: Transaction, workspaceId: string, email: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`invitation:${workspaceId}:${email}`}, 0))`);
}

/** Whether the address belongs to a member of the workspace, active or deactivated (removed ones are not). */
export async function isMemberAddress(tx: Transaction, workspaceId: string, email: string): Promise<boolean> {
  const rows = await tx
    .select({ id: memberships.id })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(
      and(
        eq(memberships.workspaceId, workspaceId),
        isNull(memberships.removedAt),
        eq(sql`lower(${users.email})`, email.toLowerCase()),
      ),
    );
  return rows.length > 0;
}

/** Revokes the address's open invitations (a newer one replaces them): their links stop working. */
export async function revokeOpenInvitationsTo(tx: Transaction, workspaceId: string, email: string): Promise<void> {
  await tx
    .update(invitations)
    .set({ revokedAt: sql`now()` })
    .where(
      and(
        eq(invitations.workspaceId, workspaceId),
        eq(invitations.email, email),
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
      ),
    );
}

export async function insertInvitation(
  tx: Transaction,
  values: typeof invitations.$inferInsert,
): Promise<{ invitation: Invitation; inviterName: string; workspaceName: string }> {
  const [row] = await tx.insert(invitations).values(values).returning();
  if (!row) throw new Error("invitation insert returned nothing");
  const [context] = await tx
    .select({ inviterName: users.name, workspaceName: workspaces.name })
    .from(users)
    .innerJoin(workspaces, eq(workspaces.id, row.workspaceId))
    .where(eq(users.id, row.invitedBy));
  if (!context) throw new Error("invitation's inviter or workspace not found");
  return { invitation: toInvitation(row, context.inviterName), ...context };
}

/** An invitation of the workspace, locked until the transaction ends; null when there is none. */
export async function lockInvitation(tx: Transaction, workspaceId: string, id: string) {
  const [row] = await tx
    .select()
    .from(invitations)
    .where(and(eq(invitations.workspaceId, workspaceId), eq(invitations.id, id)))
    .for("update");
  return row ?? null;
}

export async function markRevoked(tx: Transaction, workspaceId: string, id: string): Promise<void> {
  await tx
    .update(invitations)
    .set({ revokedAt: sql`coalesce(${invitations.revokedAt}, now())` })
    .where(and(eq(invitations.workspaceId, workspaceId), eq(invitations.id, id)));
}

const isOpen = () =>
  and(isNull(invitations.acceptedAt), isNull(invitations.revokedAt), gt(invitations.expiresAt, sql`now()`));

/** What the link of an open invitation leads to. */
export type OpenInvitation = { workspaceId: string; id: string; email: string; role: Role; workspaceName: string };

/**
 * The pending invitation with this token hash, whatever its workspace, or null (unknown, accepted,
 * revoked or expired alike). Runs as the connecting role: no workspace is known before the token.
 */
export async function findOpenInvitation(db: Database, tokenHash: string): Promise<OpenInvitation | null> {
  const [row] = await db
    .select({
      workspaceId: invitations.workspaceId,
      id: invitations.id,
      email: invitations.email,
      role: invitations.role,
      workspaceName: workspaces.name,
    })
    .from(invitations)
    .innerJoin(workspaces, eq(workspaces.id, invitations.workspaceId))
    .where(and(eq(invitations.tokenHash, tokenHash), isOpen()));
  return row ?? null;
}

/**
 * Locks an open invitation until the transaction ends; false when it is no longer open. Of two
 * requests accepting it at once, the second waits for the first, then finds it accepted.
 */
export async function lockOpenInvitation(tx: Transaction, invitation: OpenInvitation): Promise<boolean> {
  const rows = await tx
    .select({ id: invitations.id })
    .from(invitations)
    .where(and(eq(invitations.workspaceId, invitation.workspaceId), eq(invitations.id, invitation.id), isOpen()))
    .for("update");
  return rows.length > 0;
}

/** Marks a (locked) invitation accepted by a user. */
export async function markAccepted(tx: Transaction, invitation: OpenInvitation, userId: string): Promise<void> {
  await tx
    .update(invitations)
    .set({ acceptedAt: sql`now()`, acceptedBy: userId })
    .where(and(eq(invitations.workspaceId, invitation.workspaceId), eq(invitations.id, invitation.id)));
}

/** The account of an address, if any (as the connecting role: accounts are global). */
export async function findAccount(db: Database, email: string) {
  const [row] = await db
    .select({ id: users.id, email: users.email, name: users.name, disabledAt: users.disabledAt })
    .from(users)
    .where(eq(sql`lower(${users.email})`, email.toLowerCase()));
  return row ?? null;
}
