export { enqueueEvent, type DomainEvent } from "./outbox.service.ts";
