import type { Transaction } from "../../db/client.ts";
import { newId } from "../../lib/ids.ts";
import { pipelineStages, pipelines } from "./pipelines.table.ts";

/** The stages every new workspace starts with; admins rename or replace them. */
export const defaultStages = [
  { name: "Lead", probability: 10, isWon: false, isLost: false },
  { name: "Qualified", probability: 25, isWon: false, isLost: false },
  { name: "Proposal", probability: 50, isWon: false, isLost: false },
  { name: "Negotiation", probability: 75, isWon: false, isLost: false },
  { name: "Closed won", probability: 100, isWon: true, isLost: false },
  { name: "Closed lost", probability: 0, isWon: false, isLost: true },
] as const;

/** Creates the default "Sales" pipeline of a new workspace; returns its id. */
export async function insertDefaultPipeline(
  tx: Transaction,
  workspaceId: string,
  createdBy: string | null,
): Promise<string> {
  const pipelineId = newId();
  await tx.insert(pipelines).values({ workspaceId, id: pipelineId, name: "Sales", isDefault: true, createdBy });
  await tx
    .insert(pipelineStages)
    .values(defaultStages.map((stage, position) => ({ workspaceId, id: newId(), pipelineId, position, ...stage })));
  return pipelineId;
}
