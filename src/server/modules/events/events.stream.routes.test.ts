import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../config.ts";
import { withWorkspaceTransaction } from "../../db/transaction.ts";
import { createLogger } from "../../http/logging.ts";
import { newId } from "../../lib/ids.ts";
import { createTestApp, createTestWorkspace, type Member, type TestWorkspace } from "../../test/create-test-app.ts";
import { notifyMembers } from "../notifications/index.ts";
import { sendDueReminders } from "../tasks/tasks.reminders.ts";

/** One server-sent event as a browser's EventSource would see it. */
type Message = { id: string | null; event: string; data: Record<string, unknown> };

/** A stream read over real HTTP, as a browser would: messages, comments, and whether it ended. */
type Stream = {
  status: number;
  headers: Headers;
  body: string;
  messages: Message[];
  comments: string[];
  /** The last `id:` seen, as EventSource keeps it for Last-Event-ID. */
  lastId: () => string | null;
  next: (isWanted: (message: Message) => boolean, timeoutMs?: number) => Promise<Message>;
  ended: Promise<void>;
  close: () => void;
};

let app: FastifyInstance;
let baseUrl: string;
let a: TestWorkspace;
let b: TestWorkspace;
const streams: Stream[] = [];

beforeAll(async () => {
  app = await createTestApp();
  baseUrl = await app.listen({ port: 0, host: "127.0.0.1" });
  a = await createTestWorkspace(app, "Stream A");
  b = await createTestWorkspace(app, "Stream B");
  app.liveEvents.configure({ pollIntervalMs: 50 });
});
afterAll(async () => {
  for (const stream of streams) stream.close();
  await app.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function open(member: Member | null, headers: Record<string, string> = {}): Promise<Stream> {
  const controller = new AbortController();
  const response = await fetch(`${baseUrl}/api/v1/events/stream`, {
    headers: {
      accept: "text/event-stream",
      ...(member
        ? { cookie: `keel_session=${member.client.token}`, "x-workspace-id": member.client.workspaceId ?? "" }
        : {}),
      ...headers,
    },
    signal: controller.signal,
  });
  const messages: Message[] = [];
  const comments: string[] = [];
  const waiters = new Set<() => void>();
  let lastId: string | null = null;
  let body = "";
  const stream: Stream = {
    status: response.status,
    headers: response.headers,
    get body() {
      return body;
    },
    messages,
    comments,
    lastId: () => lastId,
    next: async (isWanted, timeoutMs = 10_000) => {
      const started = Date.now();
      for (;;) {
        const found = messages.find(isWanted);
        if (found) return found;
        if (Date.now() - started > timeoutMs) {
          throw new Error(`no such message within ${timeoutMs} ms; got ${JSON.stringify(messages)}`);
        }
        await new Promise<void>((resolve) => {
          waiters.add(resolve);
          setTimeout(resolve, 100);
        });
      }
    },
    ended: Promise.resolve(),
    close: () => controller.abort(),
  };
  if (!response.ok || !response.body) {
    body = await response.text();
    return stream;
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  stream.ended = (async () => {
    let buffer = "";
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields = { id: null as string | null, event: "message", data: "" };
          for (const line of block.split("\n")) {
            if (line.startsWith(":")) comments.push(line.slice(1).trim());
            else if (line.startsWith("id: ")) fields.id = line.slice(4);
            else if (line.startsWith("event: ")) fields.event = line.slice(7);
            else if (line.startsWith("data: ")) fields.data = line.slice(6);
          }
          if (fields.id !== null) lastId = fields.id;
          if (fields.data) messages.push({ id: fields.id, event: fields.event, data: JSON.parse(fields.data) });
        }
        for (const wake of waiters) wake();
        waiters.clear();
      }
    } catch {
      // Aborted by close().
    }
  })();
  streams.push(stream);
  return stream;
}

async function createContact(member: Member, lastName: string): Promise<string> {
  const response = await member.client.post("/api/v1/contacts", { firstName: "Live", lastName });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().id;
}

const about = (id: string) => (message: Message) => message.data.resourceId === id;

