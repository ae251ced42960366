import { and, eq, isNull, sql } from "drizzle-orm";
import type { DisableTwoFactor, TwoFactorSetup, TwoFactorStatus } from "../../../shared/schemas/two-factor.ts";
import type { Database } from "../../db/client.ts";
import { AppError, invalidField } from "../../lib/errors.ts";
import type { SecretBox } from "../../lib/secret-box.ts";
import { sendMail, type MailDeps } from "../mail/index.ts";
import { users } from "../users/users.table.ts";
import type { AccountAudit } from "./account-audit.ts";
import { verifyPassword } from "./passwords.ts";
import {
  claimSecondFactor,
  countBackupCodesLeft,
  newTotpSecret,
  otpauthUrlOf,
  replaceBackupCodes,
  stepOfCode,
} from "./two-factor.codes.ts";
import { signInChallenges, twoFactorBackupCodes } from "./two-factor.table.ts";

/**
 * What the two-factor use cases need: the database, the box that encrypts TOTP secrets at rest,
 * mail, and `defer` to send alerts after the response.
 */
export type TwoFactorDeps = MailDeps & { secretBox: SecretBox; defer: (task: () => Promise<unknown>) => void };

const wrongCode = "Wrong code: check the time on your phone and type the newest code.";

async function accountOf(db: Database, userId: string) {
  const [user] = await db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      passwordHash: users.passwordHash,
      secret: users.twoFactorSecret,
      pendingSecret: users.twoFactorPendingSecret,
      enabledAt: users.twoFactorEnabledAt,
    })
    .from(users)
    .where(eq(users.id, userId));
  if (!user) throw new AppError("unauthenticated", "Sign in first.");
  return user;
}

/** The user's TOTP secret, decrypted, when two-factor sign-in is on; else 409. */
function secretOf(deps: TwoFactorDeps, user: { secret: string | null; enabledAt: Date | null }): string {
  if (!user.secret || !user.enabledAt) throw new AppError("conflict", "Two-factor sign-in is not on.");
  return deps.secretBox.open(user.secret);
}

/** Whether two-factor sign-in is on, since when, and how many backup codes are left. */
export async function getTwoFactorStatus(db: Database, userId: string): Promise<TwoFactorStatus> {
  const [user] = await db.select({ enabledAt: users.twoFactorEnabledAt }).from(users).where(eq(users.id, userId));
  const enabledAt = user?.enabledAt ?? null;
  return {
    enabled: enabledAt !== null,
    enabledAt,
    backupCodesLeft: enabledAt ? await countBackupCodesLeft(db, userId) : 0,
  };
}

/**
 * Starts setting up two-factor sign-in: a new secret, kept encrypted as pending until a code of it
 * confirms it (a second set-up replaces it). 409 while two-factor sign-in is on.
 */
export async function setUpTwoFactor(deps: TwoFactorDeps, userId: string): Promise<TwoFactorSetup> {
  const user = await accountOf(deps.db, userId);
  if (user.enabledAt) throw new AppError("conflict", "Two-factor sign-in is already on; turn it off first.");
  const secret = newTotpSecret();
  await deps.db
    .update(users)
    .set({ twoFactorPendingSecret: deps.secretBox.seal(secret), updatedAt: sql`now()` })
    .where(and(eq(users.id, userId), isNull(users.twoFactorEnabledAt)));
  const otpauthUrl = otpauthUrlOf(secret, user.email);
  // Loaded when someone sets up two-factor sign-in, not at start: it is needed for nothing else.
  const { default: QRCode } = await import("qrcode");
  const qrSvg = await QRCode.toString(otpauthUrl, { type: "svg", margin: 2, errorCorrectionLevel: "M" });
  return { secret, otpauthUrl, qrSvg };
}

/**
 * Turns two-factor sign-in on with a right code of the pending secret, and returns the first backup
 * codes. 409 when it is on already or nothing is being set up; 400 naming `code` when it is wrong.
 */
