import { count, eq, sql } from "drizzle-orm";
import type { Role } from "../../../shared/permissions.ts";
import type { Database, Transaction } from "../../db/client.ts";
import { AppError } from "../../lib/errors.ts";
import { newId } from "../../lib/ids.ts";
import { forgetUserSessions } from "../auth/index.ts";
import type { RequestContext } from "../../lib/context.ts";
import { recordFact } from "../audit/index.ts";
import { pipelineType } from "../pipelines/index.ts";
import { defaultPipeline } from "../pipelines/pipelines.defaults.ts";
import { createRecordIn } from "../records/index.ts";
import { memberships, users } from "../users/users.table.ts";
import { workspaces } from "./workspaces.table.ts";

export type Workspace = { id: string; name: string; slug: string; baseCurrency: string; role: Role; createdAt: Date };

/**
 * A workspace's slug: its name in URL form, made unique by the random end of its id (the start
 * of a time-ordered id is shared by workspaces created the same minute).
 */
export function workspaceSlug(name: string, id: string): string {
  const base = name
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/, "");
  return `${base || "workspace"}-${id.slice(-8)}`;
}

/**
 * Refuses (422) a user's workspace beyond `limit`. The user's row is locked first, so two
 * requests racing each other are counted one after the other.
 */
async function assertBelowWorkspaceLimit(tx: Transaction, userId: string, limit: number): Promise<void> {
  await tx.select({ id: users.id }).from(users).where(eq(users.id, userId)).for("update");
  const [created] = await tx.select({ n: count() }).from(workspaces).where(eq(workspaces.createdBy, userId));
  if ((created?.n ?? 0) >= limit) {
    throw new AppError(
      "rule-violation",
      `You have created ${limit} workspaces, the most one person may create on this server. ` +
        "Delete one you no longer need, or ask the operator to raise WORKSPACES_PER_USER.",
    );
  }
}

/**
 * Creates a workspace with its default pipeline and makes `adminUserId` its admin, in one
 * transaction. Runs as the system role: the workspace does not exist yet for row-level security.
 * Given `limitPerUser` (a user creating it through the API), counts it against that user's limit.
 */
export async function createWorkspace(
  db: Database,
  input: {
    name: string;
    baseCurrency?: string | undefined;
    adminUserId: string;
    limitPerUser?: number;
    requestId?: string;
    client?: RequestContext["client"];
  },
): Promise<Workspace> {
  const workspace = await db.transaction(async (tx) => {
    const limited = input.limitPerUser !== undefined;
    if (limited) await assertBelowWorkspaceLimit(tx, input.adminUserId, input.limitPerUser ?? 0);
    const id = newId();
    const [row] = await tx
      .insert(workspaces)
      .values({
        id,
        name: input.name,
        slug: workspaceSlug(input.name, id),
        baseCurrency: input.baseCurrency ?? "USD",
        createdBy: limited ? input.adminUserId : null,
      })
      .returning();
    if (!row) throw new Error("workspace insert returned nothing");
    await tx.insert(memberships).values({ workspaceId: row.id, id: newId(), userId: input.adminUserId, role: "admin" });
    // The new workspace's first entries: its creation, and its default pipeline through the write path.
    const ctx: RequestContext = {
      db: tx,
      workspaceId: row.id,
      actor: { kind: "user", userId: input.adminUserId, role: "admin" },
      requestId: input.requestId ?? "",
      client: input.client,
    };
    await recordFact(tx, ctx, { action: "workspace.created", resourceType: "workspace", resourceId: row.id });
    await createRecordIn(tx, ctx, pipelineType, defaultPipeline);
    return row;
  });
  forgetUserSessions(input.adminUserId);
  return {
    id: workspace.id,
    name: workspace.name,
    slug: workspace.slug,
    baseCurrency: workspace.baseCurrency,
    role: "admin",
    createdAt: workspace.createdAt,
  };
}

/** Adds a user to a workspace with a role (used by the CLI and the seed; invitations come later). */
export async function addMember(db: Database, workspaceId: string, userId: string, role: Role): Promise<void> {
  // A removed member keeps their row (their records point at it): adding them again revives it.
  await db
    .insert(memberships)
    .values({ workspaceId, id: newId(), userId, role })
    .onConflictDoUpdate({
      target: [memberships.workspaceId, memberships.userId],
      set: { role, deactivatedAt: null, removedAt: null, updatedAt: sql`now()` },
      setWhere: sql`${memberships.removedAt} is not null`,
    });
  forgetUserSessions(userId);
}
