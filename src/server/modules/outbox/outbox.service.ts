import type { Transaction } from "../../db/client.ts";
import type { RequestContext } from "../../lib/context.ts";
import { newId } from "../../lib/ids.ts";
import { outboxEvents } from "./outbox.table.ts";

/**
 * Records a domain event (`contact.created`, `lead.converted`…) in the caller's transaction, so it
 * exists exactly when the change does. Publishing (webhooks, workflows) reads the outbox later.
 */
export async function enqueueEvent(
  tx: Transaction,
  ctx: RequestContext,
  event: { type: string; resourceId: string; payload: unknown },
): Promise<void> {
  await tx.insert(outboxEvents).values({
    workspaceId: ctx.workspaceId,
    id: newId(),
    type: event.type,
    resourceType: event.type.split(".")[0] ?? event.type,
    resourceId: event.resourceId,
    actorId: ctx.actor.userId,
    payload: event.payload,
  });
}
