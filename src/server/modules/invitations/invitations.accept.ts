import { sql } from "drizzle-orm";
import type { AcceptInvitation, InvitationPreview } from "../../../shared/schemas/invitation.ts";
import type { Database, Transaction } from "../../db/client.ts";
import { findDatabaseError } from "../../db/constraints.ts";
import type { RequestContext } from "../../lib/context.ts";
import { AppError, invalidField } from "../../lib/errors.ts";
import { newId } from "../../lib/ids.ts";
import { assertAcceptablePassword, forgetUserSessions, hashPassword, hashToken } from "../auth/index.ts";
import { recordFact } from "../audit/index.ts";
import { memberships, users } from "../users/users.table.ts";
import {
  findAccount,
  findOpenInvitation,
  lockOpenInvitation,
  markAccepted,
  type OpenInvitation,
} from "./invitations.repository.ts";

/**
 * Following an invitation link, before anyone is signed in: the token alone finds the invitation
 * (its SHA-256, as the connecting role, like API keys). Forged, used, revoked and expired tokens
 * all answer the same 400 naming `token`. Holding the token proves the mailbox: an existing
 * account joins without its password, a new one is created with its address verified.
 */

const invalidLink = "This invitation link is invalid or has expired; ask for a new invitation.";
const tokenPattern = /^[A-Za-z0-9_-]{43}$/;

/** The account a disabled user cannot use to join: 403, since the link itself is fine. */
const disabledAccount = "This account is disabled; ask an admin of the workspace for help.";

async function openInvitationOf(db: Database, token: string): Promise<OpenInvitation> {
  const invitation = tokenPattern.test(token) ? await findOpenInvitation(db, hashToken(token)) : null;
  if (!invitation) throw invalidField("token", invalidLink);
  return invitation;
}

/** What the invitation page shows: which workspace, which role, and whether to ask for a password. */
export async function inspectInvitation(db: Database, token: string): Promise<InvitationPreview> {
  const invitation = await openInvitationOf(db, token);
  const account = await findAccount(db, invitation.email);
  return {
    workspaceName: invitation.workspaceName,
    email: invitation.email,
    role: invitation.role,
    accountExists: account !== null,
  };
}

/** The outcome of accepting: who joined which workspace, and whether their account was just created. */
export type Acceptance = {
  userId: string;
  email: string;
  workspaceId: string;
  workspaceName: string;
  accountCreated: boolean;
};

/** The request context the membership event is recorded under: the invitee, acting on their own behalf. */
function inviteeContext(db: Database, invitation: OpenInvitation, userId: string, requestId: string): RequestContext {
  return {
    db,
    workspaceId: invitation.workspaceId,
    actor: { kind: "user", userId, role: invitation.role },
    requestId,
  };
}

/** Claims the invitation for this transaction (400 when another request accepted it first). */
async function claim(tx: Transaction, invitation: OpenInvitation): Promise<void> {
  if (!(await lockOpenInvitation(tx, invitation))) throw invalidField("token", invalidLink);
}

/**
 * Makes the user a member with the invitation's role (reviving a removed member's row) and marks
 * the claimed invitation accepted, in the caller's transaction. 409 when they are a member
 * already (an admin added them meanwhile).
 */
async function joinWorkspace(
  tx: Transaction,
  invitation: OpenInvitation,
  userId: string,
  requestId: string,
): Promise<void> {
  const joined = await tx
    .insert(memberships)
    .values({ workspaceId: invitation.workspaceId, id: newId(), userId, role: invitation.role })
    .onConflictDoUpdate({
      target: [memberships.workspaceId, memberships.userId],
      set: { role: invitation.role, deactivatedAt: null, removedAt: null, updatedAt: sql`now()` },
      setWhere: sql`${memberships.removedAt} is not null`,
    })
    .returning({ id: memberships.id });
  if (joined.length === 0) {
    throw new AppError("duplicate", "You are already a member of this workspace.", [
      { path: "email", message: "Already a member of this workspace" },
    ]);
  }
  await markAccepted(tx, invitation, userId);
  const payload = { userId, role: invitation.role, active: true, previousRole: null };
  await recordFact(
    tx,
    inviteeContext(tx, invitation, userId, requestId),
    { action: "member.added", resourceType: "user", resourceId: userId, details: { invitationId: invitation.id } },
    [{ type: "member.added", resourceId: userId, payload }],
  );
}

/**
 * Accepts an invitation. An existing account joins as it is (name and password are ignored); a
 * disabled one is refused with 403. Without an account, `name` and `password` are required (400
 * naming each one missing; the password follows the sign-up rules) and the account is created
 * with its address verified. Creating the account, the membership and claiming the invitation
 * happen in one transaction: a failure leaves none of them. Signing in is the caller's part.
 */
export async function acceptInvitation(db: Database, input: AcceptInvitation, requestId: string): Promise<Acceptance> {
  const invitation = await openInvitationOf(db, input.token);
  const outcome = {
    email: invitation.email,
    workspaceId: invitation.workspaceId,
    workspaceName: invitation.workspaceName,
  };
  const account = await findAccount(db, invitation.email);
  if (account) {
    if (account.disabledAt) throw new AppError("forbidden", disabledAccount);
    await db.transaction(async (tx) => {
      await claim(tx, invitation);
      await joinWorkspace(tx, invitation, account.id, requestId);
    });
    forgetUserSessions(account.id);
    return { ...outcome, userId: account.id, email: account.email, accountCreated: false };
  }

  const missing = (["name", "password"] as const).filter((field) => input[field] === undefined);
  if (missing.length > 0) {
    throw new AppError(
      "validation",
      "Choose your name and a password to create your account.",
      missing.map((path) => ({ path, message: "Required to create your account" })),
    );
  }
  const name = input.name ?? "";
  const password = input.password ?? "";
  await assertAcceptablePassword(password, { email: invitation.email, name });
  const passwordHash = await hashPassword(password);
  const userId = newId();
  try {
    await db.transaction(async (tx) => {
      // Claimed first: a second request accepting at once waits here, then finds it used.
      await claim(tx, invitation);
      await tx.insert(users).values({
        id: userId,
        email: invitation.email,
        name,
        passwordHash,
        // Following the link proved the address.
        emailVerifiedAt: new Date(),
      });
      await joinWorkspace(tx, invitation, userId, requestId);
    });
  } catch (error) {
    // The address got an account meanwhile (a sign-up, or another invitation accepted at once):
    // nothing was kept, and the link still works for that account.
    if (findDatabaseError(error)?.code === "23505") {
      throw new AppError("conflict", "An account with this e-mail was just created: open the link again to join.");
    }
    throw error;
  }
  return { ...outcome, userId, accountCreated: true };
}
