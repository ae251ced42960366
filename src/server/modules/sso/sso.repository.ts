import { and, eq, isNull, lt, ne, sql } from "drizzle-orm";
import type { Role } from "../../../shared/permissions.ts";
import type { Database, Transaction } from "../../db/client.ts";
import { memberships, users } from "../users/users.table.ts";
import { workspaces } from "../workspaces/workspaces.table.ts";
import { ssoLoginStates, ssoProviders } from "./sso.table.ts";

/**
 * Queries of single sign-on. Settings are read and written by admins in a workspace transaction
 * (keel_app, row-level security), which may never select the client secret: nothing here that runs
 * there returns it. The sign-in itself runs as the connecting role, before any workspace is known.
 */

/** Every column keel_app may read: all but the client secret. */
const settingsColumns = {
  issuer: ssoProviders.issuer,
  clientId: ssoProviders.clientId,
  allowedDomains: ssoProviders.allowedDomains,
  defaultRole: ssoProviders.defaultRole,
  enabled: ssoProviders.enabled,
  createdAt: ssoProviders.createdAt,
  updatedAt: ssoProviders.updatedAt,
};

export type StoredSettings = {
  issuer: string;
  clientId: string;
  allowedDomains: string[];
  defaultRole: Role;
  enabled: boolean;
  createdAt: Date;
  updatedAt: Date;
};

/** The settings to write; a null secret keeps the stored one. */
export type SettingsValues = Omit<StoredSettings, "createdAt" | "updatedAt"> & { sealedSecret: string | null };

export async function findWorkspaceSlug(tx: Transaction, workspaceId: string): Promise<string | null> {
  const [row] = await tx.select({ slug: workspaces.slug }).from(workspaces).where(eq(workspaces.id, workspaceId));
  return row?.slug ?? null;
}

export async function findSettings(tx: Transaction, workspaceId: string): Promise<StoredSettings | null> {
  const [row] = await tx.select(settingsColumns).from(ssoProviders).where(eq(ssoProviders.workspaceId, workspaceId));
  return row ?? null;
}

/** Updates the settings; null when the workspace has none yet. */
export async function updateSettings(
  tx: Transaction,
  workspaceId: string,
  values: SettingsValues,
): Promise<StoredSettings | null> {
  const { sealedSecret, ...rest } = values;
  const [row] = await tx
    .update(ssoProviders)
    .set({ ...rest, ...(sealedSecret === null ? {} : { clientSecret: sealedSecret }), updatedAt: sql`now()` })
    .where(eq(ssoProviders.workspaceId, workspaceId))
    .returning(settingsColumns);
  return row ?? null;
}

export async function insertSettings(
  tx: Transaction,
  workspaceId: string,
  values: SettingsValues & { sealedSecret: string },
): Promise<StoredSettings> {
  const { sealedSecret, ...rest } = values;
  const [row] = await tx
    .insert(ssoProviders)
    .values({ workspaceId, ...rest, clientSecret: sealedSecret })
    .returning(settingsColumns);
  if (!row) throw new Error("SSO settings insert returned nothing");
  return row;
}

export async function deleteSettings(tx: Transaction, workspaceId: string): Promise<boolean> {
  const rows = await tx
    .delete(ssoProviders)
    .where(eq(ssoProviders.workspaceId, workspaceId))
    .returning({ workspaceId: ssoProviders.workspaceId });
  return rows.length > 0;
}

/** A workspace's provider as the sign-in needs it, client secret (sealed) included. */
export type SignInProvider = StoredSettings & { workspaceId: string; slug: string; sealedSecret: string };

/** The provider of the workspace with this slug, or null; as the connecting role. */
export async function findProviderBySlug(db: Database, slug: string): Promise<SignInProvider | null> {
  const [row] = await db
    .select({
      ...settingsColumns,
      workspaceId: workspaces.id,
      slug: workspaces.slug,
      sealedSecret: ssoProviders.clientSecret,
    })
    .from(workspaces)
    .innerJoin(ssoProviders, eq(ssoProviders.workspaceId, workspaces.id))
    .where(eq(workspaces.slug, slug));
  return row ?? null;
}

