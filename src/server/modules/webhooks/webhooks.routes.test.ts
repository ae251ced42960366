import { Writable } from "node:stream";
import { and, eq, sql } from "drizzle-orm";
import type { FastifyInstance, InjectOptions } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Webhook, WebhookDelivery, WebhookWithSecret } from "../../../shared/schemas/webhook.ts";
import { newId } from "../../lib/ids.ts";
import { createTestApp, createTestWorkspace, testDatabase, type TestWorkspace } from "../../test/create-test-app.ts";
import { startWebhookReceiver, type WebhookReceiver } from "../../test/webhook-receiver.ts";
import { auditLogs } from "../audit/audit.table.ts";
import { outboxEvents } from "../outbox/outbox.table.ts";
import { attemptId } from "./webhooks.attempts.ts";
import { webhookDeliveries, webhookEndpoints } from "./webhooks.table.ts";

/**
 * The webhooks API: its contract, who may call it, tenant isolation, and where the secret shows
 * (creation and rotation answers only: never GET, logs or the audit log). Nothing works the jobs
 * here (webhooks.delivery.test.ts delivers); the receiver only gives endpoints a live URL.
 */

let app: FastifyInstance;
let strictApp: FastifyInstance;
let ws: TestWorkspace;
let other: TestWorkspace;
let hook: WebhookReceiver;
const logLines: string[] = [];

beforeAll(async () => {
  const logStream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(chunk.toString());
      done();
    },
  });
  app = await createTestApp({
    env: { WEBHOOK_ALLOWED_HOSTS: "127.0.0.1,localhost", LOG_LEVEL: "trace" },
    logStream,
  });
  // The defaults: no host allowed, so loopback and private addresses are refused.
  strictApp = await createTestApp();
  ws = await createTestWorkspace(app);
  other = await createTestWorkspace(app, "Other");
  hook = await startWebhookReceiver();
});

afterAll(async () => {
  await app?.close();
  await strictApp?.close();
  await hook?.close();
});

