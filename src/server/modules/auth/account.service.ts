import { randomBytes } from "node:crypto";
import { and, eq, gt, isNull, ne, sql } from "drizzle-orm";
import type { Language } from "../../../shared/languages.ts";
import type { SignUp } from "../../../shared/schemas/auth.ts";
import type { UpdateProfile } from "../../../shared/schemas/profile.ts";
import type { Database } from "../../db/client.ts";
import { findDatabaseError } from "../../db/constraints.ts";
import { AppError, invalidField } from "../../lib/errors.ts";
import { newId } from "../../lib/ids.ts";
import { sendMail, type MailDeps } from "../mail/index.ts";
import { users } from "../users/users.table.ts";
import { createWorkspace } from "../workspaces/index.ts";
import type { AccountAudit } from "./account-audit.ts";
import { accountTokens } from "./account-tokens.table.ts";
import { assertAcceptablePassword, hashPassword, verifyPassword } from "./passwords.ts";
import { forgetUserSessions, hashToken } from "./sessions.ts";
import { sessions } from "./auth.table.ts";

/**
 * What the account use cases need. `defer` runs work after the response: whatever depends on
 * whether an e-mail is registered happens there, so known and unknown addresses answer alike and
 * in the same time.
 */
export type AccountDeps = MailDeps & { defer: (task: () => Promise<unknown>) => void; workspacesPerUser: number };

type Purpose = "verify-email" | "reset-password";
const lifetimeMs: Record<Purpose, number> = { "verify-email": 24 * 3_600_000, "reset-password": 3_600_000 };
const invalidLink = "This link is invalid or has expired; ask for a new one.";

/** Pending sign-up kept with its verification token until the address is verified. */
type PendingSignUp = { name: string; passwordHash: string; workspaceName: string };

async function findUserByEmail(db: Database, email: string) {
  const [user] = await db
    .select({ id: users.id, email: users.email, name: users.name, disabledAt: users.disabledAt })
    .from(users)
    .where(eq(sql`lower(${users.email})`, email.toLowerCase()));
  return user;
}

/** Stores a new single-use token (its SHA-256 only) and returns the secret for the link. */
async function issueToken(
  db: Database,
  input: { purpose: Purpose; email: string; userId?: string; payload?: PendingSignUp },
): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  await db.insert(accountTokens).values({
    id: newId(),
    purpose: input.purpose,
    tokenHash: hashToken(token),
    userId: input.userId ?? null,
    email: input.email,
    payload: input.payload ?? null,
    expiresAt: new Date(Date.now() + lifetimeMs[input.purpose]),
  });
  return token;
}

/** The unused, unexpired token of this purpose, or 400: forged, used and expired look the same. */
async function findToken(db: Database, token: string, purpose: Purpose) {
  const [row] = await db
    .select()
    .from(accountTokens)
    .where(
      and(
        eq(accountTokens.tokenHash, hashToken(token)),
        eq(accountTokens.purpose, purpose),
        isNull(accountTokens.usedAt),
        gt(accountTokens.expiresAt, sql`now()`),
      ),
    );
  if (!row) throw invalidField("token", invalidLink);
  return row;
}

/** Marks a token used; only one of two racing requests succeeds. */
async function claimToken(db: Database, id: string): Promise<void> {
  const claimed = await db
    .update(accountTokens)
    .set({ usedAt: sql`now()` })
    .where(and(eq(accountTokens.id, id), isNull(accountTokens.usedAt), gt(accountTokens.expiresAt, sql`now()`)))
    .returning({ id: accountTokens.id });
  if (claimed.length === 0) throw invalidField("token", invalidLink);
}

/**
 * Sign-up: answers the same for a new and a registered e-mail. A new address gets a link that
 * creates the account and its workspace once followed; a registered one gets a warning instead.
 */
