export { enqueueEvent } from "./outbox.service.ts";
