import { and, eq, sql } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Webhook as WebhookEndpoint, WebhookDelivery } from "../../../shared/schemas/webhook.ts";
import { parseConfig } from "../../config.ts";
import { createLogger } from "../../http/logging.ts";
import { startWorkers, type JobRuntime } from "../../jobs/index.ts";
import { createTestApp, createTestWorkspace, testDatabase, type TestWorkspace } from "../../test/create-test-app.ts";
import { startWebhookReceiver, type WebhookReceiver } from "../../test/webhook-receiver.ts";
import { mailOutbox } from "../mail/mail.table.ts";
import { eventsRelay } from "../outbox/outbox.jobs.ts";
import { outboxEvents } from "../outbox/outbox.table.ts";
import { attemptId, deliverQueue } from "./webhooks.attempts.ts";
import { deliverWebhook, handOverEvents } from "./webhooks.jobs.ts";
import { failingReason, goneReason } from "./webhooks.log.ts";
import { webhookDeliveries, webhookEndpoints } from "./webhooks.table.ts";

/**
 * Deliveries end to end: changes through the API, the relay, the delivery job and real receivers
 * on loopback (allowed by WEBHOOK_ALLOWED_HOSTS), with a retry base of 50 ms so that a few
 * retries take well under a second.
 */

const env = { WEBHOOK_ALLOWED_HOSTS: "127.0.0.1,localhost", WEBHOOK_RETRY_BASE_SECONDS: "0.05" };
let app: FastifyInstance;
let runtime: JobRuntime;
const receivers: WebhookReceiver[] = [];

beforeAll(async () => {
  const config = parseConfig({ NODE_ENV: "test", LOG_LEVEL: "silent", ...env });
  runtime = await startWorkers({
    connection: await testDatabase(),
    config,
    logger: createLogger(config),
    definitions: [deliverWebhook],
    loops: [eventsRelay],
    stopTimeoutMs: 1_000,
  });
  app = await createTestApp({ env, jobs: runtime });
});

