import { desc, eq } from "drizzle-orm";
import type { DatabaseConnection } from "../src/server/db/client.ts";
import { benchmarkWorkspaceName, seedLargeWorkspace } from "../src/server/modules/seed/large.seed.ts";
import { workspaces } from "../src/server/modules/workspaces/workspaces.table.ts";

/**
 * The newest benchmark workspace of this size ("Benchmark (N contacts)", as `npm run bench` names
 * it), seeded now and analysed when there is none. The connection must be migrated.
 */
export async function benchmarkWorkspaceOf(connection: DatabaseConnection, contacts: number): Promise<string> {
  const name = benchmarkWorkspaceName(contacts);
  const [existing] = await connection.db
    .select({ id: workspaces.id })
    .from(workspaces)
    .where(eq(workspaces.name, name))
    .orderBy(desc(workspaces.createdAt))
    .limit(1);
  if (existing) return existing.id;
  process.stderr.write(`[bench] seeding workspace "${name}"\n`);
  const seeded = await seedLargeWorkspace(connection, { contacts, name });
  await connection.exec("VACUUM (ANALYZE)");
  return seeded.workspaceId;
}
