import { resourceOfEvent, type EventType } from "../../../shared/events.ts";
import type { Config } from "../../config.ts";
import type { JobDefinition, JobDependencies, SendJob } from "../../jobs/index.ts";
import { createSecretBox, loadEncryptionKey, type SecretBox } from "../../lib/secret-box.ts";
import { sendMail } from "../mail/index.ts";
import { attemptJob, deliverQueue, sendAttempt, type DeliverJobData } from "./webhooks.attempts.ts";
import {
  failingDaysBeforeDisabling,
  findAdminsToTell,
  listActiveEndpoints,
  loadAttempt,
  logAttempt,
} from "./webhooks.log.ts";
import { retryDelayMs } from "./webhooks.schedule.ts";
import { DEFAULT_DELIVERY_TIMEOUT_MS, sendWebhook } from "./webhooks.send.ts";

const secretBoxes = new WeakMap<Config, SecretBox>();

/** The secret box of this configuration's key: the one the API sealed endpoint secrets with. */
function secretBoxOf(config: Config): SecretBox {
  let box = secretBoxes.get(config);
  if (!box) {
    box = createSecretBox(loadEncryptionKey(config));
    secretBoxes.set(config, box);
  }
  return box;
}

/** Whether an endpoint's selectors (exact types, `resource.*`, `*`) take an event type. */
export function isSubscribed(selectors: readonly string[], type: string): boolean {
  return selectors.some(
    (selector) => selector === "*" || selector === type || selector === `${resourceOfEvent(type as EventType)}.*`,
  );
}

/** An event the relay hands over: which workspace, which type, and when it happened. */
export type PublishedEvent = { workspaceId: string; id: string; type: string; createdAt: Date };

/** Jobs one statement of the relay inserts. */
const handOverChunk = 1_000;

/**
 * Hands events to the webhook endpoints subscribed to them: for each event and each active
 * endpoint of its workspace that subscribes to its type (and existed when it happened), the job
 * of its first attempt, in the order of the events, a thousand jobs per statement (one commit
 * each, not one per job). Sending again is harmless (see attemptId). Answers how many jobs it
 * sent, new or not. Outside any transaction.
 */
export async function handOverEvents(
  deps: Pick<JobDependencies, "db" | "sendBatch">,
  events: readonly PublishedEvent[],
): Promise<number> {
  const workspaceIds = [...new Set(events.map((event) => event.workspaceId))];
  const endpoints = await listActiveEndpoints(deps.db, workspaceIds);
  const jobs = events.flatMap((event) =>
    endpoints
      .filter(
        (endpoint) =>
          endpoint.workspaceId === event.workspaceId &&
          endpoint.createdAt <= event.createdAt &&
          isSubscribed(endpoint.events, event.type),
      )
      .map((endpoint) =>
        attemptJob(
          { workspaceId: event.workspaceId, endpointId: endpoint.id, eventId: event.id, attempt: 1 },
          event.createdAt,
        ),
      ),
  );
  for (let start = 0; start < jobs.length; start += handOverChunk) {
    await deps.sendBatch(deliverQueue, jobs.slice(start, start + handOverChunk));
  }
  return jobs.length;
}

/** Schedules the next attempt after a failed one, unless the retry schedule has ended. */
async function scheduleNext(send: SendJob, data: DeliverJobData, nextAttemptAt: Date | null): Promise<void> {
  if (!nextAttemptAt) return;
  const { workspaceId, endpointId, eventId } = data;
  await sendAttempt(send, { workspaceId, endpointId, eventId, attempt: data.attempt + 1 }, nextAttemptAt);
}

/**
 * Makes one delivery attempt of one event to one endpoint: skipped when the endpoint is deleted
 * or off, or (automatic attempts) when the event was delivered already; logged in
 * webhook_deliveries; a failure schedules the next attempt by the retry schedule
 * (WEBHOOK_RETRY_BASE_SECONDS) until it ends. The job's id is the attempt's: when a worker dies
 * during an attempt, pg-boss runs the job again (after `expireInSeconds`), which repeats the
 * attempt with the same `webhook-id`; when it died after logging it, the run again only schedules
 * what was left to schedule. Delivery outcomes never throw: only a lost database does.
 */
