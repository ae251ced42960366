import { index, pgTable, primaryKey, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { timestamptz } from "../../db/columns.ts";
import { memberReference, users } from "../users/users.table.ts";

/**
 * An invitation to join a workspace with a role, e-mailed as a link. Tenant data (row-level
 * secured); accepting finds it by the token's SHA-256 before any workspace is known, as the
 * connecting role, like API keys. Accepted, revoked and expired invitations stay for the record.
 */
export const invitations = pgTable(
  "invitations",
  {
    workspaceId: uuid().notNull(),
    id: uuid().notNull(),
    email: text().notNull(),
    role: text({ enum: ["admin", "manager", "agent", "viewer"] }).notNull(),
    tokenHash: text().notNull(),
    invitedBy: uuid().notNull(),
    expiresAt: timestamptz().notNull(),
    acceptedAt: timestamptz(),
    acceptedBy: uuid().references(() => users.id, { onDelete: "set null" }),
    revokedAt: timestamptz(),
    createdAt: timestamptz().notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    memberReference("invitations_invited_by_fk", t.workspaceId, t.invitedBy),
    uniqueIndex("invitations_token_hash_idx").on(t.tokenHash),
    // The list pages by (workspace_id, id), the primary key; re-inviting an address finds its open invitations here.
    index("invitations_workspace_id_email_idx").on(t.workspaceId, t.email),
  ],
);