async function create(workspace = ws, body: Record<string, unknown> = {}): Promise<WebhookWithSecret> {
  const response = await workspace.admin.client.post("/api/v1/webhooks", {
    url: hook.url,
    events: ["contact.created"],
    ...body,
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

/** Logs an attempt as the delivery job would (the API only reads the log). */
async function logAttempt(
  workspaceId: string,
  endpointId: string,
  values: Partial<typeof webhookDeliveries.$inferInsert> & { at: Date; eventId?: string },
): Promise<string> {
  const { db } = await testDatabase();
  const eventId = values.eventId ?? newId();
  const id = attemptId({ endpointId, eventId, attempt: values.attempt ?? 1 }, values.at);
  await db.insert(webhookDeliveries).values({
    workspaceId,
    id,
    endpointId,
    eventId,
    eventType: "contact.created",
    attempt: 1,
    status: "delivered",
    durationMs: 12,
    createdAt: values.at,
    ...values,
  });
  return id;
}

async function auditOf(resourceId: string) {
  const { db } = await testDatabase();
  return db
    .select()
    .from(auditLogs)
    .where(and(eq(auditLogs.workspaceId, ws.id), eq(auditLogs.resourceId, resourceId)))
    .orderBy(auditLogs.occurredAt);
}

describe("POST /api/v1/webhooks", () => {
  it("creates an endpoint and shows its secret this once, sealed in the database", async () => {
    const response = await ws.admin.client.post("/api/v1/webhooks", {
      url: hook.url,
      events: ["deal.won", "contact.*", "deal.won"],
      description: "Enrolled students to the LMS",
    });
    expect(response.statusCode, response.body).toBe(201);
    const created: WebhookWithSecret = response.json();
    expect(response.headers.location).toBe(`/api/v1/webhooks/${created.id}`);
    expect(created).toMatchObject({
      url: hook.url,
      events: ["deal.won", "contact.*"],
      description: "Enrolled students to the LMS",
      active: true,
      disabledReason: null,
      failingSince: null,
      createdBy: ws.admin.userId,
    });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);

    const read = await ws.admin.client.get(`/api/v1/webhooks/${created.id}`);
    expect(read.json()).toEqual(Object.fromEntries(Object.entries(created).filter(([key]) => key !== "secret")));
    const { db } = await testDatabase();
    const [row] = await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, created.id));
    expect(row!.secretSealed).toMatch(/^v1\./);
    expect(row!.secretSealed).not.toContain(created.secret.slice(6));
  });

  it("answers 400 naming the field: unknown events, no events, an empty URL, unknown fields", async () => {
    for (const [body, path] of [
      [{ url: hook.url, events: ["contact.exploded"] }, "events.0"],
      [{ url: hook.url, events: [] }, "events"],
      [{ url: "", events: ["*"] }, "url"],
      [{ url: hook.url, events: ["*"], secret: "whsec_mine" }, "secret"],
    ] as const) {
      const response = await ws.admin.client.post("/api/v1/webhooks", body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.json().errors.map((error: { path: string }) => error.path)).toContain(path);
    }
  });

  it("refuses loopback and private destinations unless their host is allowed (400 on url)", async () => {
    const strictAdmin = (await createTestWorkspace(strictApp)).admin;
    for (const [url, message] of [
      [`http://localhost:${hook.port}/hook`, "The URL's host resolves to a loopback address"],
      [`http://127.0.0.1:${hook.port}/hook`, "The URL's host is a loopback address"],
      ["http://10.1.2.3/hook", "The URL's host is a private address"],
      ["http://user:pass@example.com/hook", "Remove the user name and password"],
      ["ftp://example.com/hook", "Use an https:// or http:// URL."],
    ]) {
      const response = await strictAdmin.client.post("/api/v1/webhooks", { url, events: ["*"] });
      expect(response.statusCode, url).toBe(400);
      expect(response.json().errors[0].path, url).toBe("url");
      expect(response.json().errors[0].message, url).toContain(message);
    }
    // WEBHOOK_ALLOWED_HOSTS=127.0.0.1,localhost: the same loopback URLs are accepted.
    await create(ws, { url: `http://localhost:${hook.port}/hook` });
    const privateUrl = await ws.admin.client.post("/api/v1/webhooks", { url: "http://10.1.2.3/hook", events: ["*"] });
    expect(privateUrl.statusCode).toBe(400);
  });

  it("audits the creation with the URL and events, never the secret", async () => {
    const created = await create();
    const [entry] = await auditOf(created.id);
    expect(entry).toMatchObject({ action: "webhook.created", resourceType: "webhook", actorId: ws.admin.userId });
    expect(entry!.changes).toMatchObject({ url: [null, hook.url], events: [null, ["contact.created"]] });
    expect(JSON.stringify(entry)).not.toContain(created.secret);
  });
});

describe("GET /api/v1/webhooks", () => {
  it("lists the workspace's endpoints newest first, by cursor, without secrets", async () => {
    const workspace = await createTestWorkspace(app, "Listing");
    const [first, second, third] = [await create(workspace), await create(workspace), await create(workspace)];
    const page = await workspace.admin.client.get("/api/v1/webhooks?limit=2");
    expect(page.statusCode).toBe(200);
    expect(page.json().data.map((webhook: Webhook) => webhook.id)).toEqual([third.id, second.id]);
    const next = await workspace.admin.client.get(`/api/v1/webhooks?limit=2&cursor=${page.json().nextCursor}`);
    expect(next.json()).toEqual({ data: [expect.objectContaining({ id: first.id })], nextCursor: null });
    for (const body of [page.body, next.body]) {
      expect(body).not.toContain("whsec_");
      expect(body).not.toContain("secret");
    }
    expect((await workspace.admin.client.get("/api/v1/webhooks?cursor=abc")).json().errors[0].path).toBe("cursor");
  });
});

