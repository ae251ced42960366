import { sql } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import { newId } from "../../lib/ids.ts";
import { hashPassword } from "../auth/index.ts";
import { users } from "../users/users.table.ts";
import { addMember, createWorkspace } from "../workspaces/index.ts";
import { demoAccounts, demoPassword } from "./demo-accounts.ts";

/** On the first start of an empty database, creates the demo workspace and its accounts. */
export async function seedDemoIfEmpty(db: Database): Promise<boolean> {
  const [row] = await db.select({ count: sql<number>`count(*)::int` }).from(users);
  if ((row?.count ?? 0) > 0) return false;
  const passwordHash = await hashPassword(demoPassword);
  const ids = demoAccounts.map(() => newId());
  await db.insert(users).values(demoAccounts.map((a, i) => ({ id: ids[i] ?? newId(), email: a.email, name: a.name, passwordHash })));
  const workspace = await createWorkspace(db, { name: "Demo", adminUserId: ids[0] ?? "" });
  for (let i = 1; i < demoAccounts.length; i++) await addMember(db, workspace.id, ids[i] ?? "", demoAccounts[i]?.role ?? "viewer");
  return true;
}
