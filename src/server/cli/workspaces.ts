import { eq, sql } from "drizzle-orm";
import type { Database } from "../db/client.ts";
import { users } from "../modules/users/users.table.ts";
import { createWorkspace } from "../modules/workspaces/index.ts";

/** `keel workspaces create`: a workspace administered by an existing user. */
export async function createWorkspaceCommand(db: Database, name: string, adminEmail: string) {
  const [user] = await db
    .select({ id: users.id })
    .from(users)
    .where(eq(sql`lower(${users.email})`, adminEmail.toLowerCase()));
  if (!user) throw new Error(`No user with e-mail ${adminEmail}; create one with "keel users create-admin".`);
  const workspace = await createWorkspace(db, { name: name.trim(), adminUserId: user.id });
  return { workspaceId: workspace.id, name: workspace.name };
}
