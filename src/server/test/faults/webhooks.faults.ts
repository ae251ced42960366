/**
 * A webhook delivery whose worker dies mid-attempt: Keel on PostgreSQL is killed with SIGKILL
 * while a slow receiver holds the delivery's request, another Keel starts, and the event must
 * still arrive, with the same `webhook-id`, and show as delivered in the endpoint's log. pg-boss
 * runs the attempt's job again once it expires (`expireInSeconds`), so this takes a minute or two.
 * Run with `npm run test:faults`.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, expect, test } from "vitest";
import { sleep } from "../ports.ts";
import { startWebhookReceiver, type ReceiverAnswer, type WebhookReceiver } from "../webhook-receiver.ts";
import { signIn, startKeel, type KeelProcess } from "./keel-process.ts";
import { startPostgresCluster, type PostgresCluster } from "./postgres-cluster.ts";

let cluster: PostgresCluster;
let receiver: WebhookReceiver;
const running: KeelProcess[] = [];
// Both processes must open the secrets the other sealed.
const env = { WEBHOOK_ALLOWED_HOSTS: "127.0.0.1", ENCRYPTION_KEY: randomBytes(32).toString("hex"), LOG_LEVEL: "info" };

beforeAll(async () => {
  cluster = await startPostgresCluster();
  receiver = await startWebhookReceiver();
});

afterAll(async () => {
  for (const keel of running) await keel.stop();
  await receiver?.close();
  await cluster?.remove();
});

async function api(keel: KeelProcess, cookie: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${keel.baseUrl}/api/v1${path}`, {
    method,
    headers: { cookie, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  return JSON.parse(text) as Record<string, unknown>;
}

test("kill -9 of the worker during an attempt loses no event: the attempt is repeated with its webhook-id", async () => {
  const first = await startKeel({ databaseUrl: cluster.url }, env);
  running.push(first);
  const cookie = await signIn(first.baseUrl);
  const endpoint = await api(first, cookie, "POST", "/webhooks", { url: receiver.url, events: ["contact.created"] });

  // The first request is held and never answered; later ones are delivered.
  receiver.answerWith((_request, index) =>
    index === 0 ? new Promise<ReceiverAnswer>(() => undefined) : { status: 204 },
  );
  await api(first, cookie, "POST", "/contacts", { firstName: "Kill", lastName: "Nine" });
  const [held] = await receiver.waitFor((received) => received.length === 1, 30_000);
  await first.kill9();

  const second = await startKeel({ databaseUrl: cluster.url }, env);
  running.push(second);
  const [, repeated] = await receiver.waitFor((received) => received.length >= 2, 210_000);
  expect(repeated!.webhookId).toBe(held!.webhookId);
  expect(repeated!.body).toBe(held!.body);

  const secondCookie = await signIn(second.baseUrl);
  let log: { eventId: string; attempt: number; status: string }[] = [];
  for (let poll = 0; poll < 50 && !log.some((attempt) => attempt.status === "delivered"); poll++) {
    await sleep(200);
    log = (await api(second, secondCookie, "GET", `/webhooks/${String(endpoint.id)}/deliveries`)).data as typeof log;
  }
  // One attempt, logged once: the one the killed worker never finished.
  expect(log.map((attempt) => [attempt.eventId, attempt.attempt, attempt.status])).toEqual([
    [held!.webhookId, 1, "delivered"],
  ]);
  await sleep(2_000);
  expect(receiver.received).toHaveLength(2);
}, 300_000);
