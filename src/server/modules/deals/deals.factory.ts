import { asc, eq } from "drizzle-orm";
import { newId } from "../../lib/ids.ts";
import { testDatabase } from "../../test/create-test-app.ts";
import { companies } from "../companies/companies.table.ts";
import { outboxEvents } from "../outbox/outbox.table.ts";
import { workspaces } from "../workspaces/workspaces.table.ts";

export { defaultPipelineOf, stageNamed } from "../pipelines/pipelines.factory.ts";

/** A company written straight to the database, for tests that need one to reference. */
export async function makeCompany(
  workspaceId: string,
  name = `Acme ${newId()}`,
): Promise<{ id: string; name: string }> {
  const { db } = await testDatabase();
  const id = newId();
  await db.insert(companies).values({ workspaceId, id, name });
  return { id, name };
}

/** Sets a workspace's base currency (workspace settings are not this module's endpoints). */
export async function setBaseCurrency(workspaceId: string, currency: string): Promise<void> {
  const { db } = await testDatabase();
  await db.update(workspaces).set({ baseCurrency: currency }).where(eq(workspaces.id, workspaceId));
}

/** The outbox events of one record, oldest first. */
export async function eventsOf(resourceId: string): Promise<{ type: string; payload: unknown }[]> {
  const { db } = await testDatabase();
  return db
    .select({ type: outboxEvents.type, payload: outboxEvents.payload })
    .from(outboxEvents)
    .where(eq(outboxEvents.resourceId, resourceId))
    .orderBy(asc(outboxEvents.createdAt), asc(outboxEvents.id));
}
