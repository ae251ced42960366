export {
  enqueueEvent,
  eventActorId,
  eventRow,
  findEvent,
  type EventSource,
  type DomainEvent,
  type RecordedEvent,
} from "./outbox.service.ts";
