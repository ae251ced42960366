import { z } from "zod";
import type { Database } from "../db/client.ts";
import { AppError } from "../lib/errors.ts";
import { newId } from "../lib/ids.ts";
import { assertAcceptablePassword, hashPassword } from "../modules/auth/index.ts";
import { users } from "../modules/users/users.table.ts";
import { createWorkspace } from "../modules/workspaces/index.ts";

const InputSchema = z.object({
  email: z.email(),
  name: z.string().trim().min(1).max(100),
  password: z.string(),
  workspaceName: z.string().trim().min(1).max(100),
});

/** `keel users create-admin`: a new user who is admin of a new workspace. */
export async function createAdminUser(db: Database, input: z.input<typeof InputSchema>) {
  const parsed = InputSchema.safeParse(input);
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("\n"));
  const { email, name, password, workspaceName } = parsed.data;
  try {
    await assertAcceptablePassword(password, { email, name });
  } catch (error) {
    throw error instanceof AppError ? new Error(`password: ${error.message}`) : error;
  }
  const userId = newId();
  await db
    .insert(users)
    .values({ id: userId, email: email.toLowerCase(), name, passwordHash: await hashPassword(password) });
  const workspace = await createWorkspace(db, { name: workspaceName, adminUserId: userId });
  return { userId, email, workspaceId: workspace.id, workspaceName: workspace.name };
}
