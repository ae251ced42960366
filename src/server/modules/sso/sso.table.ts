import { boolean, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { timestamptz } from "../../db/columns.ts";
import { workspaces } from "../workspaces/workspaces.table.ts";

/**
 * A workspace's OpenID Connect provider. One per workspace. Tenant data (row-level secured); the
 * sign-in start and callback read it by workspace slug as the connecting role. The client secret
 * is encrypted (lib/secret-box) and never answered.
 */
export const ssoProviders = pgTable("sso_providers", {
  workspaceId: uuid()
    .primaryKey()
    .references(() => workspaces.id, { onDelete: "cascade" }),
  issuer: text().notNull(),
  clientId: text().notNull(),
  clientSecret: text().notNull(),
  /** Lower-case e-mail domains whose users may sign in; empty: any verified e-mail. */
  allowedDomains: text().array().notNull().default([]),
  defaultRole: text({ enum: ["admin", "manager", "agent", "viewer"] })
    .notNull()
    .default("agent"),
  enabled: boolean().notNull().default(true),
  createdAt: timestamptz().notNull().defaultNow(),
  updatedAt: timestamptz().notNull().defaultNow(),
});

/**
 * A sign-in under way at a provider: the `state` (only its SHA-256), the nonce and the PKCE
 * verifier the callback needs. Global (keel_app has no grant); used once, expires in minutes.
 */
export const ssoLoginStates = pgTable(
  "sso_login_states",
  {
    id: uuid().primaryKey(),
    stateHash: text().notNull(),
    /** The workspace being signed in to (not named workspace_id: this is no tenant row). */
    targetWorkspaceId: uuid()
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    nonce: text().notNull(),
    codeVerifier: text().notNull(),
    /** A same-site path to land on after signing in. */
    redirectTo: text(),
    expiresAt: timestamptz().notNull(),
    usedAt: timestamptz(),
    createdAt: timestamptz().notNull().defaultNow(),
  },
  (t) => [uniqueIndex("sso_login_states_state_hash_idx").on(t.stateHash)],
);
