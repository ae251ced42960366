import { index, pgTable, text, uuid, boolean } from "drizzle-orm/pg-core";
import { timestamptz } from "../../db/columns.ts";
import { users } from "../users/users.table.ts";

/**
 * Every sign-in attempt, successful or not. Global like sessions (a user may belong to several
 * workspaces; an unknown e-mail belongs to none). Never holds the password tried.
 */
export const signIns = pgTable(
  "sign_ins",
  {
    /** UUIDv7: time-ordered, the keyset of the history's pages. */
    id: uuid().primaryKey(),
    userId: uuid().references(() => users.id, { onDelete: "cascade" }),
    /** The e-mail address tried, lower-cased. */
    email: text().notNull(),
    success: boolean().notNull(),
    /** Why it failed: `wrong-password`, `unknown-email`, `disabled`; null on success. */
    reason: text(),
    ipAddress: text(),
    userAgent: text(),
    at: timestamptz().notNull().defaultNow(),
  },
  (t) => [index("sign_ins_user_id_id_idx").on(t.userId, t.id)],
);
