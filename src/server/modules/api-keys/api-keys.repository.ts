import { and, count, desc, eq, gt, isNull, lt, or, sql } from "drizzle-orm";
import type { ApiKey } from "../../../shared/schemas/api-key.ts";
import type { Database, Transaction } from "../../db/client.ts";
import { apiKeys } from "./api-keys.table.ts";

type ApiKeyRow = typeof apiKeys.$inferSelect;

/** What a key is allowed to be, found by its hash: enough to authenticate a request. */
export type UsableKey = Pick<ApiKeyRow, "id" | "workspaceId" | "createdBy" | "scopes" | "lastUsedAt">;

const isLive = () => and(isNull(apiKeys.revokedAt), or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, sql`now()`)));

export function toApiKey(row: ApiKeyRow): ApiKey {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    lastUsedAt: row.lastUsedAt,
    lastUsedIp: row.lastUsedIp,
    expiresAt: row.expiresAt,
    revokedAt: row.revokedAt,
  };
}

/** Every key of the workspace, newest first, revoked and expired ones included. */
export async function listApiKeyRows(tx: Transaction, workspaceId: string): Promise<ApiKey[]> {
  const rows = await tx
    .select()
    .from(apiKeys)
    .where(eq(apiKeys.workspaceId, workspaceId))
    .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id));
  return rows.map(toApiKey);
}

export async function countLiveApiKeys(tx: Transaction, workspaceId: string): Promise<number> {
  const [row] = await tx
    .select({ n: count() })
    .from(apiKeys)
    .where(and(eq(apiKeys.workspaceId, workspaceId), isLive()));
  return row?.n ?? 0;
}

export async function insertApiKey(tx: Transaction, values: typeof apiKeys.$inferInsert): Promise<ApiKeyRow> {
  const [row] = await tx.insert(apiKeys).values(values).returning();
  if (!row) throw new Error("API key insert returned nothing");
  return row;
}

/** Revokes a key (a key revoked earlier keeps its time); false when the workspace has no such key. */
export async function revokeApiKeyRow(tx: Transaction, workspaceId: string, id: string): Promise<boolean> {
  const rows = await tx
    .update(apiKeys)
    .set({ revokedAt: sql`coalesce(${apiKeys.revokedAt}, now())` })
    .where(and(eq(apiKeys.workspaceId, workspaceId), eq(apiKeys.id, id)))
    .returning({ id: apiKeys.id });
  return rows.length > 0;
}

/**
 * The live key with this hash, whatever its workspace: runs as the connecting (system) role, like
 * session lookups, because no workspace is known yet.
 */
export async function findUsableKey(db: Database, keyHash: string): Promise<UsableKey | null> {
  const [row] = await db
    .select({
      id: apiKeys.id,
      workspaceId: apiKeys.workspaceId,
      createdBy: apiKeys.createdBy,
      scopes: apiKeys.scopes,
      lastUsedAt: apiKeys.lastUsedAt,
    })
    .from(apiKeys)
    .where(and(eq(apiKeys.keyHash, keyHash), isLive()));
  return row ?? null;
}

/**
 * Records a key's use, unless it was recorded less than `precisionMs` ago: by this request or by
 * another process meanwhile (the condition is checked in the update itself).
 */
export async function recordKeyUse(db: Database, key: UsableKey, ipAddress: string, precisionMs: number) {
  await db
    .update(apiKeys)
    .set({ lastUsedAt: sql`now()`, lastUsedIp: ipAddress })
    .where(
      and(
        eq(apiKeys.workspaceId, key.workspaceId),
        eq(apiKeys.id, key.id),
        or(
          isNull(apiKeys.lastUsedAt),
          lt(apiKeys.lastUsedAt, sql`now() - make_interval(secs => ${precisionMs / 1000})`),
        ),
      ),
    );
}
