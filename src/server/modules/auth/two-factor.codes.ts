import { randomInt } from "node:crypto";
import { and, count, eq, isNull, lt, or, sql } from "drizzle-orm";
import { Secret, TOTP } from "otpauth";
import { backupCodeCount } from "../../../shared/schemas/two-factor.ts";
import type { Database, Transaction } from "../../db/client.ts";
import { newId } from "../../lib/ids.ts";
import { users } from "../users/users.table.ts";
import { hashToken } from "./sessions.ts";
import { twoFactorBackupCodes } from "./two-factor.table.ts";

/**
 * The second factor's primitives: TOTP codes (RFC 6238: SHA-1, 6 digits, 30 s, what every
 * authenticator app reads from a QR code) through `otpauth`, and single-use backup codes.
 */
const totpSettings = { algorithm: "SHA1", digits: 6, period: 30 } as const;
/** Codes of the step before and after the current one are accepted too (clock drift, typing time). */
const acceptedWindow = 1;
/** RFC 4648 base32 in lower case: no 0, 1, 8 or 9 to mistake for letters. */
const backupCodeAlphabet = "abcdefghijklmnopqrstuvwxyz234567";
/** 10 characters of 32 = 50 random bits per backup code. */
const backupCodeLength = 10;

/** A new TOTP secret of 20 random bytes (RFC 4226's recommendation), in base32. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The otpauth:// URI an authenticator app reads from the QR code: issuer "Keel", the user's e-mail. */
export function otpauthUrlOf(secret: string, email: string): string {
  return new TOTP({ issuer: "Keel", label: email, secret: Secret.fromBase32(secret), ...totpSettings }).toString();
}

/** The TOTP step (30-second counter) a code belongs to, within ±1 step of now, or null for a wrong code. */
export function stepOfCode(secret: string, code: string, now = Date.now()): number | null {
  const token = code.replace(/\s+/g, "");
  if (!/^\d{6}$/.test(token)) return null;
  const delta = TOTP.validate({
    token,
    secret: Secret.fromBase32(secret),
    ...totpSettings,
    timestamp: now,
    window: acceptedWindow,
  });
  return delta === null ? null : TOTP.counter({ period: totpSettings.period, timestamp: now }) + delta;
}

/**
 * Accepts a right code of the user's secret once only: records its step in one conditional UPDATE,
 * which fails for a step already used or older than one used (a replay, or a race of two requests
 * with one code). Returns whether the code was accepted.
 */
export async function claimTotpCode(db: Database, userId: string, secret: string, code: string): Promise<boolean> {
  const step = stepOfCode(secret, code);
  if (step === null) return false;
  const claimed = await db
    .update(users)
    .set({ twoFactorLastStep: step })
    .where(and(eq(users.id, userId), or(isNull(users.twoFactorLastStep), lt(users.twoFactorLastStep, step))))
    .returning({ id: users.id });
  return claimed.length > 0;
}

function newBackupCode(): string {
  const chars = Array.from({ length: backupCodeLength }, () => backupCodeAlphabet[randomInt(32)]).join("");
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}

/** A backup code as typed (any case, spaces or dashes, 0 for o, 1 for l) → the form that is hashed. */
function normalizeBackupCode(typed: string): string {
  return typed
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "")
    .replaceAll("0", "o")
    .replaceAll("1", "l");
}

/** Whether a code has the shape of a backup code rather than of an app's 6 digits. */
export function isBackupCodeShaped(code: string): boolean {
  return normalizeBackupCode(code).length === backupCodeLength && !/^\d+$/.test(code.replace(/\s+/g, ""));
}

/**
 * Replaces a user's backup codes with new ones (the old ones stop working) and returns them, once.
 * Runs in the caller's transaction, which must commit both statements or neither.
 */
export async function replaceBackupCodes(tx: Transaction, userId: string): Promise<string[]> {
  const codes = Array.from({ length: backupCodeCount }, newBackupCode);
  await tx.delete(twoFactorBackupCodes).where(eq(twoFactorBackupCodes.userId, userId));
  await tx
    .insert(twoFactorBackupCodes)
    .values(codes.map((code) => ({ id: newId(), userId, codeHash: hashToken(normalizeBackupCode(code)) })));
  return codes;
}

/** Spends one of the user's unused backup codes in one conditional UPDATE; false when none matched. */
export async function claimBackupCode(db: Database, userId: string, code: string): Promise<boolean> {
  const normalized = normalizeBackupCode(code);
  if (normalized.length !== backupCodeLength) return false;
  const claimed = await db
    .update(twoFactorBackupCodes)
    .set({ usedAt: sql`now()` })
    .where(
      and(
        eq(twoFactorBackupCodes.userId, userId),
        eq(twoFactorBackupCodes.codeHash, hashToken(normalized)),
        isNull(twoFactorBackupCodes.usedAt),
      ),
    )
    .returning({ id: twoFactorBackupCodes.id });
  return claimed.length > 0;
}

/** A code of the app or a backup code, whichever its shape says; each is accepted once. */
export function claimSecondFactor(db: Database, userId: string, secret: string, code: string): Promise<boolean> {
  return isBackupCodeShaped(code) ? claimBackupCode(db, userId, code) : claimTotpCode(db, userId, secret, code);
}

/** How many unused backup codes a user has. */
export async function countBackupCodesLeft(db: Database, userId: string): Promise<number> {
  const [row] = await db
    .select({ left: count() })
    .from(twoFactorBackupCodes)
    .where(and(eq(twoFactorBackupCodes.userId, userId), isNull(twoFactorBackupCodes.usedAt)));
  return row?.left ?? 0;
}
