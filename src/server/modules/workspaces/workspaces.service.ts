import type { Role } from "../../../shared/permissions.ts";
import type { Database } from "../../db/client.ts";
import { newId } from "../../lib/ids.ts";
import { forgetUserSessions } from "../auth/index.ts";
import { insertDefaultPipeline } from "../pipelines/pipelines.defaults.ts";
import { memberships } from "../users/users.table.ts";
import { workspaces } from "./workspaces.table.ts";

export type Workspace = { id: string; name: string; baseCurrency: string; role: Role; createdAt: Date };

/**
 * Creates a workspace with its default pipeline and makes `adminUserId` its admin, in one
 * transaction. Runs as the system role: the workspace does not exist yet for row-level security.
 */
export async function createWorkspace(
  db: Database,
  input: { name: string; baseCurrency?: string | undefined; adminUserId: string },
): Promise<Workspace> {
  const workspace = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(workspaces)
      .values({ id: newId(), name: input.name, baseCurrency: input.baseCurrency ?? "USD" })
      .returning();
    if (!row) throw new Error("workspace insert returned nothing");
    await tx.insert(memberships).values({ workspaceId: row.id, id: newId(), userId: input.adminUserId, role: "admin" });
    await insertDefaultPipeline(tx, row.id, input.adminUserId);
    return row;
  });
  forgetUserSessions(input.adminUserId);
  return {
    id: workspace.id,
    name: workspace.name,
    baseCurrency: workspace.baseCurrency,
    role: "admin",
    createdAt: workspace.createdAt,
  };
}

/** Adds a user to a workspace with a role (used by the CLI and the seed; invitations come later). */
export async function addMember(db: Database, workspaceId: string, userId: string, role: Role): Promise<void> {
  await db.insert(memberships).values({ workspaceId, id: newId(), userId, role });
  forgetUserSessions(userId);
}
