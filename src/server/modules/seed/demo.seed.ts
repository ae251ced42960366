import { and, asc, eq, sql } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import { newId } from "../../lib/ids.ts";
import { activities } from "../activities/activities.table.ts";
import { hashPassword } from "../auth/index.ts";
import { companies } from "../companies/companies.table.ts";
import { contacts } from "../contacts/contacts.table.ts";
import { deals } from "../deals/deals.table.ts";
import { leadContacts, leadStatusChanges, leads } from "../leads/leads.table.ts";
import { pipelineStages, pipelines } from "../pipelines/pipelines.table.ts";
import { taskDependencies, tasks } from "../tasks/tasks.table.ts";
import { users } from "../users/users.table.ts";
import { addMember, createWorkspace } from "../workspaces/index.ts";
import { demoAccounts, demoPassword } from "./demo-accounts.ts";
import { buildDemoRecords } from "./demo.records.ts";

const uniqueViolation = "23505";

/**
 * On the first start of an empty database, creates the demo accounts and the "Demo" workspace
 * filled with realistic records (see buildDemoRecords), all in one transaction as the system
 * role. Returns false, doing nothing, when the database already has users (or another process
 * seeded it at the same moment).
 */
export async function seedDemoIfEmpty(db: Database): Promise<boolean> {
  if ((await countUsers(db)) > 0) return false;
  const passwordHash = await hashPassword(demoPassword);
  try {
    await db.transaction(async (tx) => {
      const ids = demoAccounts.map(() => newId());
      const [adminId = "", managerId = "", agentId = ""] = ids;
      await tx.insert(users).values(
        demoAccounts.map((a, i) => ({
          id: ids[i] ?? newId(),
          email: a.email,
          name: a.name,
          passwordHash,
          emailVerifiedAt: sql`now()`,
        })),
      );
      const workspace = await createWorkspace(tx, { name: "Demo", adminUserId: adminId });
      for (let i = 1; i < demoAccounts.length; i++)
        await addMember(tx, workspace.id, ids[i] ?? "", demoAccounts[i]?.role ?? "viewer");

      const [pipeline] = await tx
        .select({ id: pipelines.id })
        .from(pipelines)
        .where(and(eq(pipelines.workspaceId, workspace.id), eq(pipelines.isDefault, true)));
      if (!pipeline) throw new Error("the demo workspace has no default pipeline");
      const stages = await tx
        .select({
          id: pipelineStages.id,
          probability: pipelineStages.probability,
          isWon: pipelineStages.isWon,
          isLost: pipelineStages.isLost,
        })
        .from(pipelineStages)
        .where(and(eq(pipelineStages.workspaceId, workspace.id), eq(pipelineStages.pipelineId, pipeline.id)))
        .orderBy(asc(pipelineStages.position));

      const records = buildDemoRecords({
        workspaceId: workspace.id,
        users: { admin: adminId, manager: managerId, agent: agentId },
        pipelineId: pipeline.id,
        stages,
        baseCurrency: workspace.baseCurrency,
        now: new Date(),
      });
      // Parents before children: the foreign keys are checked row by row.
      await tx.insert(companies).values(records.companies);
      await tx.insert(contacts).values(records.contacts);
      await tx.insert(leads).values(records.leads);
      await tx.insert(leadContacts).values(records.leadContacts);
      await tx.insert(leadStatusChanges).values(records.leadStatusChanges);
      await tx.insert(deals).values(records.deals);
      await tx.insert(activities).values(records.activities);
      await tx.insert(tasks).values(records.tasks);
      await tx.insert(taskDependencies).values(records.taskDependencies);
    });
  } catch (error) {
    // Two processes starting on one empty database: the second one's users collide; it backs off.
    if (isUniqueViolation(error) && (await countUsers(db)) > 0) return false;
    throw error;
  }
  return true;
}

async function countUsers(db: Database): Promise<number> {
  const [row] = await db.select({ count: sql<number>`count(*)::int` }).from(users);
  return row?.count ?? 0;
}

function isUniqueViolation(error: unknown): boolean {
  for (let cause: unknown = error; cause; cause = (cause as { cause?: unknown }).cause) {
    if ((cause as { code?: unknown }).code === uniqueViolation) return true;
  }
  return false;
}
