import { createHash, randomBytes } from "node:crypto";
import { and, desc, eq, gt, isNull, ne, sql } from "drizzle-orm";
import type { Language } from "../../../shared/languages.ts";
import type { Role } from "../../../shared/permissions.ts";
import { prepared, type Database } from "../../db/client.ts";
import { newId } from "../../lib/ids.ts";
import { memberships, users } from "../users/users.table.ts";
import { sessions } from "./auth.table.ts";

/** A signed-in user as a request sees it: who, and in which workspaces with which role. */
export type Identity = {
  sessionId: string;
  userId: string;
  email: string;
  name: string;
  /** The interface language the person chose; null: their browser's. */
  locale: Language | null;
  activeWorkspaceId: string | null;
  workspaces: { id: string; name: string; role: Role }[];
};

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** A session as the cache keeps it: everything of the identity but the memberships and the active workspace. */
type CachedSession = Omit<Identity, "workspaces" | "activeWorkspaceId">;

/**
 * Resolved sessions, kept briefly so a request does not pay the session lookup for its caller.
 * Sign-out and revocation on this instance take effect at once; on other instances within the
 * cache lifetime (docs/operations.md states it). Memberships and the session's active workspace
 * are not cached: every request re-reads them (one indexed query), so role changes,
 * deactivations, removals and a switch of workspace apply to the very next request on every
 * instance (a request must never act in the workspace the user just left).
 */
export const sessionCacheLifetimeMs = 5_000;
/** Recording every request's time would be a write per request; a minute's precision is enough. */
const lastSeenPrecisionMs = 60_000;
const cacheLimit = 10_000;
const cache = new Map<string, { session: CachedSession; until: number }>();

export function forgetSession(tokenHash: string): void {
  cache.delete(tokenHash);
}

/** Forgets every cached session of a user (after their memberships changed). */
export function forgetUserSessions(userId: string): void {
  for (const [key, entry] of cache) if (entry.session.userId === userId) cache.delete(key);
}

/** Forgets one cached session by its id (the cache is keyed by token hash). */
export function forgetSessionById(sessionId: string): void {
  for (const [key, entry] of cache) if (entry.session.sessionId === sessionId) cache.delete(key);
}

