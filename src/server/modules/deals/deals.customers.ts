import type { Transaction } from "../../db/client.ts";
import { findRecord } from "../../db/records.ts";
import type { RequestContext } from "../../lib/context.ts";
import { contactType } from "../contacts/contacts.service.ts";
import { contacts } from "../contacts/contacts.table.ts";
import { updateLockedRecord } from "../records/index.ts";
import { readWorkspaceSettings } from "../workspaces/index.ts";
import type { deals } from "./deals.table.ts";

type DealRow = typeof deals.$inferSelect;

/**
 * A deal that becomes won makes its contact a customer, unless the workspace turned that off
 * (`customerOnWonDeal`). The contact changes through the one write path in the deal's transaction,
 * so it has its own audit entry and `contact.updated` event; whoever won the deal may not own the
 * contact, which is why no permission on it is asked: this is the deal's consequence, not an edit.
 * A contact already a customer, deleted or absent is left alone.
 */
export async function makeContactCustomerOfWonDeal(
  tx: Transaction,
  ctx: RequestContext,
  before: DealRow | null,
  after: DealRow,
): Promise<void> {
  if (after.status !== "won" || before?.status === "won" || !after.contactId) return;
  if (!(await readWorkspaceSettings(tx, ctx.workspaceId)).customerOnWonDeal) return;
  const contact = await findRecord(tx, contacts, ctx.workspaceId, after.contactId, { forUpdate: true });
  if (!contact || contact.lifecycle === "customer") return;
  await updateLockedRecord(tx, ctx, contactType, contact, { lifecycle: "customer" });
}