export async function signUp(deps: AccountDeps, input: SignUp, linkBase: string): Promise<void> {
  await assertAcceptablePassword(input.password, { email: input.email, name: input.name });
  // Hashed in both cases, so both take the same time.
  const passwordHash = await hashPassword(input.password);
  const existing = await findUserByEmail(deps.db, input.email);
  deps.defer(async () => {
    if (existing) {
      await sendMail(deps, {
        to: existing.email,
        subject: "Someone tried to sign up to Keel with your address",
        text:
          `Someone, perhaps you, tried to create a Keel account with ${existing.email}, which already has one.\n\n` +
          `If it was you, sign in at ${linkBase}/sign-in, or reset your password at ${linkBase}/forgot-password.\n` +
          "If it was not, you can ignore this message: nothing was changed.\n",
      });
      return;
    }
    const token = await issueToken(deps.db, {
      purpose: "verify-email",
      email: input.email,
      payload: { name: input.name, passwordHash, workspaceName: input.workspaceName },
    });
    const link = `${linkBase}/verify-email?token=${token}`;
    await sendMail(deps, {
      to: input.email,
      subject: "Confirm your e-mail address for Keel",
      text:
        `Welcome to Keel, ${input.name}.\n\nTo create your account, confirm your address within 24 hours:\n\n${link}\n\n` +
        "If you did not sign up, ignore this message: no account is created.\n",
    });
  });
}

/**
 * Follows a verification link: creates the pending account (verified) with a workspace it
 * administers, or marks an existing user's address verified. 400 for a bad, used or expired token.
 */
export async function verifyEmail(
  deps: AccountDeps,
  token: string,
  source: { requestId: string; client: { ipAddress: string; userAgent: string | null } },
): Promise<{ email: string }> {
  const row = await findToken(deps.db, token, "verify-email");
  const pending = row.payload as PendingSignUp | null;
  if (!row.userId && !pending) throw invalidField("token", invalidLink);
  try {
    // The link is used up only with what it creates: a failure leaves the link working, and nothing else.
    await deps.db.transaction(async (tx) => {
      await claimToken(tx, row.id);
      if (row.userId) {
        await tx
          .update(users)
          .set({ emailVerifiedAt: sql`now()`, updatedAt: sql`now()` })
          .where(eq(users.id, row.userId));
        return;
      }
      if (!pending) return;
      const userId = newId();
      await tx.insert(users).values({
        id: userId,
        email: row.email,
        name: pending.name,
        passwordHash: pending.passwordHash,
        emailVerifiedAt: new Date(),
      });
      await createWorkspace(tx, {
        name: pending.workspaceName,
        adminUserId: userId,
        limitPerUser: deps.workspacesPerUser,
        ...source,
      });
    });
  } catch (error) {
    // Someone registered the address since (a second sign-up verified first).
    if (findDatabaseError(error)?.code === "23505") throw invalidField("token", invalidLink);
    throw error;
  }
  return { email: row.email };
}

/** Sends a reset link to an existing, enabled account; answers the same for any address. */
export async function forgotPassword(deps: AccountDeps, email: string, linkBase: string): Promise<void> {
  const user = await findUserByEmail(deps.db, email);
  deps.defer(async () => {
    if (!user || user.disabledAt) return;
    const token = await issueToken(deps.db, { purpose: "reset-password", email: user.email, userId: user.id });
    const link = `${linkBase}/reset-password?token=${token}`;
    await sendMail(deps, {
      to: user.email,
      subject: "Reset your Keel password",
      text:
        `Someone, perhaps you, asked to reset the password of your Keel account.\n\n` +
        `To choose a new password, open this link within an hour:\n\n${link}\n\n` +
        "If you did not ask, ignore this message: your password stays as it is.\n",
    });
  });
}

/**
 * Renames the signed-in user (their name is theirs, in every workspace). The session cache holds
 * the name, so their cached sessions are forgotten: every session sees the new one at once.
 */
export async function updateProfile(
  deps: AccountDeps,
  userId: string,
  input: Required<UpdateProfile>,
  audit: AccountAudit | null,
): Promise<{ name: string; locale: Language | null }> {
  const updated = await deps.db.transaction(async (tx) => {
    const [row] = await tx
      .update(users)
      .set({ name: input.name, locale: input.locale, updatedAt: sql`now()` })
      .where(eq(users.id, userId))
      .returning({ name: users.name, locale: users.locale });
    if (row && audit) await audit(tx);
    return row;
  });
  if (!updated) throw new AppError("unauthenticated", "Sign in first.");
  forgetUserSessions(userId);
  return updated;
}

/** Revokes a user's sessions (all, or all but one); the caller forgets them from the session cache once committed. */
async function revokeSessionsOf(db: Database, userId: string, except?: string): Promise<void> {
  await db
    .update(sessions)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), except ? ne(sessions.id, except) : undefined));
}

/** Where a request came from, for the alerts it causes. */
export type RequestOrigin = { ipAddress: string; linkBase: string };

/**
 * Sets a new password from a reset link; ends every session of the user and tells them by e-mail.
 * `audit` names the entry for the user the link belongs to, written with the change.
 */