afterAll(async () => {
  await app?.close();
  await runtime?.stop();
  await Promise.all(receivers.map((receiver) => receiver.close()));
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(find: () => Promise<T | undefined | null | false>, timeoutMs = 20_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const found = await find();
    if (found) return found;
    if (Date.now() - started > timeoutMs) throw new Error("timed out");
    await sleep(100);
  }
}

async function receiver(): Promise<WebhookReceiver> {
  const started = await startWebhookReceiver();
  receivers.push(started);
  return started;
}

type Endpoint = { id: string; secret: string; url: string };

async function subscribe(ws: TestWorkspace, url: string, events: string[]): Promise<Endpoint> {
  const response = await ws.admin.client.post("/api/v1/webhooks", { url, events });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

async function createContact(ws: TestWorkspace): Promise<{ id: string }> {
  const suffix = Math.random().toString(36).slice(2, 10);
  const response = await ws.admin.client.post("/api/v1/contacts", {
    firstName: "Ana",
    lastName: `Souza ${suffix}`,
    email: `ana.${suffix}@example.com`,
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

async function deliveries(ws: TestWorkspace, endpointId: string, query = ""): Promise<WebhookDelivery[]> {
  const response = await ws.admin.client.get(`/api/v1/webhooks/${endpointId}/deliveries?limit=200${query}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json().data;
}

const endpointRow = async (workspaceId: string, id: string) => {
  const { db } = await testDatabase();
  const [row] = await db
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.workspaceId, workspaceId), eq(webhookEndpoints.id, id)));
  return row;
};

describe("delivering events", () => {
  it("delivers contact.created, signed so that the standardwebhooks library verifies it, and logs it", async () => {
    const ws = await createTestWorkspace(app);
    const hook = await receiver();
    const endpoint = await subscribe(ws, hook.url, ["contact.created"]);
    const contact = await createContact(ws);

    const [request] = await hook.waitFor((received) => received.length === 1);
    const verified = new Webhook(endpoint.secret).verify(request!.body, request!.headers as Record<string, string>);
    expect(verified).toMatchObject({ type: "contact.created", data: { record: { id: contact.id, firstName: "Ana" } } });
    expect(request!.headers["user-agent"]).toBe("Keel-Webhooks/1");
    const { db } = await testDatabase();
    const [event] = await db
      .select({ id: outboxEvents.id, createdAt: outboxEvents.createdAt })
      .from(outboxEvents)
      .where(and(eq(outboxEvents.workspaceId, ws.id), eq(outboxEvents.resourceId, contact.id)));
    expect(request!.webhookId).toBe(event!.id);
    expect(JSON.parse(request!.body).timestamp).toBe(event!.createdAt.toISOString());

    const log = await until(async () => {
      const found = await deliveries(ws, endpoint.id);
      return found.length === 1 && found;
    });
    expect(log[0]).toMatchObject({
      id: attemptId({ endpointId: endpoint.id, eventId: event!.id, attempt: 1 }, event!.createdAt),
      eventId: event!.id,
      eventType: "contact.created",
      attempt: 1,
      status: "delivered",
      responseCode: 204,
      error: null,
      nextAttemptAt: null,
    });
    expect(log[0]!.durationMs).toBeGreaterThanOrEqual(0);
  });

  it("retries a receiver that fails 3 times: 4 attempts with one webhook-id, exactly one success", async () => {
    const ws = await createTestWorkspace(app);
    const hook = await receiver();
    hook.answerWith((_request, index) =>
      index < 3 ? { status: 500, body: `down ${index}` } : { status: 200, body: "ok" },
    );
    const endpoint = await subscribe(ws, hook.url, ["contact.*"]);
    await createContact(ws);

    await hook.waitFor((received) => received.length === 4);
    expect(new Set(hook.received.map((request) => request.webhookId)).size).toBe(1);
    const log = await until(async () => {
      const found = await deliveries(ws, endpoint.id);
      return found.some((attempt) => attempt.status === "delivered") && found;
    });
    expect(log.map((attempt) => [attempt.attempt, attempt.status, attempt.responseCode])).toEqual([
      [4, "delivered", 200],
      [3, "failed", 500],
      [2, "failed", 500],
      [1, "failed", 500],
    ]);
    expect(log[1]).toMatchObject({ error: "HTTP 500", responseExcerpt: "down 2", nextAttemptAt: expect.any(String) });
    expect(log[0]!.nextAttemptAt).toBeNull();
    await sleep(1_000);
    expect(hook.received).toHaveLength(4);
    expect(await deliveries(ws, endpoint.id, "&status=delivered")).toHaveLength(1);
    expect((await endpointRow(ws.id, endpoint.id))?.failingSince).toBeNull();
  });

  it("turns an endpoint off at once when its receiver answers 410, and sends it nothing more", async () => {
    const ws = await createTestWorkspace(app);
    const hook = await receiver();
    hook.answerWith(() => ({ status: 410 }));
    const endpoint = await subscribe(ws, hook.url, ["*"]);
    await createContact(ws);
    await hook.waitFor((received) => received.length === 1);
    const disabled = await until(async () => {
      const webhook = (await ws.admin.client.get(`/api/v1/webhooks/${endpoint.id}`)).json<WebhookEndpoint>();
      return webhook.active ? null : webhook;
    });
    expect(disabled.disabledReason).toBe(goneReason);
    const [attempt] = await until(async () => {
      const found = await deliveries(ws, endpoint.id);
      return found.length > 0 && found;
    });
    expect(attempt).toMatchObject({ status: "gone", responseCode: 410, nextAttemptAt: null });
    await createContact(ws);
    await sleep(1_500);
    expect(hook.received).toHaveLength(1);
  });

  it("delivers nothing of a change that was rolled back", async () => {
    const ws = await createTestWorkspace(app);
    const hook = await receiver();
    const email = `taken.${Date.now()}@example.com`;
    await ws.admin.client.post("/api/v1/contacts", { firstName: "B", lastName: "C", email });
    await subscribe(ws, hook.url, ["contact.created", "company.created"]);
    // A vCard import is all or nothing: the first card's contact is created inside the
    // transaction, the second card's e-mail is taken, and the first is rolled back with it.
    const cards = [`FN:First Card\r\nEMAIL:first.${Date.now()}@example.com`, `FN:Clashing Card\r\nEMAIL:${email}`]
      .map((lines) => `BEGIN:VCARD\r\nVERSION:4.0\r\n${lines}\r\nEND:VCARD\r\n`)
      .join("");
    const imported = await ws.admin.client.post("/api/v1/contacts/vcards", cards, {
      "content-type": "text/vcard; charset=utf-8",
    });
    expect(imported.statusCode).toBe(409);
    await ws.admin.client.post("/api/v1/companies", { name: `After ${Date.now()}` });

    await hook.waitFor((received) => received.length >= 1);
    await sleep(1_000);
    expect(hook.received.map((request) => JSON.parse(request.body).type)).toEqual(["company.created"]);
  });

  it("sends events only to endpoints subscribed to them: exact types, resource.* and *", async () => {
    const ws = await createTestWorkspace(app);
    const [exact, wildcard, everything, other] = await Promise.all([receiver(), receiver(), receiver(), receiver()]);
    await subscribe(ws, exact!.url, ["contact.created"]);
    await subscribe(ws, wildcard!.url, ["contact.*"]);
    await subscribe(ws, everything!.url, ["*"]);
    await subscribe(ws, other!.url, ["company.created", "deal.*"]);
    await createContact(ws);
    for (const hook of [exact!, wildcard!, everything!]) await hook.waitFor((received) => received.length === 1);
    await sleep(1_000);
    expect(other!.received).toHaveLength(0);
  });
});

describe("secrets, tests and retries by hand", () => {
  it("signs with the new secret after a rotation, and no longer with the old one", async () => {
    const ws = await createTestWorkspace(app);
    const hook = await receiver();
    const endpoint = await subscribe(ws, hook.url, ["contact.created"]);
    const rotated = (await ws.admin.client.post(`/api/v1/webhooks/${endpoint.id}/rotate-secret`)).json();
    expect(rotated.secret).not.toBe(endpoint.secret);
    await createContact(ws);
    const [request] = await hook.waitFor((received) => received.length === 1);
    const headers = request!.headers as Record<string, string>;
    expect(() => new Webhook(rotated.secret).verify(request!.body, headers)).not.toThrow();
    expect(() => new Webhook(endpoint.secret).verify(request!.body, headers)).toThrow();
  });

  it("sends a webhook.test event to the one endpoint tested, and logs it", async () => {
    const ws = await createTestWorkspace(app);
    const [tested, bystander] = await Promise.all([receiver(), receiver()]);
    const endpoint = await subscribe(ws, tested!.url, ["deal.won"]);
    await subscribe(ws, bystander!.url, ["*"]);
    const response = await ws.admin.client.post(`/api/v1/webhooks/${endpoint.id}/test`);
    expect(response.statusCode, response.body).toBe(202);
    const { eventId, deliveryId } = response.json();
    const [request] = await tested!.waitFor((received) => received.length === 1);
    expect(request!.webhookId).toBe(eventId);
    const body = new Webhook(endpoint.secret).verify(request!.body, request!.headers as Record<string, string>);
    expect(body).toMatchObject({ type: "webhook.test", data: { webhookId: endpoint.id, message: expect.any(String) } });
    const [attempt] = await until(async () => {
      const found = await deliveries(ws, endpoint.id);
      return found.length === 1 && found;
    });
    expect(attempt).toMatchObject({ id: deliveryId, eventType: "webhook.test", status: "delivered" });
    await sleep(1_000);
    expect(bystander!.received).toHaveLength(0);
  });

  it("sends a delivery again by hand: a new attempt with the same webhook-id, never retried on its own", async () => {
    const ws = await createTestWorkspace(app);
    const hook = await receiver();
    const endpoint = await subscribe(ws, hook.url, ["contact.created"]);
    await createContact(ws);
    await hook.waitFor((received) => received.length === 1);
    const [first] = await until(async () => {
      const found = await deliveries(ws, endpoint.id);
      return found.length === 1 && found;
    });
    hook.answerWith(() => ({ status: 503, body: "busy" }));
    const retried = await ws.admin.client.post(`/api/v1/webhook-deliveries/${first!.id}/retry`);
    expect(retried.statusCode, retried.body).toBe(202);
    expect(retried.json().eventId).toBe(first!.eventId);

    await hook.waitFor((received) => received.length === 2);
    expect(hook.received[1]!.webhookId).toBe(hook.received[0]!.webhookId);
    const log = await until(async () => {
      const found = await deliveries(ws, endpoint.id);
      return found.length === 2 && found;
    });
    expect(log[0]).toMatchObject({
      id: retried.json().deliveryId,
      attempt: 2,
      status: "failed",
      responseCode: 503,
      nextAttemptAt: null,
    });
    await sleep(1_000);
    expect(hook.received).toHaveLength(2);
    // The endpoint is failing since that attempt; a success would clear it.
    expect((await endpointRow(ws.id, endpoint.id))?.failingSince).toBeInstanceOf(Date);
  });
});

describe("endpoints that keep failing", () => {
  it("turns off an endpoint failing for 5 days and e-mails the workspace's admins", async () => {
    const ws = await createTestWorkspace(app);
    const hook = await receiver();
    hook.answerWith(() => ({ status: 500 }));
    const endpoint = await subscribe(ws, hook.url, ["contact.created"]);
    const { db } = await testDatabase();
    await db
      .update(webhookEndpoints)
      .set({ failingSince: sql`now() - interval '5 days 1 minute'` })
      .where(and(eq(webhookEndpoints.workspaceId, ws.id), eq(webhookEndpoints.id, endpoint.id)));
    await createContact(ws);

    const disabled = await until(async () => {
      const row = await endpointRow(ws.id, endpoint.id);
      return row?.active === false ? row : null;
    });
    expect(disabled.disabledReason).toBe(failingReason);
    const mail = await until(async () => {
      const rows = await db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, ws.admin.email));
      return rows.length > 0 && rows;
    });
    expect(mail[0]!.subject).toBe("Keel turned off a webhook endpoint of Test workspace");
    expect(mail[0]!.textBody).toContain(hook.url);
    for (const member of [ws.manager, ws.agent, ws.viewer]) {
      expect(await db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, member.email))).toEqual([]);
    }
    // Turned off: the retries the failure scheduled are skipped.
    await sleep(1_000);
    expect(hook.received).toHaveLength(1);

    const reactivated = await ws.admin.client.patch(`/api/v1/webhooks/${endpoint.id}`, { active: true });
    expect(reactivated.json()).toMatchObject({ active: true, disabledReason: null, failingSince: null });
  });
});

describe("the delivery job and the relay, run again", () => {
  it("logs an attempt once when its job runs twice, and the second run sends nothing", async () => {
    const ws = await createTestWorkspace(app);
    const hook = await receiver();
    const endpoint = await subscribe(ws, hook.url, ["webhook.test"]);
    const { db } = await testDatabase();
    const [event] = await db
      .insert(outboxEvents)
      .values({
        workspaceId: ws.id,
        id: crypto.randomUUID(),
        type: "webhook.test",
        resourceType: "webhook",
        resourceId: endpoint.id,
        payload: { webhookId: endpoint.id, message: "twice" },
        publishedAt: new Date(),
      })
      .returning();
    const data = { workspaceId: ws.id, endpointId: endpoint.id, eventId: event!.id, attempt: 1 };
    const id = attemptId(data, event!.createdAt);
    const config = parseConfig({ NODE_ENV: "test", LOG_LEVEL: "silent", ...env });
    const deps = { db, config, logger: createLogger(config), send: runtime.send, sendBatch: runtime.sendBatch };
    const run = { id, queue: deliverQueue, data, retryCount: 0, signal: new AbortController().signal };
    await deliverWebhook.handler(run, deps);
    await deliverWebhook.handler({ ...run, retryCount: 1 }, deps);
    expect(hook.received).toHaveLength(1);
    const rows = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.eventId, event!.id));
    expect(rows.map((row) => [row.id, row.status])).toEqual([[id, "delivered"]]);
  });

  it("hands an event over once however often the relay sends it: the job id is the attempt's", async () => {
    const ws = await createTestWorkspace(app);
    const hook = await receiver();
    const endpoint = await subscribe(ws, hook.url, ["contact.created"]);
    const { db } = await testDatabase();
    const event = { workspaceId: ws.id, id: crypto.randomUUID(), type: "contact.created", createdAt: new Date() };
    const inserted: number[] = [];
    const sendBatch: JobRuntime["sendBatch"] = async (...args) => {
      const count = await runtime.sendBatch(...args);
      inserted.push(count);
      return count;
    };
    expect(await handOverEvents({ db, sendBatch }, [event])).toBe(1);
    expect(await handOverEvents({ db, sendBatch }, [event])).toBe(1);
    // The second hand-over sent the same job id: pg-boss skipped it.
    expect(inserted).toEqual([1, 0]);
    const id = attemptId({ endpointId: endpoint.id, eventId: event.id, attempt: 1 }, event.createdAt);
    const jobs = (await db.execute(
      sql`select count(*)::int as n from pgboss.job where id = ${id}::uuid`,
    )) as unknown as {
      rows: { n: number }[];
    };
    expect(jobs.rows[0]?.n).toBe(1);
  });
});
