import type { EventPayload, EventType } from "../../../shared/events.ts";
import { eventCatalogue, resourceOfEvent } from "../../../shared/events.ts";
import type { Transaction } from "../../db/client.ts";
import type { RequestContext } from "../../lib/context.ts";
import { newId } from "../../lib/ids.ts";
import { outboxEvents } from "./outbox.table.ts";

/** One event of the catalogue with its payload, as a use case emits it. */
export type DomainEvent = { [T in EventType]: { type: T; resourceId: string; payload: EventPayload<T> } }[EventType];

/**
 * Records a domain event of the catalogue (src/shared/events.ts) in the caller's transaction, so
 * it exists exactly when the change does. The relay publishes it later (webhooks, live updates).
 */
export async function enqueueEvent(tx: Transaction, ctx: RequestContext, event: DomainEvent): Promise<void> {
  await tx.insert(outboxEvents).values({
    workspaceId: ctx.workspaceId,
    id: newId(),
    type: event.type,
    version: eventCatalogue[event.type].version,
    resourceType: resourceOfEvent(event.type),
    resourceId: event.resourceId,
    actorId: ctx.actor.userId,
    payload: event.payload,
  });
}
