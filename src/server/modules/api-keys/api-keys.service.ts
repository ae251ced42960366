import { randomBytes } from "node:crypto";
import type { ApiKeyScope } from "../../../shared/permissions.ts";
import {
  maxActiveApiKeys,
  type ApiKey,
  type CreateApiKey,
  type CreatedApiKey,
} from "../../../shared/schemas/api-key.ts";
import type { Database } from "../../db/client.ts";
import { withWorkspaceTransaction } from "../../db/transaction.ts";
import { recordFact } from "../audit/audit.service.ts";
import { assertAllowed } from "../../lib/access.ts";
import type { RequestContext } from "../../lib/context.ts";
import { AppError, invalidField, notFound } from "../../lib/errors.ts";
import { newId } from "../../lib/ids.ts";
import { hashToken } from "../auth/index.ts";
import {
  countLiveApiKeys,
  findUsableKey,
  insertApiKey,
  listApiKeyRows,
  recordKeyUse,
  revokeApiKeyRow,
  toApiKey,
} from "./api-keys.repository.ts";

/**
 * API keys: credentials an admin creates for an integration. A key is `keel_` and 43 base64url
 * characters (32 random bytes); only its SHA-256 is stored. Admins alone list, create and revoke
 * keys (the `apiKey` row of permissions.ts); keys themselves never reach these use cases
 * (authentication refuses them every account and key route).
 */

const keyPattern = /^keel_[A-Za-z0-9_-]{43}$/;
const prefixLength = 12;
/** Recording every request's use would be a write per request; a minute's precision is enough. */
const lastUsedPrecisionMs = 60_000;

/** A key that authenticated a request: which, in which workspace, on whose behalf, with what scopes. */
export type ApiKeyIdentity = { id: string; workspaceId: string; createdBy: string; scopes: readonly ApiKeyScope[] };

export async function listApiKeys(ctx: RequestContext): Promise<ApiKey[]> {
  assertAllowed(ctx, "read", "apiKey");
  return withWorkspaceTransaction(ctx.db, ctx.workspaceId, (tx) => listApiKeyRows(tx, ctx.workspaceId));
}

/** Creates a key on behalf of the calling admin and answers it with the secret, this once. */
export async function createApiKey(ctx: RequestContext, input: CreateApiKey): Promise<CreatedApiKey> {
  assertAllowed(ctx, "create", "apiKey");
  const expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
  if (expiresAt && expiresAt.getTime() <= Date.now()) throw invalidField("expiresAt", "Must be in the future");
  const key = `keel_${randomBytes(32).toString("base64url")}`;
  return withWorkspaceTransaction(ctx.db, ctx.workspaceId, async (tx) => {
    if ((await countLiveApiKeys(tx, ctx.workspaceId)) >= maxActiveApiKeys) {
      throw new AppError(
        "rule-violation",
        `This workspace has ${maxActiveApiKeys} API keys in use, the most it may have: revoke one it no longer needs.`,
      );
    }
    const row = await insertApiKey(tx, {
      workspaceId: ctx.workspaceId,
      id: newId(),
      name: input.name,
      prefix: key.slice(0, prefixLength),
      keyHash: hashToken(key),
      scopes: input.scopes,
      createdBy: ctx.actor.userId,
      expiresAt,
    });
    const created = toApiKey(row);
    await recordFact(tx, ctx, {
      action: "api_key.created",
      resourceType: "apiKey",
      resourceId: created.id,
      details: { name: created.name, prefix: created.prefix, scopes: created.scopes, expiresAt: created.expiresAt },
    });
    return { ...created, key };
  });
}

/** Revokes a key at once, on every process (key lookups are never cached). Revoking twice is harmless. */
export async function revokeApiKey(ctx: RequestContext, id: string): Promise<void> {
  assertAllowed(ctx, "delete", "apiKey");
  const found = await withWorkspaceTransaction(ctx.db, ctx.workspaceId, async (tx) => {
    const revoked = await revokeApiKeyRow(tx, ctx.workspaceId, id);
    if (revoked) await recordFact(tx, ctx, { action: "api_key.revoked", resourceType: "apiKey", resourceId: id });
    return revoked;
  });
  if (!found) throw notFound("API key");
}

/**
 * The key a request presents, or null when it is malformed, unknown, expired or revoked (the
 * caller answers all of these alike). Runs as the system role, before any workspace is known;
 * nothing is cached, so a revocation holds from the next request on.
 */
export async function resolveApiKey(db: Database, key: string, ipAddress: string): Promise<ApiKeyIdentity | null> {
  if (!keyPattern.test(key)) return null;
  const found = await findUsableKey(db, hashToken(key));
  if (!found) return null;
  if (!found.lastUsedAt || Date.now() - found.lastUsedAt.getTime() > lastUsedPrecisionMs) {
    await recordKeyUse(db, found, ipAddress, lastUsedPrecisionMs);
  }
  return { id: found.id, workspaceId: found.workspaceId, createdBy: found.createdBy, scopes: found.scopes };
}
