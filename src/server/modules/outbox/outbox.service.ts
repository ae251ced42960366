import { and, eq } from "drizzle-orm";
import type { EventPayload, EventType } from "../../../shared/events.ts";
import { eventCatalogue, resourceOfEvent } from "../../../shared/events.ts";
import type { Database, Transaction } from "../../db/client.ts";
import type { RequestContext, SystemActor } from "../../lib/context.ts";
import { newId } from "../../lib/ids.ts";
import { outboxEvents } from "./outbox.table.ts";

/** One event of the catalogue with its payload, as a use case emits it. */
export type DomainEvent = { [T in EventType]: { type: T; resourceId: string; payload: EventPayload<T> } }[EventType];

/** An event as it was recorded: what deliveries send. */
export type RecordedEvent = { id: string; type: string; payload: unknown; createdAt: Date };

/**
 * Records a domain event of the catalogue (src/shared/events.ts) in the caller's transaction, so
 * it exists exactly when the change does. The relay publishes it later (webhooks, live updates).
 * `isDirect`: an event its use case sends to one subscriber itself (`webhook.test`): recorded
 * already published, so the relay never hands it to anyone else. Answers its id and time.
 */
export async function enqueueEvent(
  tx: Transaction,
  ctx: EventSource,
  event: DomainEvent,
  { isDirect = false }: { isDirect?: boolean } = {},
): Promise<{ id: string; createdAt: Date }> {
  const [recorded] = await tx
    .insert(outboxEvents)
    .values({ ...eventRow(ctx, event), ...(isDirect ? { publishedAt: new Date() } : {}) })
    .returning({ id: outboxEvents.id, createdAt: outboxEvents.createdAt });
  if (!recorded) throw new Error("outbox insert returned nothing");
  return recorded;
}

/** Who an event comes from: the workspace, and a person, an API key or Keel itself. */
export type EventSource = Pick<RequestContext, "workspaceId"> & { actor: RequestContext["actor"] | SystemActor };

/** The outbox row of an event, for a caller that inserts it with other rows (recordFact). */
/** Who an event says acted: the person (an API key's creator), none for the system. */
export function eventActorId(ctx: EventSource): string | null {
  return ctx.actor.kind === "system" ? null : ctx.actor.userId;
}

export function eventRow(ctx: EventSource, event: DomainEvent) {
  return {
    workspaceId: ctx.workspaceId,
    id: newId(),
    type: event.type,
    version: eventCatalogue[event.type].version,
    resourceType: resourceOfEvent(event.type),
    resourceId: event.resourceId,
    actorId: eventActorId(ctx),
    payload: event.payload,
  };
}

/** An event of the workspace by id, or null once it has been pruned (OUTBOX_RETENTION_DAYS). */
export async function findEvent(
  db: Database | Transaction,
  workspaceId: string,
  id: string,
): Promise<RecordedEvent | null> {
  const [row] = await db
    .select({
      id: outboxEvents.id,
      type: outboxEvents.type,
      payload: outboxEvents.payload,
      createdAt: outboxEvents.createdAt,
    })
    .from(outboxEvents)
    .where(and(eq(outboxEvents.workspaceId, workspaceId), eq(outboxEvents.id, id)));
  return row ?? null;
}
