import type { Deal } from "../../../shared/schemas/deal.ts";
import type { ConvertLead } from "../../../shared/schemas/lead.ts";
import type { Transaction } from "../../db/client.ts";
import type { RequestContext } from "../../lib/context.ts";
import { dealType } from "../deals/index.ts";
import { createRecordIn } from "../records/index.ts";
import { withPathPrefix } from "./leads.checks.ts";
import type { LeadRow } from "./leads.repository.ts";

/**
 * Creates the deal a lead converts into, through the deals module so it follows every deal rule
 * (placement, stage-derived status, events). Defaults come from the lead: its title, estimated
 * value (else 0) and currency (else the workspace's base currency). Errors name `deal.<field>`.
 */
export function insertLeadDeal(
  tx: Transaction,
  ctx: RequestContext,
  input: ConvertLead["deal"],
  lead: LeadRow,
  links: { companyId: string | null; contactId: string | null; ownerId: string },
): Promise<Deal> {
  return withPathPrefix("deal", () =>
    createRecordIn(tx, ctx, dealType, {
      name: input.name ?? lead.title,
      value: input.value ?? lead.estimatedValue ?? "0",
      currency: input.currency ?? lead.currency ?? undefined,
      pipelineId: input.pipelineId,
      stageId: input.stageId,
      expectedCloseDate: input.expectedCloseDate ?? null,
      leadId: lead.id,
      tags: input.tags,
      ...links,
    }),
  );
}