describe("PATCH /api/v1/webhooks/:id", () => {
  it("changes the URL (checked again), events and description, and audits the changes", async () => {
    const created = await create();
    const url = `http://localhost:${hook.port}/other`;
    const response = await ws.admin.client.patch(`/api/v1/webhooks/${created.id}`, {
      url,
      events: ["deal.*"],
      description: "Deals",
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ url, events: ["deal.*"], description: "Deals" });
    const refused = await ws.admin.client.patch(`/api/v1/webhooks/${created.id}`, { url: "http://192.168.1.1/" });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors[0].path).toBe("url");
    const entries = await auditOf(created.id);
    expect(entries.map((entry) => entry.action)).toEqual(["webhook.created", "webhook.updated"]);
    expect(entries[1]!.changes).toEqual({
      url: [hook.url, url],
      events: [["contact.created"], ["deal.*"]],
      description: [null, "Deals"],
    });
  });

  it("turns an endpoint off and back on; turning on clears disabledReason and failingSince", async () => {
    const created = await create();
    const off = await ws.admin.client.patch(`/api/v1/webhooks/${created.id}`, { active: false });
    expect(off.json()).toMatchObject({ active: false, disabledReason: null });
    const { db } = await testDatabase();
    await db
      .update(webhookEndpoints)
      .set({ disabledReason: "The receiver answered 410 Gone.", failingSince: sql`now() - interval '1 day'` })
      .where(eq(webhookEndpoints.id, created.id));
    expect((await ws.admin.client.get(`/api/v1/webhooks/${created.id}`)).json()).toMatchObject({
      active: false,
      disabledReason: "The receiver answered 410 Gone.",
      failingSince: expect.any(String),
    });
    const on = await ws.admin.client.patch(`/api/v1/webhooks/${created.id}`, { active: true });
    expect(on.json()).toMatchObject({ active: true, disabledReason: null, failingSince: null });
    expect((await auditOf(created.id)).at(-1)!.changes).toEqual({ active: [false, true] });
  });
});

describe("DELETE /api/v1/webhooks/:id", () => {
  it("deletes the endpoint and its delivery log, and audits it", async () => {
    const created = await create();
    await logAttempt(ws.id, created.id, { at: new Date() });
    const response = await ws.admin.client.delete(`/api/v1/webhooks/${created.id}`);
    expect(response.statusCode).toBe(204);
    expect((await ws.admin.client.get(`/api/v1/webhooks/${created.id}`)).statusCode).toBe(404);
    expect((await ws.admin.client.delete(`/api/v1/webhooks/${created.id}`)).statusCode).toBe(404);
    const { db } = await testDatabase();
    expect(await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, created.id))).toEqual([]);
    expect((await auditOf(created.id)).map((entry) => entry.action)).toEqual(["webhook.created", "webhook.deleted"]);
  });
});

describe("POST /api/v1/webhooks/:id/rotate-secret", () => {
  it("answers a new secret this once and audits the rotation without it", async () => {
    const created = await create();
    const response = await ws.admin.client.post(`/api/v1/webhooks/${created.id}/rotate-secret`);
    expect(response.statusCode, response.body).toBe(200);
    const rotated: WebhookWithSecret = response.json();
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(created.secret);
    const entries = await auditOf(created.id);
    expect(entries.map((entry) => entry.action)).toEqual(["webhook.created", "webhook.secret_rotated"]);
    expect(JSON.stringify(entries)).not.toContain(rotated.secret);
    expect(JSON.stringify(entries)).not.toContain("whsec_");
  });
});

describe("POST /api/v1/webhooks/:id/test", () => {
  it("answers 202 with the event and its attempt's id; the event goes to no one else", async () => {
    const created = await create();
    const response = await ws.admin.client.post(`/api/v1/webhooks/${created.id}/test`);
    expect(response.statusCode, response.body).toBe(202);
    const { eventId, deliveryId } = response.json();
    const { db } = await testDatabase();
    const [event] = await db.select().from(outboxEvents).where(eq(outboxEvents.id, eventId));
    expect(event).toMatchObject({ type: "webhook.test", resourceId: created.id, payload: { webhookId: created.id } });
    // Recorded published: the relay hands it to nobody.
    expect(event!.publishedAt).toBeInstanceOf(Date);
    expect(deliveryId).toBe(attemptId({ endpointId: created.id, eventId, attempt: 1 }, event!.createdAt));
  });

  it("answers 422 for an endpoint that is turned off", async () => {
    const created = await create();
    await ws.admin.client.patch(`/api/v1/webhooks/${created.id}`, { active: false });
    const response = await ws.admin.client.post(`/api/v1/webhooks/${created.id}/test`);
    expect(response.statusCode).toBe(422);
  });

  it("ignores an Idempotency-Key (the attempt's job is sent after the transaction)", async () => {
    const created = await create();
    const headers = { "idempotency-key": `test-${newId()}` };
    const first = await ws.admin.client.post(`/api/v1/webhooks/${created.id}/test`, {}, headers);
    expect(first.statusCode, first.body).toBe(202);
    const second = await ws.admin.client.post(`/api/v1/webhooks/${created.id}/test`, {}, headers);
    expect(second.json().eventId).not.toBe(first.json().eventId);
  });
});

