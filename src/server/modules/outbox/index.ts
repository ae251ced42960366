export { enqueueEvent, findEvent, type DomainEvent, type RecordedEvent } from "./outbox.service.ts";