export async function resetPassword(
  deps: AccountDeps,
  input: { token: string; password: string },
  origin: RequestOrigin,
  audit: (userId: string) => AccountAudit,
): Promise<string> {
  const { token, password } = input;
  // The password first (again below with the user's name and e-mail): a weak one is named as such.
  await assertAcceptablePassword(password, {});
  const row = await findToken(deps.db, token, "reset-password");
  const [user] = row.userId
    ? await deps.db
        .select({ id: users.id, email: users.email, name: users.name })
        .from(users)
        .where(eq(users.id, row.userId))
    : [];
  if (!user) throw invalidField("token", invalidLink);
  // Checked before the token is used up, so a refused password leaves the link valid.
  await assertAcceptablePassword(password, user);
  const passwordHash = await hashPassword(password);
  // The link used up, the password, the other links void, the sessions ended and the audit entry:
  // all or nothing, so a failure leaves the link usable and the old password in place.
  await deps.db.transaction(async (tx) => {
    await claimToken(tx, row.id);
    await tx
      .update(users)
      // Following the link proved the address.
      .set({ passwordHash, emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, now())`, updatedAt: sql`now()` })
      .where(eq(users.id, user.id));
    // Other reset links sent before are void too.
    await tx
      .update(accountTokens)
      .set({ usedAt: sql`now()` })
      .where(
        and(
          eq(accountTokens.userId, user.id),
          eq(accountTokens.purpose, "reset-password"),
          isNull(accountTokens.usedAt),
        ),
      );
    await revokeSessionsOf(tx, user.id);
    await audit(user.id)(tx);
  });
  forgetUserSessions(user.id);
  sendPasswordChangedAlert(deps, { ...user, sessionsEnded: "all" }, origin);
  return user.id;
}

/** Changes the signed-in user's password; ends their other sessions and tells them by e-mail. */
export async function changePassword(
  deps: AccountDeps,
  actor: { userId: string; sessionId: string },
  input: { currentPassword: string; newPassword: string },
  origin: RequestOrigin,
  audit: AccountAudit,
): Promise<void> {
  const [user] = await deps.db
    .select({ id: users.id, email: users.email, name: users.name, passwordHash: users.passwordHash })
    .from(users)
    .where(eq(users.id, actor.userId));
  if (!user) throw new AppError("unauthenticated", "Sign in first.");
  await assertAcceptablePassword(input.newPassword, user, "newPassword");
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
    throw invalidField("currentPassword", "Wrong password.");
  }
  const passwordHash = await hashPassword(input.newPassword);
  await deps.db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({ passwordHash, updatedAt: sql`now()` })
      .where(eq(users.id, user.id));
    await revokeSessionsOf(tx, user.id, actor.sessionId);
    await audit(tx);
  });
  forgetUserSessions(user.id);
  sendPasswordChangedAlert(deps, { ...user, sessionsEnded: "others" }, origin);
}

/** "2026-03-04 10:15 UTC": an alert's time, readable whatever the reader's time zone. */
function utcTime(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/**
 * E-mails the user that their password changed: when, from which address, and what to do if it
 * was not them. Sent after the response (it never delays or fails the change).
 */
function sendPasswordChangedAlert(
  deps: AccountDeps,
  user: { email: string; name: string; sessionsEnded: "all" | "others" },
  origin: RequestOrigin,
): void {
  const changedAt = utcTime(new Date());
  const how =
    user.sessionsEnded === "all"
      ? "with a password reset link, and every session of your account was signed out"
      : "from your profile, and your other sessions were signed out";
  deps.defer(() =>
    sendMail(deps, {
      to: user.email,
      subject: "Your Keel password was changed",
      text:
        `Hello ${user.name},\n\nThe password of your Keel account (${user.email}) was just changed ${how}.\n\n` +
        `  Time: ${changedAt}\n  Address: ${origin.ipAddress}\n\n` +
        "If this was you, there is nothing to do.\n\n" +
        "If it was not you, someone else knows your password or can read your e-mail:\n" +
        `  1. Choose a new password now at ${origin.linkBase}/forgot-password\n` +
        "  2. Secure your e-mail account, where reset links are sent.\n" +
        `  3. In your profile (${origin.linkBase}/settings/profile), sign out everywhere else and turn on two-factor sign-in.\n` +
        "  4. Tell your workspace's admin.\n",
    }),
  );
}