describe("GET /api/v1/webhooks/:id/deliveries", () => {
  it("lists attempts newest first, by cursor, filtered by status, event type and time", async () => {
    const created = await create();
    const base = Date.now() - 60_000;
    const at = (seconds: number) => new Date(base + seconds * 1000);
    const oldest = await logAttempt(ws.id, created.id, { at: at(0), status: "failed", error: "HTTP 500" });
    const middle = await logAttempt(ws.id, created.id, { at: at(10), eventType: "deal.won", responseCode: 204 });
    const newest = await logAttempt(ws.id, created.id, { at: at(20), status: "gone", responseCode: 410 });
    const get = async (query: string) => {
      const response = await ws.admin.client.get(`/api/v1/webhooks/${created.id}/deliveries${query}`);
      expect(response.statusCode, response.body).toBe(200);
      return response.json() as { data: WebhookDelivery[]; nextCursor: string | null };
    };
    const ids = (page: { data: WebhookDelivery[] }) => page.data.map((attempt) => attempt.id);
    const first = await get("?limit=2");
    expect(ids(first)).toEqual([newest, middle]);
    expect(ids(await get(`?limit=2&cursor=${first.nextCursor}`))).toEqual([oldest]);
    expect(ids(await get("?status=failed"))).toEqual([oldest]);
    expect(ids(await get("?eventType=deal.won"))).toEqual([middle]);
    expect(ids(await get(`?from=${at(5).toISOString()}&to=${at(15).toISOString()}`))).toEqual([middle]);
    expect(first.data[0]).toEqual({
      id: newest,
      eventId: expect.any(String),
      eventType: "contact.created",
      attempt: 1,
      status: "gone",
      responseCode: 410,
      durationMs: 12,
      responseExcerpt: null,
      error: null,
      nextAttemptAt: null,
      createdAt: at(20).toISOString(),
    });
    const bad = await ws.admin.client.get(`/api/v1/webhooks/${created.id}/deliveries?status=lost`);
    expect(bad.json().errors[0].path).toBe("status");
  });
});

describe("POST /api/v1/webhook-deliveries/:id/retry", () => {
  it("answers 202 with the next attempt's id; 422 once the event is no longer kept", async () => {
    const created = await create();
    const { db } = await testDatabase();
    const [event] = await db
      .insert(outboxEvents)
      .values({
        workspaceId: ws.id,
        id: newId(),
        type: "contact.created",
        resourceType: "contact",
        resourceId: newId(),
        payload: { record: {} },
        publishedAt: new Date(),
      })
      .returning();
    const delivery = await logAttempt(ws.id, created.id, { at: new Date(), eventId: event!.id, status: "failed" });
    const response = await ws.admin.client.post(`/api/v1/webhook-deliveries/${delivery}/retry`);
    expect(response.statusCode, response.body).toBe(202);
    expect(response.json()).toEqual({ eventId: event!.id, deliveryId: expect.any(String) });
    expect(response.json().deliveryId).not.toBe(delivery);

    const pruned = await logAttempt(ws.id, created.id, { at: new Date(), status: "failed" });
    const refused = await ws.admin.client.post(`/api/v1/webhook-deliveries/${pruned}/retry`);
    expect(refused.statusCode).toBe(422);
    expect((await ws.admin.client.post(`/api/v1/webhook-deliveries/${newId()}/retry`)).statusCode).toBe(404);
  });
});