export const deliverWebhook: JobDefinition<DeliverJobData & { workspaceId: string }> = {
  name: deliverQueue,
  options: {
    retryLimit: 10,
    retryDelay: 5,
    retryBackoff: true,
    retryDelayMax: 600,
    // An attempt takes at most 15 s (DEFAULT_DELIVERY_TIMEOUT_MS) and two short writes.
    expireInSeconds: 45,
    // Up to 4 batches of 10 attempts at once per process, fetched again at once while they come full.
    concurrency: 4,
    batchSize: 10,
    pollingIntervalSeconds: 0.5,
  },
  async handler(job, deps) {
    const { db, config, logger } = deps;
    const data = job.data;
    const { workspaceId, endpointId, eventId, attempt } = data;
    const isByHand = data.byHand === true;

    const { logged, endpoint, event, isDelivered } = await loadAttempt(db, workspaceId, {
      attemptId: job.id,
      endpointId,
      eventId,
    });
    if (logged) {
      if (logged.status === "failed") await scheduleNext(deps.send, data, logged.nextAttemptAt);
      return;
    }
    if (!endpoint?.active) {
      logger.info({ endpointId, eventId }, "webhook endpoint deleted or turned off: attempt skipped");
      return;
    }
    if (!isByHand && isDelivered) return;
    if (!event) {
      logger.warn({ endpointId, eventId }, "webhook event no longer kept: attempt skipped");
      return;
    }

    const result = await sendWebhook(
      {
        url: endpoint.url,
        secret: secretBoxOf(config).open(endpoint.secretSealed),
        id: event.id,
        type: event.type,
        timestamp: event.createdAt,
        data: event.payload,
      },
      { allowedHosts: config.webhookAllowedHosts, timeoutMs: DEFAULT_DELIVERY_TIMEOUT_MS },
    );
    const delayMs =
      result.outcome === "failed" && !isByHand
        ? retryDelayMs(attempt + 1, { baseSeconds: config.webhookRetryBaseSeconds })
        : null;
    const nextAttemptAt = delayMs === null ? null : new Date(Date.now() + delayMs);
    const { isLogged, disabled } = await logAttempt(db, {
      workspaceId,
      id: job.id,
      endpointId,
      eventId,
      eventType: event.type,
      attempt,
      result,
      nextAttemptAt,
    });
    if (!isLogged) return;
    logger.info(
      { endpointId, eventId, attempt, outcome: result.outcome, statusCode: result.statusCode },
      "webhook attempt",
    );
    await scheduleNext(deps.send, data, nextAttemptAt);
    if (disabled === "failing") await tellAdmins(deps, workspaceId, endpoint.url);
  },
};

/** E-mails the workspace's admins that an endpoint was turned off after days of failures. */
async function tellAdmins(deps: JobDependencies, workspaceId: string, url: string): Promise<void> {
  const { workspaceName, emails } = await findAdminsToTell(deps.db, workspaceId);
  const page = deps.config.publicUrl ? `${deps.config.publicUrl}/admin/integrations` : "Settings → Integrations";
  for (const to of emails) {
    await sendMail(
      { db: deps.db, config: deps.config, log: deps.logger },
      {
        to,
        subject: `Keel turned off a webhook endpoint of ${workspaceName}`,
        text:
          `Hello,\n\nEvery delivery to this webhook endpoint of the workspace “${workspaceName}” has failed ` +
          `for ${failingDaysBeforeDisabling} days:\n\n${url}\n\n` +
          "Keel turned the endpoint off and sends it nothing more. Its delivery log shows why the attempts " +
          `failed. Once the receiver works again, turn the endpoint back on:\n\n${page}\n`,
      },
    );
  }
}