export async function enableTwoFactor(
  deps: TwoFactorDeps,
  userId: string,
  code: string,
  audit: AccountAudit,
): Promise<string[]> {
  const user = await accountOf(deps.db, userId);
  if (user.enabledAt) throw new AppError("conflict", "Two-factor sign-in is already on.");
  if (!user.pendingSecret) throw new AppError("conflict", "Nothing is being set up: start with the set-up step.");
  const step = stepOfCode(deps.secretBox.open(user.pendingSecret), code);
  if (step === null) throw invalidField("code", wrongCode);
  const pendingSecret = user.pendingSecret;
  // On, and its first backup codes, together or not at all: nobody is left with a second factor
  // but no backup codes they ever saw.
  return deps.db.transaction(async (tx) => {
    // The step is recorded as used: the code that turned it on cannot also sign in.
    const enabled = await tx
      .update(users)
      .set({
        twoFactorSecret: pendingSecret,
        twoFactorPendingSecret: null,
        twoFactorEnabledAt: sql`now()`,
        twoFactorLastStep: step,
        updatedAt: sql`now()`,
      })
      .where(
        and(eq(users.id, userId), eq(users.twoFactorPendingSecret, pendingSecret), isNull(users.twoFactorEnabledAt)),
      )
      .returning({ id: users.id });
    if (enabled.length === 0) throw new AppError("conflict", "Two-factor sign-in changed meanwhile; reload the page.");
    const backupCodes = await replaceBackupCodes(tx, userId);
    await audit(tx);
    return backupCodes;
  });
}

/**
 * Turns two-factor sign-in off, given the password and a code (of the app, or a backup code): both
 * wrong answers are 400 naming the field, not 401, since the session itself is fine. Forgets the
 * secret, the backup codes and pending sign-in challenges, and tells the user by e-mail.
 */
export async function disableTwoFactor(
  deps: TwoFactorDeps,
  userId: string,
  input: DisableTwoFactor,
  audit: AccountAudit,
): Promise<void> {
  const user = await accountOf(deps.db, userId);
  const secret = secretOf(deps, user);
  if (!(await verifyPassword(user.passwordHash, input.password))) throw invalidField("password", "Wrong password.");
  if (!(await claimSecondFactor(deps.db, userId, secret, input.code))) throw invalidField("code", wrongCode);
  await deps.db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({
        twoFactorSecret: null,
        twoFactorPendingSecret: null,
        twoFactorEnabledAt: null,
        twoFactorLastStep: null,
        updatedAt: sql`now()`,
      })
      .where(eq(users.id, userId));
    await tx.delete(twoFactorBackupCodes).where(eq(twoFactorBackupCodes.userId, userId));
    await tx.delete(signInChallenges).where(eq(signInChallenges.userId, userId));
    await audit(tx);
  });
  deps.defer(() =>
    sendMail(deps, {
      to: user.email,
      subject: "Two-factor sign-in was turned off",
      text:
        `Hello ${user.name},\n\nTwo-factor sign-in was just turned off for your Keel account: from now on, your ` +
        `password alone signs you in.\n\nIf you did this, there is nothing to do. If not, change your password ` +
        `at once, end your other sessions and turn two-factor sign-in on again in your profile.\n`,
    }),
  );
}

/** New backup codes for a right code (of the app, or a backup code); the old ones stop working. */
export async function replaceTwoFactorBackupCodes(
  deps: TwoFactorDeps,
  userId: string,
  code: string,
  audit: AccountAudit,
): Promise<string[]> {
  const user = await accountOf(deps.db, userId);
  const secret = secretOf(deps, user);
  if (!(await claimSecondFactor(deps.db, userId, secret, code))) throw invalidField("code", wrongCode);
  return deps.db.transaction(async (tx) => {
    const backupCodes = await replaceBackupCodes(tx, userId);
    await audit(tx);
    return backupCodes;
  });
}
