import { index, jsonb, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { timestamptz } from "../../db/columns.ts";
import { users } from "../users/users.table.ts";

/**
 * Single-use secrets sent by e-mail: e-mail verification, password reset (later invitations).
 * Global like `sessions`: keel_app has no grant on it. Only the token's SHA-256 is stored.
 * A sign-up has no user yet: its token carries the pending account in `payload` (with the
 * password already hashed) and the user is created when the address is verified.
 */
export const accountTokens = pgTable(
  "account_tokens",
  {
    id: uuid().primaryKey(),
    purpose: text({ enum: ["verify-email", "reset-password", "invitation"] }).notNull(),
    tokenHash: text().notNull(),
    userId: uuid().references(() => users.id, { onDelete: "cascade" }),
    email: text().notNull(),
    payload: jsonb().$type<Record<string, unknown>>(),
    expiresAt: timestamptz().notNull(),
    usedAt: timestamptz(),
    createdAt: timestamptz().notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("account_tokens_token_hash_idx").on(t.tokenHash),
    index("account_tokens_user_id_idx").on(t.userId),
  ],
);
