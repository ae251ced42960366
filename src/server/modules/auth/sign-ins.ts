import { and, desc, eq, inArray, isNull, lt, type SQL } from "drizzle-orm";
import type { SignInAttempt, SignInFailureReason } from "../../../shared/schemas/sign-in.ts";
import type { Database } from "../../db/client.ts";
import { newestFirstAfter, newestFirstPage } from "../../lib/cursor.ts";
import { newId } from "../../lib/ids.ts";
import { writeAccountAudit } from "../audit/audit.service.ts";
import { memberships } from "../users/users.table.ts";
import { signIns } from "./sign-ins.table.ts";

/**
 * Records one sign-in attempt (never the password tried) in the sign-in history and, for an
 * existing account, in the audit log of each of its workspaces, with the e-mail tried.
 */
export async function recordSignIn(
  db: Database,
  attempt: {
    /** Made when the attempt happens (ids order attempts), for an attempt recorded after its answer. */
    id?: string;
    userId: string | null;
    email: string;
    reason: SignInFailureReason | null;
    ipAddress: string;
    userAgent: string | undefined;
    requestId?: string;
  },
): Promise<void> {
  const email = attempt.email.slice(0, 254);
  const userAgent = attempt.userAgent?.slice(0, 500) ?? null;
  await db.transaction(async (tx) => {
    await tx.insert(signIns).values({
      id: attempt.id ?? newId(),
      userId: attempt.userId,
      email,
      success: attempt.reason === null,
      reason: attempt.reason,
      ipAddress: attempt.ipAddress,
      userAgent,
    });
    if (!attempt.userId) return;
    const succeeded = attempt.reason === null;
    await writeAccountAudit(
      tx,
      attempt.userId,
      {
        // A failed attempt is nobody's yet: the account is what it was aimed at.
        actor: succeeded ? { kind: "account", userId: attempt.userId } : { kind: "anonymous" },
        requestId: attempt.requestId ?? null,
        client: { ipAddress: attempt.ipAddress, userAgent },
      },
      {
        action: succeeded ? "auth.sign_in" : "auth.sign_in_failed",
        details: succeeded ? { email } : { email, reason: attempt.reason },
      },
    );
  });
}

type Page = { limit: number; cursor?: string | undefined };

/** One page of sign-ins, newest first (the keyset is the id alone). */
async function pageOf(db: Database, conditions: SQL[], page: Page) {
  const afterId = newestFirstAfter(page.cursor);
  const rows = await db
    .select()
    .from(signIns)
    .where(and(...conditions, ...(afterId ? [lt(signIns.id, afterId)] : [])))
    .orderBy(desc(signIns.id))
    .limit(page.limit + 1);
  return newestFirstPage(rows as SignInAttempt[], page.limit);
}

/** A user's own sign-ins. */
export function listUserSignIns(db: Database, userId: string, page: Page) {
  return pageOf(db, [eq(signIns.userId, userId)], page);
}

/**
 * Sign-ins of a workspace's members (removed members excluded), optionally of one of them.
 * Attempts with an unknown e-mail belong to no account, hence to no workspace: never shown here.
 */
export function listWorkspaceSignIns(db: Database, workspaceId: string, page: Page & { userId?: string | undefined }) {
  const members = db
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.workspaceId, workspaceId), isNull(memberships.removedAt)));
  const conditions = [inArray(signIns.userId, members)];
  if (page.userId) conditions.push(eq(signIns.userId, page.userId.toLowerCase()));
  return pageOf(db, conditions, page);
}
