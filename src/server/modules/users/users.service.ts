import { and, eq, isNull, sql } from "drizzle-orm";
import type { Role } from "../../../shared/permissions.ts";
import type { Member, UpdateUser } from "../../../shared/schemas/membership.ts";
import type { Transaction } from "../../db/client.ts";
import { withWorkspaceTransaction } from "../../db/transaction.ts";
import { assertAllowed } from "../../lib/access.ts";
import type { RequestContext } from "../../lib/context.ts";
import { AppError, notFound } from "../../lib/errors.ts";
import { apiKeys } from "../api-keys/index.ts";
import { forgetUserSessions } from "../auth/index.ts";
import { fieldChanges, recordFact } from "../audit/index.ts";
import type { DomainEvent } from "../outbox/index.ts";
import { findMembersByIds } from "./users.repository.ts";
import { memberships } from "./users.table.ts";

/**
 * The workspace's active admins, locked until the transaction ends. Two requests that would each
 * leave one admin (demoting, deactivating or removing the last two) queue here, and the second
 * sees the first's change: at most one of them succeeds.
 */
async function lockActiveAdmins(tx: Transaction, workspaceId: string): Promise<string[]> {
  const rows = await tx
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(
      and(
        eq(memberships.workspaceId, workspaceId),
        eq(memberships.role, "admin"),
        isNull(memberships.deactivatedAt),
        isNull(memberships.removedAt),
      ),
    )
    .for("update");
  return rows.map((row) => row.userId);
}

/** The membership of a user in the workspace, locked; 404 when they are no member (or were removed). */
async function lockMembership(tx: Transaction, workspaceId: string, userId: string) {
  const [row] = await tx
    .select({ role: memberships.role, deactivatedAt: memberships.deactivatedAt })
    .from(memberships)
    .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.userId, userId), isNull(memberships.removedAt)))
    .for("update");
  if (!row) throw notFound("user");
  return row;
}

/** 422 when the change leaves the workspace without an active admin. */
function assertNotLastAdmin(admins: string[], userId: string, change: string): void {
  if (admins.length === 1 && admins[0] === userId) {
    throw new AppError(
      "rule-violation",
      `The workspace's last admin cannot be ${change}: make someone else admin first.`,
    );
  }
}

/** An admin who stops being one here, in any way, takes their API keys with them (they act as them). */
async function revokeApiKeysOf(tx: Transaction, workspaceId: string, userId: string): Promise<void> {
  await tx
    .update(apiKeys)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(apiKeys.workspaceId, workspaceId), eq(apiKeys.createdBy, userId), isNull(apiKeys.revokedAt)));
}

/**
 * Changes a member's role or deactivates (reactivates) their membership. Admins only; the last
 * active admin can be neither demoted nor deactivated. Takes effect on the member's next request:
 * sessions re-read memberships on every request.
 */
export async function updateMember(ctx: RequestContext, userId: string, input: UpdateUser): Promise<Member> {
  assertAllowed(ctx, "update", "user");
  const member = await withWorkspaceTransaction(ctx.db, ctx.workspaceId, async (tx) => {
    const admins = await lockActiveAdmins(tx, ctx.workspaceId);
    const current = await lockMembership(tx, ctx.workspaceId, userId);
    if (input.role !== undefined && input.role !== "admin") assertNotLastAdmin(admins, userId, "demoted");
    if (input.active === false) assertNotLastAdmin(admins, userId, "deactivated");
    const deactivatedAt =
      input.active === undefined ? current.deactivatedAt : input.active ? null : (current.deactivatedAt ?? sql`now()`);
    await tx
      .update(memberships)
      .set({ role: input.role ?? current.role, deactivatedAt, updatedAt: sql`now()` })
      .where(and(eq(memberships.workspaceId, ctx.workspaceId), eq(memberships.userId, userId)));
    // Demotion revokes keys by trigger (migration 0008); deactivation does it here.
    if (input.active === false && admins.includes(userId)) await revokeApiKeysOf(tx, ctx.workspaceId, userId);
    const [updated] = await findMembersByIds(tx, ctx.workspaceId, [userId]);
    if (!updated) throw notFound("user");
    const wasActive = current.deactivatedAt === null;
    const result = { ...updated, active: input.active ?? wasActive };
    await recordMemberChange(tx, ctx, { userId, role: current.role, active: wasActive }, result);
    return result;
  });
  forgetUserSessions(userId);
  return member;
}

/**
 * Removes a member from the workspace. The membership row stays, marked removed: records keep
 * their owner, whose foreign key points at it. The last active admin cannot be removed.
 */
export async function removeMember(ctx: RequestContext, userId: string): Promise<void> {
  assertAllowed(ctx, "delete", "user");
  await withWorkspaceTransaction(ctx.db, ctx.workspaceId, async (tx) => {
    const admins = await lockActiveAdmins(tx, ctx.workspaceId);
    const current = await lockMembership(tx, ctx.workspaceId, userId);
    assertNotLastAdmin(admins, userId, "removed");
    await tx
      .update(memberships)
      .set({ removedAt: sql`now()`, updatedAt: sql`now()` })
      .where(and(eq(memberships.workspaceId, ctx.workspaceId), eq(memberships.userId, userId)));
    if (admins.includes(userId)) await revokeApiKeysOf(tx, ctx.workspaceId, userId);
    const payload = { userId, role: current.role, active: current.deactivatedAt === null, previousRole: null };
    await recordFact(tx, ctx, { action: "member.removed", resourceType: "user", resourceId: userId }, [
      { type: "member.removed", resourceId: userId, payload },
    ]);
  });
  forgetUserSessions(userId);
}

/** The audit entry and `member.*` events of a role change or (de)activation; nothing when nothing changed. */
async function recordMemberChange(
  tx: Transaction,
  ctx: RequestContext,
  before: { userId: string; role: Role; active: boolean },
  after: { role: Role; active: boolean },
): Promise<void> {
  const { userId } = before;
  const payload = { userId, role: after.role, active: after.active, previousRole: before.role };
  const events: DomainEvent[] = [];
  if (before.role !== after.role) events.push({ type: "member.role_changed", resourceId: userId, payload });
  if (before.active !== after.active) {
    const type = after.active ? "member.reactivated" : "member.deactivated";
    events.push({ type, resourceId: userId, payload });
  }
  const changes = fieldChanges(
    { role: before.role, active: before.active },
    { role: after.role, active: after.active },
  );
  for (const event of events) {
    await recordFact(tx, ctx, { action: event.type, resourceType: "user", resourceId: userId, changes }, [event]);
  }
}