/** Creates a session and returns its secret token (only its hash is stored). */
export async function createSession(
  db: Database,
  input: {
    userId: string;
    ipAddress: string;
    userAgent: string | undefined;
    ttlHours: number;
    /** The workspace the session starts in; else the user's first by name. */
    workspaceId?: string | undefined;
  },
): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(Date.now() + input.ttlHours * 3_600_000);
  const activeWorkspaceId = input.workspaceId ?? (await userWorkspaces(db, input.userId))[0]?.id ?? null;
  await db.insert(sessions).values({
    id: newId(),
    userId: input.userId,
    tokenHash: hashToken(token),
    activeWorkspaceId,
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
  const session = await resolveCachedSession(db, token, idleHours);
  if (!session) return null;
  return { ...session, ...(await sessionWorkspaces(db, session.userId, session.sessionId)) };
}

/** The session part of an identity: from the cache when fresh, else from the database. */
async function resolveCachedSession(db: Database, token: string, idleHours: number): Promise<CachedSession | null> {
  const tokenHash = hashToken(token);
  const cached = cache.get(tokenHash);
  if (cached && cached.until > Date.now()) return cached.session;
  cache.delete(tokenHash);

  const [row] = await db
    .select({
      sessionId: sessions.id,
      userId: users.id,
      email: users.email,
      name: users.name,
      locale: users.locale,
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
  if (cache.size >= cacheLimit) cache.delete(cache.keys().next().value ?? "");
  // Never past the session's own expiry: a cached session must not outlive it.
  cache.set(tokenHash, { session, until: Math.min(Date.now() + sessionCacheLifetimeMs, expiresAt.getTime()) });
  return session;
}

/** A user's workspaces with their role, by name (as sessionWorkspaces reads them, for no session). */
export async function userWorkspaces(db: Database, userId: string): Promise<Identity["workspaces"]> {
  return (await sessionWorkspaces(db, userId, null)).workspaces;
}

/**
 * A user's workspaces with their role, by name, and their session's active workspace, read
 * together on every request: active memberships only (a deactivated or removed member sees
 * nothing of the workspace). Runs as the system role: it spans workspaces. Never cached, so it is
 * a named prepared statement: parsed and planned once per connection.
 */
async function sessionWorkspaces(
  db: Database,
  userId: string,
  sessionId: string | null,
): Promise<Pick<Identity, "workspaces" | "activeWorkspaceId">> {
  const { rows } = (await db.execute(sql`${prepared("session_workspaces")}select w.id, w.name, m.role,
      (select s.active_workspace_id from sessions s where s.id = ${sessionId}) as "activeWorkspaceId"
    from memberships m join workspaces w on w.id = m.workspace_id
    where m.user_id = ${userId} and m.deactivated_at is null and m.removed_at is null
    order by w.name, w.id`)) as unknown as {
    rows: (Identity["workspaces"][number] & { activeWorkspaceId: string | null })[];
  };
  return {
    workspaces: rows.map(({ id, name, role }) => ({ id, name, role })),
    activeWorkspaceId: rows[0]?.activeWorkspaceId ?? null,
  };
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

/** A session as its user sees it in their list: never its token or the token's hash. */
export type SessionSummary = {
  id: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  ipAddress: string | null;
  userAgent: string | null;
};

/** A user's sessions that still work (not revoked, not expired), most recently used first. */
export function listUserSessions(db: Database, userId: string): Promise<SessionSummary[]> {
  return db
    .select({
      id: sessions.id,
      createdAt: sessions.createdAt,
      lastSeenAt: sessions.lastSeenAt,
      expiresAt: sessions.expiresAt,
      ipAddress: sessions.ipAddress,
      userAgent: sessions.userAgent,
    })
    .from(sessions)
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, sql`now()`)))
    .orderBy(desc(sessions.lastSeenAt), desc(sessions.id));
}

/** Revokes one of a user's sessions; false when the user has no such live session. */
export async function revokeUserSession(db: Database, userId: string, sessionId: string): Promise<boolean> {
  const revoked = await db
    .update(sessions)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(sessions.id, sessionId), eq(sessions.userId, userId), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id });
  forgetSessionById(sessionId);
  return revoked.length > 0;
}

/** Revokes every session of a user but the one kept; returns how many were revoked. */
export async function revokeOtherUserSessions(db: Database, userId: string, keptSessionId: string): Promise<number> {
  const revoked = await db
    .update(sessions)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(sessions.userId, userId), ne(sessions.id, keptSessionId), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id });
  for (const { id } of revoked) forgetSessionById(id);
  return revoked.length;
}

/**
 * The role a session's user holds in a workspace now, or null when the session no longer holds
 * (signed out, revoked, expired, idle, account disabled) or the membership ended (deactivated,
 * removed). For a connection that outlives its request (the live event stream), checked now and
 * then: reading it does not count as use, so an open page does not keep an idle session alive.
 */
export async function sessionRoleIn(
  db: Database,
  sessionId: string,
  workspaceId: string,
  idleHours: number,
): Promise<Role | null> {
  const [row] = await db
    .select({ role: memberships.role })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .innerJoin(memberships, and(eq(memberships.userId, sessions.userId), eq(memberships.workspaceId, workspaceId)))
    .where(
      and(
        eq(sessions.id, sessionId),
        isNull(sessions.revokedAt),
        gt(sessions.expiresAt, sql`now()`),
        gt(sessions.lastSeenAt, sql`now() - make_interval(secs => ${idleHours * 3600})`),
        isNull(users.disabledAt),
        isNull(memberships.deactivatedAt),
        isNull(memberships.removedAt),
      ),
    );
  return row?.role ?? null;
}