export async function insertLoginState(db: Database, values: typeof ssoLoginStates.$inferInsert): Promise<void> {
  await db.insert(ssoLoginStates).values(values);
}

/** Forgets sign-ins started more than a day ago (they expired long since): the table stays small. */
export async function purgeOldLoginStates(db: Database): Promise<void> {
  await db.delete(ssoLoginStates).where(lt(ssoLoginStates.expiresAt, sql`now() - interval '1 day'`));
}

export type LoginState = typeof ssoLoginStates.$inferSelect & { isExpired: boolean };

/**
 * Marks the sign-in with this state hash used and answers it; null when it is unknown or was
 * used before. The update is the check: of two callbacks racing with one state, one gets it.
 */
export async function claimLoginState(db: Database, stateHash: string): Promise<LoginState | null> {
  const [row] = await db
    .update(ssoLoginStates)
    .set({ usedAt: sql`now()` })
    .where(and(eq(ssoLoginStates.stateHash, stateHash), isNull(ssoLoginStates.usedAt)))
    .returning();
  return row ? { ...row, isExpired: row.expiresAt.getTime() <= Date.now() } : null;
}

export type AccountRow = { id: string; email: string; disabledAt: Date | null; emailVerifiedAt: Date | null };

export async function findUserByEmail(tx: Transaction, email: string): Promise<AccountRow | null> {
  const [row] = await tx
    .select({ id: users.id, email: users.email, disabledAt: users.disabledAt, emailVerifiedAt: users.emailVerifiedAt })
    .from(users)
    .where(eq(sql`lower(${users.email})`, email))
    .for("update");
  return row ?? null;
}

/** Creates a user without a password; null when the e-mail was registered meanwhile. */
export async function insertSsoUser(
  tx: Transaction,
  values: { id: string; email: string; name: string },
): Promise<AccountRow | null> {
  const [row] = await tx
    .insert(users)
    .values({ ...values, emailVerifiedAt: sql`now()` })
    .onConflictDoNothing()
    .returning({
      id: users.id,
      email: users.email,
      disabledAt: users.disabledAt,
      emailVerifiedAt: users.emailVerifiedAt,
    });
  return row ?? null;
}

export async function markEmailVerified(tx: Transaction, userId: string): Promise<void> {
  await tx
    .update(users)
    .set({ emailVerifiedAt: sql`now()`, updatedAt: sql`now()` })
    .where(and(eq(users.id, userId), isNull(users.emailVerifiedAt)));
}

export async function findMembership(tx: Transaction, workspaceId: string, userId: string) {
  const [row] = await tx
    .select({ deactivatedAt: memberships.deactivatedAt, removedAt: memberships.removedAt })
    .from(memberships)
    .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.userId, userId)));
  return row ?? null;
}

export async function insertMembership(
  tx: Transaction,
  values: { workspaceId: string; id: string; userId: string; role: Role },
): Promise<void> {
  // A second callback of the same user racing this one may have added it first: one row either way.
  await tx.insert(memberships).values(values).onConflictDoNothing();
}

/**
 * Whether the user is an active member of some other workspace that does not sign in with this
 * issuer: a provider trusted by one workspace must not open the others.
 */
export async function belongsElsewhereWithoutIssuer(
  tx: Transaction,
  userId: string,
  workspaceId: string,
  issuer: string,
): Promise<boolean> {
  const rows = await tx
    .select({ workspaceId: memberships.workspaceId })
    .from(memberships)
    .leftJoin(
      ssoProviders,
      and(
        eq(ssoProviders.workspaceId, memberships.workspaceId),
        eq(ssoProviders.enabled, true),
        eq(ssoProviders.issuer, issuer),
      ),
    )
    .where(
      and(
        eq(memberships.userId, userId),
        ne(memberships.workspaceId, workspaceId),
        isNull(memberships.deactivatedAt),
        isNull(memberships.removedAt),
        isNull(ssoProviders.workspaceId),
      ),
    )
    .limit(1);
  return rows.length > 0;
}
