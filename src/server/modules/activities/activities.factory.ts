import { eq } from "drizzle-orm";
import { newId } from "../../lib/ids.ts";
import type { TestWorkspace } from "../../test/create-test-app.ts";
import { testDatabase } from "../../test/create-test-app.ts";
import { companies } from "../companies/companies.table.ts";
import { deals } from "../deals/deals.table.ts";
import { leads } from "../leads/leads.table.ts";
import { pipelineStages } from "../pipelines/pipelines.table.ts";

/** One record of each linkable type in a workspace: what activities and tasks point at. */
export type LinkTargets = { contactId: string; leadId: string; dealId: string; companyId: string };

const unique = () => Math.random().toString(36).slice(2, 10);

/**
 * Test data: a contact through the API, and a company, lead and deal as rows (their modules are
 * built separately, so tests here do not depend on their endpoints).
 */
export async function makeLinkTargets(ws: TestWorkspace): Promise<LinkTargets> {
  const { db } = await testDatabase();
  const contact = await ws.admin.client.post("/api/v1/contacts", {
    firstName: "Grace",
    lastName: `Hopper ${unique()}`,
  });
  if (contact.statusCode !== 201) throw new Error(`contact not created: ${contact.body}`);
  const workspaceId = ws.id;
  const createdBy = ws.admin.userId;
  const companyId = newId();
  await db.insert(companies).values({ workspaceId, id: companyId, name: `Acme ${unique()}`, createdBy });
  const leadId = newId();
  await db.insert(leads).values({ workspaceId, id: leadId, title: `Lead ${unique()}`, createdBy });
  const [stage] = await db
    .select({ id: pipelineStages.id, pipelineId: pipelineStages.pipelineId })
    .from(pipelineStages)
    .where(eq(pipelineStages.workspaceId, workspaceId))
    .limit(1);
  if (!stage) throw new Error("the workspace has no pipeline stage");
  const dealId = newId();
  await db.insert(deals).values({
    workspaceId,
    id: dealId,
    name: `Deal ${unique()}`,
    currency: "EUR",
    pipelineId: stage.pipelineId,
    stageId: stage.id,
    createdBy,
  });
  return { contactId: contact.json().id, leadId, dealId, companyId };
}