describe("GET /api/v1/events/stream", () => {
  it("streams each workspace's events to its own members only, over HTTP", async () => {
    const [streamA, streamB] = [await open(a.agent), await open(b.agent)];
    expect(streamA.status).toBe(200);
    expect(streamA.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(streamA.headers.get("cache-control")).toBe("no-store, no-transform");
    expect(streamA.headers.get("x-accel-buffering")).toBe("no");
    expect(streamA.headers.get("content-encoding")).toBeNull();
    expect(streamA.headers.get("x-content-type-options")).toBe("nosniff");

    const [contactA, contactB] = [await createContact(a.manager, "Alpha"), await createContact(b.manager, "Beta")];
    const seenByA = await streamA.next(about(contactA));
    const seenByB = await streamB.next(about(contactB));
    expect(seenByA).toEqual({
      id: expect.stringMatching(/^\d+$/),
      event: "contact.created",
      data: { type: "contact.created", resourceType: "contact", resourceId: contactA, actorId: a.manager.userId },
    });
    expect(seenByB.event).toBe("contact.created");

    // A later event of each, so both streams have had time to receive anything they should not.
    const [laterA, laterB] = [await createContact(a.manager, "Alpha 2"), await createContact(b.manager, "Beta 2")];
    await streamA.next(about(laterA));
    await streamB.next(about(laterB));
    expect(streamA.messages.filter((m) => [contactB, laterB].includes(String(m.data.resourceId)))).toEqual([]);
    expect(streamB.messages.filter((m) => [contactA, laterA].includes(String(m.data.resourceId)))).toEqual([]);
    expect(Number(seenByA.id)).toBeLessThan(Number(streamA.messages.find(about(laterA))?.id));
  });

  it("sends a notification to the member it is for, with the notification, and to nobody else", async () => {
    const [agent, manager] = [await open(a.agent), await open(a.manager)];
    const [made] = await withWorkspaceTransaction(app.db, a.id, (tx) =>
      notifyMembers(tx, { workspaceId: a.id, actor: { kind: "system" } }, [
        {
          userId: a.agent.userId,
          type: "task.reminder",
          title: "Reminder: Call back",
          body: null,
          resourceType: "task",
          resourceId: newId(),
          dedupeKey: `stream:${newId()}`,
        },
      ]),
    );
    const message = await agent.next((m) => m.event === "notification.created");
    expect(message.data).toMatchObject({
      type: "notification.created",
      resourceType: "notification",
      resourceId: made?.id,
      actorId: null,
      notification: { id: made?.id, title: "Reminder: Call back", type: "task.reminder", readAt: null },
    });
    const after = await createContact(a.admin, "After the notification");
    await manager.next(about(after));
    expect(manager.messages.filter((m) => m.event === "notification.created")).toEqual([]);
  });

  it("delivers a task reminder to its assignee's stream as it is sent", async () => {
    const stream = await open(b.viewer);
    const task = await b.manager.client.post("/api/v1/tasks", {
      title: "Live reminder",
      remindAt: new Date(Date.now() - 1000).toISOString(),
      assigneeId: b.viewer.userId,
    });
    const config = parseConfig({ NODE_ENV: "test", LOG_LEVEL: "silent" });
    await sendDueReminders({ db: app.db, config, log: createLogger(config) }, { batchSize: 10, workspaceIds: [b.id] });
    const due = await stream.next((m) => m.event === "task.reminder_due");
    expect(due.data).toEqual({
      type: "task.reminder_due",
      resourceType: "task",
      resourceId: task.json().id,
      actorId: null,
    });
    const notified = await stream.next((m) => m.event === "notification.created");
    expect(notified.data.notification).toMatchObject({ title: "Reminder: Live reminder", resourceId: task.json().id });
  });

  it("resumes after Last-Event-ID with what the client missed, and asks for a reset when that is gone", async () => {
    const first = await open(a.admin);
    const before = await createContact(a.admin, "Before the drop");
    await first.next(about(before));
    const lastId = first.lastId();
    first.close();
    await first.ended;

    const missed = [await createContact(a.manager, "Missed 1"), await createContact(a.manager, "Missed 2")];
    const elsewhere = await createContact(b.manager, "Not A's");
    await sleep(300);
    const again = await open(a.admin, { "last-event-id": lastId ?? "" });
    for (const id of missed) await again.next(about(id));
    expect(again.messages.map((m) => m.data.resourceId)).toEqual(missed);
    expect(again.messages.find(about(elsewhere))).toBeUndefined();
    expect(Number(again.lastId())).toBeGreaterThan(Number(lastId));

    const tooOld = await open(a.admin, { "last-event-id": "0" });
    const reset = await tooOld.next((m) => m.event === "reset");
    expect(reset.id).toMatch(/^\d+$/);
  });

  it("asks for a reset when the events after Last-Event-ID are no longer all kept", async () => {
    app.liveEvents.configure({ recentSize: 1 });
    try {
      const first = await open(a.admin);
      const before = await createContact(a.admin, "Before the long drop");
      await first.next(about(before));
      first.close();
      await first.ended;
      // Open before the changes: an event the hub relayed before a stream opened never reaches it.
      const watcher = await open(a.viewer);
      const [, last] = [await createContact(a.manager, "Gone 1"), await createContact(a.manager, "Gone 2")];
      // Once the hub has relayed the last one, it keeps only that one (recentSize 1).
      await watcher.next(about(last));
      const again = await open(a.admin, { "last-event-id": String(Number(first.lastId())) });
      await again.next((m) => m.event === "reset");
      expect(again.messages.filter((m) => m.event !== "reset")).toEqual([]);
    } finally {
      app.liveEvents.configure({ recentSize: 5_000 });
    }
  });

  it("sends heartbeats, and ends when the session is signed out", async () => {
    const ws = await createTestWorkspace(app, "Stream sign-out");
    app.liveEvents.configure({ heartbeatMs: 100, sessionCheckMs: 100 });
    try {
      const stream = await open(ws.agent);
      await sleep(350);
      expect(stream.comments).toContain("heartbeat");
      expect((await ws.agent.client.post("/api/v1/auth/sign-out")).statusCode).toBeLessThan(300);
      await stream.ended;
      const refused = await open(ws.agent);
      expect(refused.status).toBe(401);
    } finally {
      app.liveEvents.configure({ heartbeatMs: 20_000, sessionCheckMs: 30_000 });
    }
  });

  it("ends when the member is removed from the workspace", async () => {
    const ws = await createTestWorkspace(app, "Stream removal");
    app.liveEvents.configure({ sessionCheckMs: 100 });
    try {
      const stream = await open(ws.viewer);
      const removed = await ws.admin.client.delete(`/api/v1/users/${ws.viewer.userId}`);
      expect(removed.statusCode, removed.body).toBeLessThan(300);
      await stream.ended;
    } finally {
      app.liveEvents.configure({ sessionCheckMs: 30_000 });
    }
  });

  it("refuses a stream beyond the limit per user (429), and one without a session (401)", async () => {
    const ws = await createTestWorkspace(app, "Stream limit");
    app.liveEvents.configure({ maxStreamsPerUser: 2 });
    try {
      const [one, two] = [await open(ws.manager), await open(ws.manager)];
      expect([one.status, two.status]).toEqual([200, 200]);
      const three = await open(ws.manager);
      expect(three.status).toBe(429);
      expect(three.headers.get("content-type")).toContain("application/problem+json");
      expect(JSON.parse(three.body).detail).toMatch(/At most 2 live streams/);
      one.close();
      await one.ended;
      for (let tries = 0; ; tries++) {
        const replaced = await open(ws.manager);
        if (replaced.status === 200 || tries > 20) {
          expect(replaced.status).toBe(200);
          break;
        }
        await sleep(50);
      }
    } finally {
      app.liveEvents.configure({ maxStreamsPerUser: 5 });
    }
    expect((await open(null)).status).toBe(401);
  });
});

describe("closing the app", () => {
  it("ends the open streams, so that closing does not wait on them", async () => {
    const other = await createTestApp();
    const otherUrl = await other.listen({ port: 0, host: "127.0.0.1" });
    const ws = await createTestWorkspace(other, "Stream close");
    const response = await fetch(`${otherUrl}/api/v1/events/stream`, {
      headers: { cookie: `keel_session=${ws.agent.client.token}`, "x-workspace-id": ws.id },
    });
    expect(response.status).toBe(200);
    const read = response.text();
    const started = Date.now();
    await other.close();
    await read;
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
