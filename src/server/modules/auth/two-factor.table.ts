import { index, integer, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { timestamptz } from "../../db/columns.ts";
import { users } from "../users/users.table.ts";

/**
 * One-time backup codes for two-factor sign-in. Global like `sessions`. Only the SHA-256 of each
 * code is stored (a code holds 50 random bits and is single use); `usedAt` spends it.
 */
export const twoFactorBackupCodes = pgTable(
  "two_factor_backup_codes",
  {
    id: uuid().primaryKey(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    codeHash: text().notNull(),
    usedAt: timestamptz(),
    createdAt: timestamptz().notNull().defaultNow(),
  },
  (t) => [uniqueIndex("two_factor_backup_codes_user_id_code_hash_idx").on(t.userId, t.codeHash)],
);

/**
 * The step between a right password and a session when two-factor sign-in is on: a short-lived
 * cookie names the challenge (only its SHA-256 is stored); wrong codes are counted against it.
 */
export const signInChallenges = pgTable(
  "sign_in_challenges",
  {
    id: uuid().primaryKey(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    tokenHash: text().notNull(),
    /** How the session is to be created once the code is right (SSO or password, IP, user agent). */
    ipAddress: text(),
    userAgent: text(),
    failedAttempts: integer().notNull().default(0),
    expiresAt: timestamptz().notNull(),
    usedAt: timestamptz(),
    createdAt: timestamptz().notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("sign_in_challenges_token_hash_idx").on(t.tokenHash),
    index("sign_in_challenges_user_id_idx").on(t.userId),
  ],
);
