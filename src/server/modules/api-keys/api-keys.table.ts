import { index, pgTable, primaryKey, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import type { ApiKeyScope } from "../../../shared/permissions.ts";
import { timestamptz } from "../../db/columns.ts";
import { memberReference } from "../users/users.table.ts";

/**
 * A workspace's API key: a credential for an integration, created by an admin. Only the SHA-256
 * of the key is stored (the key holds 256 random bits, so a fast hash is enough); `prefix` tells
 * keys apart in the list. Revoked keys stay, for the record of who could act when.
 */
export const apiKeys = pgTable(
  "api_keys",
  {
    workspaceId: uuid().notNull(),
    id: uuid().notNull(),
    name: text().notNull(),
    prefix: text().notNull(),
    keyHash: text().notNull(),
    scopes: text().array().notNull().$type<ApiKeyScope[]>(),
    createdBy: uuid().notNull(),
    createdAt: timestamptz().notNull().defaultNow(),
    expiresAt: timestamptz(),
    lastUsedAt: timestamptz(),
    lastUsedIp: text(),
    revokedAt: timestamptz(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    memberReference("api_keys_created_by_fk", t.workspaceId, t.createdBy),
    // Authentication finds a key by its hash before it knows the workspace.
    uniqueIndex("api_keys_key_hash_idx").on(t.keyHash),
    index("api_keys_workspace_id_created_by_idx").on(t.workspaceId, t.createdBy),
  ],
);
