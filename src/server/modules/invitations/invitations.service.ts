import { randomBytes } from "node:crypto";
import type { Role } from "../../../shared/permissions.ts";
import {
  invitableRoles,
  invitationLifetimeDays,
  type CreateInvitation,
  type Invitation,
  type ListInvitationsQuery,
} from "../../../shared/schemas/invitation.ts";
import { withWorkspaceTransaction } from "../../db/transaction.ts";
import { assertAllowed } from "../../lib/access.ts";
import type { RequestContext } from "../../lib/context.ts";
import { newestFirstAfter } from "../../lib/cursor.ts";
import { AppError, notFound } from "../../lib/errors.ts";
import { newId } from "../../lib/ids.ts";
import { hashToken } from "../auth/index.ts";
import { sendMail, type MailDeps } from "../mail/index.ts";
import { recordFact } from "../audit/index.ts";
import {
  insertInvitation,
  isMemberAddress,
  listInvitationRows,
  lockAddress,
  lockInvitation,
  markRevoked,
  revokeOpenInvitationsTo,
} from "./invitations.repository.ts";

/**
 * Invitations, as the workspace's admins and managers handle them: send (the link is e-mailed),
 * list, revoke. People only: an API key never reaches these (api-key-scopes.ts refuses it, and
 * so does `assertPerson`). Accepting is in invitations.accept.ts.
 */

/** What sending an invitation needs besides the request: mail, and a way to send it after the answer. */
export type InvitationDeps = MailDeps & { defer: (task: () => Promise<unknown>) => void };

const lifetimeMs = invitationLifetimeDays * 24 * 3_600_000;

function assertPerson(ctx: RequestContext): void {
  if (ctx.actor.kind !== "user") throw new AppError("forbidden", "API keys cannot manage invitations.");
}

/** 403 naming `role` unless the actor's role may invite (or revoke an invitation of) that role. */
function assertMayInvite(ctx: RequestContext, role: Role): void {
  if (!invitableRoles(ctx.actor.role).includes(role)) {
    const message = `Your role (${ctx.actor.role}) cannot invite ${role}s.`;
    throw new AppError("forbidden", message, [{ path: "role", message }]);
  }
}

/**
 * Invites an address with a role and e-mails it a link valid 7 days. A pending invitation to the
 * same address is replaced (its link stops working); an address that is already a member (active
 * or deactivated) answers 409.
 */
export async function createInvitation(
  ctx: RequestContext,
  deps: InvitationDeps,
  input: CreateInvitation,
  linkBase: string,
): Promise<Invitation> {
  assertPerson(ctx);
  assertAllowed(ctx, "create", "invitation");
  assertMayInvite(ctx, input.role);
  const email = input.email.toLowerCase();
  const token = randomBytes(32).toString("base64url");
  const created = await withWorkspaceTransaction(ctx.db, ctx.workspaceId, async (tx) => {
    await lockAddress(tx, ctx.workspaceId, email);
    if (await isMemberAddress(tx, ctx.workspaceId, email)) {
      throw new AppError("duplicate", "This address already belongs to a member of the workspace.", [
        { path: "email", message: "Already a member of this workspace" },
      ]);
    }
    await revokeOpenInvitationsTo(tx, ctx.workspaceId, email);
    const result = await insertInvitation(tx, {
      workspaceId: ctx.workspaceId,
      id: newId(),
      email,
      role: input.role,
      tokenHash: hashToken(token),
      invitedBy: ctx.actor.userId,
      expiresAt: new Date(Date.now() + lifetimeMs),
    });
    const invitationId = result.invitation.id;
    await recordFact(
      tx,
      ctx,
      {
        action: "invitation.created",
        resourceType: "invitation",
        resourceId: invitationId,
        details: { email, role: input.role },
      },
      [{ type: "invitation.created", resourceId: invitationId, payload: { invitationId, email, role: input.role } }],
    );
    return result;
  });
  const link = `${linkBase}/accept-invitation?token=${token}`;
  deps.defer(() =>
    sendMail(deps, {
      to: email,
      subject: `${created.inviterName} invited you to ${created.workspaceName} on Keel`,
      text:
        `Hello,\n\n${created.inviterName} invited you to join the workspace “${created.workspaceName}” on Keel ` +
        `as ${input.role === "admin" ? "an" : "a"} ${input.role}.\n\n` +
        `To accept, open this link within ${invitationLifetimeDays} days:\n\n${link}\n\n` +
        "If you did not expect this invitation, ignore this message: nothing happens unless you open the link.\n",
    }),
  );
  return created.invitation;
}

/** The workspace's invitations, newest first, by cursor; optionally of one status. */
export async function listInvitations(ctx: RequestContext, query: ListInvitationsQuery) {
  assertPerson(ctx);
  assertAllowed(ctx, "read", "invitation");
  const afterId = newestFirstAfter(query.cursor);
  return withWorkspaceTransaction(ctx.db, ctx.workspaceId, (tx) =>
    listInvitationRows(tx, ctx.workspaceId, { limit: query.limit, afterId, status: query.status }),
  );
}

/**
 * Revokes an invitation: its link stops working at once. Revoking twice (or an expired one) is
 * harmless; an accepted invitation answers 409 (remove the member instead). Managers revoke only
 * the invitations they could have sent.
 */
export async function revokeInvitation(ctx: RequestContext, id: string): Promise<void> {
  assertPerson(ctx);
  assertAllowed(ctx, "delete", "invitation");
  await withWorkspaceTransaction(ctx.db, ctx.workspaceId, async (tx) => {
    const invitation = await lockInvitation(tx, ctx.workspaceId, id);
    if (!invitation) throw notFound("invitation");
    assertMayInvite(ctx, invitation.role);
    if (invitation.acceptedAt) {
      throw new AppError("conflict", "This invitation was already accepted: remove the member instead.");
    }
    if (invitation.revokedAt) return;
    await markRevoked(tx, ctx.workspaceId, id);
    const payload = { invitationId: id, email: invitation.email, role: invitation.role };
    await recordFact(
      tx,
      ctx,
      {
        action: "invitation.revoked",
        resourceType: "invitation",
        resourceId: id,
        details: { email: invitation.email },
      },
      [{ type: "invitation.revoked", resourceId: id, payload }],
    );
  });
}
