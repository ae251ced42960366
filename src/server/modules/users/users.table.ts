import { sql } from "drizzle-orm";
import { foreignKey, index, integer, pgTable, primaryKey, text, unique, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { languages } from "../../../shared/languages.ts";
import { timestamptz } from "../../db/columns.ts";
import { workspaces } from "../workspaces/workspaces.table.ts";

/** A person who can sign in. Global: one account may belong to several workspaces. */
export const users = pgTable(
  "users",
  {
    id: uuid().primaryKey(),
    email: text().notNull(),
    name: text().notNull(),
    /** argon2id; null for accounts that have not set a password (invitations, SSO). */
    passwordHash: text(),
    emailVerifiedAt: timestamptz(),
    disabledAt: timestamptz(),
    /** The TOTP secret, encrypted (lib/secret-box); set once two-factor sign-in is on. */
    twoFactorSecret: text(),
    /** A secret being set up (shown as a QR code), encrypted; becomes `twoFactorSecret` when confirmed. */
    twoFactorPendingSecret: text(),
    twoFactorEnabledAt: timestamptz(),
    /** The 30-second TOTP step of the last accepted code: a code is never accepted twice. */
    twoFactorLastStep: integer(),
    /** The interface language the person chose; null: their browser's. */
    locale: text({ enum: languages }),
    createdAt: timestamptz().notNull().defaultNow(),
    updatedAt: timestamptz().notNull().defaultNow(),
  },
  (t) => [uniqueIndex("users_email_lower_idx").on(sql`lower(${t.email})`)],
);

/** A user's role in one workspace. */
export const memberships = pgTable(
  "memberships",
  {
    workspaceId: uuid()
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    id: uuid().notNull(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: text({ enum: ["admin", "manager", "agent", "viewer"] }).notNull(),
    /** Set while an admin has deactivated the member: their sessions see nothing of the workspace. */
    deactivatedAt: timestamptz(),
    /**
     * Set when an admin removed the member. The row stays because records keep their owner, and
     * owners reference (workspace_id, user_id) here; a removed member is no member at all.
     */
    removedAt: timestamptz(),
    createdAt: timestamptz().notNull().defaultNow(),
    updatedAt: timestamptz().notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    // Owners and assignees reference (workspace_id, user_id): a record can only point at a member.
    unique("memberships_workspace_id_user_id_key").on(t.workspaceId, t.userId),
    index("memberships_user_id_idx").on(t.userId),
  ],
);

/** Foreign key from a tenant table's user column to a member of the same workspace. */
export function memberReference(
  name: string,
  workspaceColumn: Parameters<typeof foreignKey>[0]["columns"][number],
  userColumn: Parameters<typeof foreignKey>[0]["columns"][number],
) {
  return foreignKey({
    name,
    columns: [workspaceColumn, userColumn],
    foreignColumns: [memberships.workspaceId, memberships.userId],
  });
}