describe("who may call the webhooks API", () => {
  const routes = (endpointId: string, deliveryId: string): [InjectOptions["method"], string, object?][] => [
    ["GET", "/api/v1/webhooks"],
    ["POST", "/api/v1/webhooks", { url: hook.url, events: ["*"] }],
    ["GET", `/api/v1/webhooks/${endpointId}`],
    ["PATCH", `/api/v1/webhooks/${endpointId}`, { description: "Changed" }],
    ["DELETE", `/api/v1/webhooks/${endpointId}`],
    ["POST", `/api/v1/webhooks/${endpointId}/test`, {}],
    ["POST", `/api/v1/webhooks/${endpointId}/rotate-secret`, {}],
    ["GET", `/api/v1/webhooks/${endpointId}/deliveries`],
    ["POST", `/api/v1/webhook-deliveries/${deliveryId}/retry`, {}],
  ];

  it("refuses managers, agents and viewers on every route (403)", async () => {
    const created = await create();
    const delivery = await logAttempt(ws.id, created.id, { at: new Date() });
    for (const member of [ws.manager, ws.agent, ws.viewer]) {
      for (const [method, url, body] of routes(created.id, delivery)) {
        const response = await member.client.request(method, url, body);
        expect(response.statusCode, `${member.role} ${method} ${url}`).toBe(403);
      }
    }
    expect((await ws.admin.client.get(`/api/v1/webhooks/${created.id}`)).json().description).toBeNull();
  });

  it("answers 404 for another workspace's endpoints and deliveries, and lists none of them", async () => {
    const theirs = await create(other);
    const delivery = await logAttempt(other.id, theirs.id, { at: new Date() });
    for (const [method, url, body] of routes(theirs.id, delivery).slice(2)) {
      const response = await ws.admin.client.request(method, url, body);
      expect(response.statusCode, `${method} ${url}`).toBe(404);
    }
    const mine = (await ws.admin.client.get("/api/v1/webhooks?limit=200")).json().data as Webhook[];
    expect(mine.map((webhook) => webhook.id)).not.toContain(theirs.id);
    const still = await other.admin.client.get(`/api/v1/webhooks/${theirs.id}`);
    expect(still.json()).toMatchObject({ description: null, active: true });
  });

  it("lets API keys in by their scopes: webhooks:read reads, webhooks:write writes, retries need webhook-deliveries:write", async () => {
    const keyWith = async (scopes: string[]) => {
      const response = await ws.admin.client.post("/api/v1/api-keys", { name: `Key ${newId()}`, scopes });
      expect(response.statusCode, response.body).toBe(201);
      return response.json().key as string;
    };
    const send = (key: string, method: InjectOptions["method"], url: string, body?: object) =>
      app.inject({ method, url, headers: { authorization: `Bearer ${key}` }, ...(body ? { payload: body } : {}) });
    const reader = await keyWith(["webhooks:read"]);
    expect((await send(reader, "GET", "/api/v1/webhooks")).statusCode).toBe(200);
    const refused = await send(reader, "POST", "/api/v1/webhooks", { url: hook.url, events: ["*"] });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().detail).toBe("This API key lacks the scope webhooks:write.");

    const writer = await keyWith(["webhooks:write"]);
    const created = await send(writer, "POST", "/api/v1/webhooks", { url: hook.url, events: ["deal.won"] });
    expect(created.statusCode, created.body).toBe(201);
    const delivery = await logAttempt(ws.id, created.json().id, { at: new Date() });
    const retry = await send(writer, "POST", `/api/v1/webhook-deliveries/${delivery}/retry`, {});
    expect(retry.json().detail).toBe("This API key lacks the scope webhook-deliveries:write.");
    const retrier = await keyWith(["webhook-deliveries:write"]);
    expect((await send(retrier, "POST", `/api/v1/webhook-deliveries/${delivery}/retry`, {})).statusCode).toBe(422);
  });
});

describe("where the secret shows", () => {
  it("never in logs, even at the trace level", async () => {
    const created = await create();
    const rotated = (await ws.admin.client.post(`/api/v1/webhooks/${created.id}/rotate-secret`)).json();
    await ws.admin.client.get(`/api/v1/webhooks/${created.id}`);
    expect(logLines.length).toBeGreaterThan(0);
    const logs = logLines.join("\n");
    expect(logs).not.toContain(created.secret);
    expect(logs).not.toContain(rotated.secret);
    expect(logs).not.toContain("whsec_");
  });
});
