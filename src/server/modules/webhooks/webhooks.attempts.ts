import { createHash } from "node:crypto";
import type { SendJob, SendOptions } from "../../jobs/index.ts";

/** The queue of delivery attempts: one job per attempt of one event to one endpoint. */
export const deliverQueue = "webhooks.deliver";

/**
 * What a delivery job carries: ids only (the event and the secret are read when it runs).
 * `byHand`: a retry an admin asked for, one attempt with no automatic retries after it.
 */
export type DeliverJobData = {
  workspaceId: string;
  endpointId: string;
  eventId: string;
  attempt: number;
  byHand?: boolean;
};

/**
 * The id of one delivery attempt: of the job that makes it and of the row that logs it. It has
 * the layout of a UUIDv7 whose time is when the attempt is due (the delivery log pages newest
 * first by id), and the rest of its bits are a hash of endpoint, event, attempt and `kind`. So it
 * is the same whoever computes it again: a relay that crashed after sending its jobs and before
 * marking its events published sends the same ids, and pg-boss keeps one job per id; a job run
 * again after its worker died logs its attempt under the same id, once.
 */
export function attemptId(
  { endpointId, eventId, attempt }: { endpointId: string; eventId: string; attempt: number },
  dueAt: Date,
  kind: "scheduled" | "by-hand" = "scheduled",
): string {
  const bytes = createHash("sha256").update(`${endpointId}/${eventId}/${attempt}/${kind}`).digest().subarray(0, 16);
  bytes.writeUIntBE(Math.max(0, Math.trunc(dueAt.getTime())), 0, 6);
  bytes[6] = 0x70 | ((bytes[6] ?? 0) & 0x0f);
  bytes[8] = 0x80 | ((bytes[8] ?? 0) & 0x3f);
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The job of one attempt, due at `dueAt`, under the attempt's id. */
export function attemptJob(
  data: DeliverJobData,
  dueAt: Date,
  kind: "scheduled" | "by-hand" = "scheduled",
): { data: DeliverJobData; options: SendOptions & { id: string } } {
  const id = attemptId(data, dueAt, kind);
  return { data: { ...data }, options: { id, ...(dueAt.getTime() > Date.now() ? { startAfter: dueAt } : {}) } };
}

/**
 * Sends the job of one attempt, due at `dueAt`; answers its id (the delivery's). Sending the same
 * attempt again is harmless: pg-boss answers null for an id it already has. Never call this
 * inside a database transaction (see SendJob).
 */
export async function sendAttempt(
  send: SendJob,
  data: DeliverJobData,
  dueAt: Date,
  kind: "scheduled" | "by-hand" = "scheduled",
): Promise<string> {
  const job = attemptJob(data, dueAt, kind);
  await send(deliverQueue, job.data, job.options);
  return job.options.id;
}
