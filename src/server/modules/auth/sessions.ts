import { createHash, randomBytes } from "node:crypto";
import { and, asc, eq, gt, isNull, sql } from "drizzle-orm";
import type { Role } from "../../../shared/permissions.ts";
import type { Database } from "../../db/client.ts";
import { newId } from "../../lib/ids.ts";
import { memberships, users } from "../users/users.table.ts";
import { workspaces } from "../workspaces/workspaces.table.ts";
import { sessions } from "./auth.table.ts";

/** A signed-in user as a request sees it: who, and in which workspaces with which role. */
export type Identity = {
  sessionId: string;
  userId: string;
  email: string;
  name: string;
  activeWorkspaceId: string | null;
  workspaces: { id: string; name: string; role: Role }[];
};

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/**
 * Resolved sessions, kept briefly so a request does not pay a database round trip for its caller.
 * Sign-out and workspace changes on this instance take effect at once; on other instances within
 * the cache lifetime (docs/operations.md states it).
 */
export const sessionCacheLifetimeMs = 5_000;
/** Recording every request's time would be a write per request; a minute's precision is enough. */
const lastSeenPrecisionMs = 60_000;
const cacheLimit = 10_000;
const cache = new Map<string, { identity: Identity; until: number }>();

export function forgetSession(tokenHash: string): void {
  cache.delete(tokenHash);
}

/** Forgets every cached session of a user (after their memberships changed). */
export function forgetUserSessions(userId: string): void {
  for (const [key, entry] of cache) if (entry.identity.userId === userId) cache.delete(key);
}

/** Creates a session and returns its secret token (only its hash is stored). */
export async function createSession(
  db: Database,
  input: { userId: string; ipAddress: string; userAgent: string | undefined; ttlHours: number },
): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(Date.now() + input.ttlHours * 3_600_000);
  const [first] = await userWorkspaces(db, input.userId);
  await db.insert(sessions).values({
    id: newId(),
    userId: input.userId,
    tokenHash: hashToken(token),
    activeWorkspaceId: first?.id ?? null,
    ipAddress: input.ipAddress,
    userAgent: input.userAgent?.slice(0, 500) ?? null,
    expiresAt,
  });
  return { token, expiresAt };
}

/**
 * The identity behind a session token, or null when the session is unknown, expired, idle for
 * longer than `idleHours` or revoked. Using a session keeps it from going idle.
 */
export async function resolveSession(db: Database, token: string, idleHours: number): Promise<Identity | null> {
  const tokenHash = hashToken(token);
  const cached = cache.get(tokenHash);
  if (cached && cached.until > Date.now()) return cached.identity;
  cache.delete(tokenHash);

  const [row] = await db
    .select({
      sessionId: sessions.id,
      userId: users.id,
      email: users.email,
      name: users.name,
      activeWorkspaceId: sessions.activeWorkspaceId,
      expiresAt: sessions.expiresAt,
      lastSeenAt: sessions.lastSeenAt,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(
      and(
        eq(sessions.tokenHash, tokenHash),
        isNull(sessions.revokedAt),
        gt(sessions.expiresAt, sql`now()`),
        gt(sessions.lastSeenAt, sql`now() - make_interval(secs => ${idleHours * 3600})`),
        isNull(users.disabledAt),
      ),
    );
  if (!row) return null;
  const { expiresAt, lastSeenAt, ...session } = row;
  if (Date.now() - lastSeenAt.getTime() > lastSeenPrecisionMs) {
    await db
      .update(sessions)
      .set({ lastSeenAt: sql`now()` })
      .where(eq(sessions.id, row.sessionId));
  }
  const identity: Identity = { ...session, workspaces: await userWorkspaces(db, row.userId) };
  if (cache.size >= cacheLimit) cache.delete(cache.keys().next().value ?? "");
  // Never past the session's own expiry: a cached session must not outlive it.
  cache.set(tokenHash, { identity, until: Math.min(Date.now() + sessionCacheLifetimeMs, expiresAt.getTime()) });
  return identity;
}

/** A user's workspaces with their role, by name. Runs as the system role: it spans workspaces. */
export function userWorkspaces(db: Database, userId: string) {
  return db
    .select({ id: workspaces.id, name: workspaces.name, role: memberships.role })
    .from(memberships)
    .innerJoin(workspaces, eq(workspaces.id, memberships.workspaceId))
    .where(eq(memberships.userId, userId))
    .orderBy(asc(workspaces.name), asc(workspaces.id));
}

export async function revokeSession(db: Database, token: string): Promise<void> {
  const tokenHash = hashToken(token);
  forgetSession(tokenHash);
  await db
    .update(sessions)
    .set({ revokedAt: sql`now()` })
    .where(eq(sessions.tokenHash, tokenHash));
}

export async function setActiveWorkspace(db: Database, token: string, workspaceId: string): Promise<void> {
  const tokenHash = hashToken(token);
  forgetSession(tokenHash);
  await db.update(sessions).set({ activeWorkspaceId: workspaceId }).where(eq(sessions.tokenHash, tokenHash));
}
