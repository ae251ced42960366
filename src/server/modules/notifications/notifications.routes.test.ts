import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NotificationType } from "../../../shared/schemas/notification.ts";
import { withWorkspaceTransaction } from "../../db/transaction.ts";
import { newId } from "../../lib/ids.ts";
import { createTestApp, createTestWorkspace, type Member, type TestWorkspace } from "../../test/create-test-app.ts";
import { notifyMembers } from "./notifications.service.ts";

let app: FastifyInstance;
let ws: TestWorkspace;
let otherWs: TestWorkspace;

beforeAll(async () => {
  app = await createTestApp();
  ws = await createTestWorkspace(app, "Notified");
  otherWs = await createTestWorkspace(app, "Notified elsewhere");
});
afterAll(() => app.close());

type Answer = { id: string; title: string; readAt: string | null; type: NotificationType };

/** Notifications as a job makes them, for `member` of `workspace`. */
async function notify(workspace: TestWorkspace, member: Member, titles: string[]) {
  return withWorkspaceTransaction(app.db, workspace.id, (tx) =>
    notifyMembers(
      tx,
      { workspaceId: workspace.id, actor: { kind: "system" } },
      titles.map((title) => ({
        userId: member.userId,
        type: "task.reminder" as const,
        title,
        body: null,
        resourceType: "task",
        resourceId: newId(),
        dedupeKey: `test:${title}`,
      })),
    ),
  );
}

const list = async (member: Member, query = "") => {
  const response = await member.client.get(`/api/v1/notifications${query}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as { data: Answer[]; nextCursor: string | null; unreadCount: number };
};

describe("GET /api/v1/notifications", () => {
  it("lists the caller's own, newest first, by cursor, with the unread count of all of them", async () => {
    await notify(ws, ws.agent, ["First", "Second", "Third"]);
    await notify(ws, ws.manager, ["Not the agent's"]);
    await notify(otherWs, otherWs.agent, ["Another workspace's"]);

    const first = await list(ws.agent, "?limit=2");
    expect(first.data.map((n) => n.title)).toEqual(["Third", "Second"]);
    expect(first.unreadCount).toBe(3);
    expect(Object.keys(first.data[0] ?? {}).sort()).toEqual(
      ["body", "createdAt", "id", "readAt", "resourceId", "resourceType", "title", "type"].sort(),
    );
    const second = await list(ws.agent, `?limit=2&cursor=${first.nextCursor}`);
    expect(second.data.map((n) => n.title)).toEqual(["First"]);
    expect(second.nextCursor).toBeNull();

    expect((await list(ws.manager)).data.map((n) => n.title)).toEqual(["Not the agent's"]);
    expect((await list(ws.viewer)).data).toEqual([]);
    expect((await list(otherWs.agent)).data.map((n) => n.title)).toEqual(["Another workspace's"]);
  });

  it("makes a notification once per dedupe key, however often it is asked for", async () => {
    const [made] = await notify(ws, ws.viewer, ["Once"]);
    expect(made).toBeDefined();
    expect(await notify(ws, ws.viewer, ["Once"])).toEqual([]);
    expect((await list(ws.viewer)).data.map((n) => n.title)).toEqual(["Once"]);
  });

  it("answers 400 for a bad query and a forged cursor, 401 without a session", async () => {
    expect((await ws.agent.client.get("/api/v1/notifications?unread=yes")).statusCode).toBe(400);
    expect((await ws.agent.client.get("/api/v1/notifications?limit=500")).statusCode).toBe(400);
    expect((await ws.agent.client.get("/api/v1/notifications?cursor=forged")).statusCode).toBe(400);
    expect((await app.inject({ url: "/api/v1/notifications" })).statusCode).toBe(401);
  });
});

describe("POST /api/v1/notifications/:id/read and /read-all", () => {
  it("marks one read (again: keeps its time), and answers 404 for anyone else's", async () => {
    const member = ws.admin;
    const [mine] = await notify(ws, member, ["Read me", "Leave me"]);
    const [theirs] = await notify(otherWs, otherWs.admin, ["Someone else's"]);
    const colleague = await notify(ws, ws.manager, ["A colleague's"]);

    const read = await member.client.post(`/api/v1/notifications/${mine?.id}/read`);
    expect(read.statusCode, read.body).toBe(200);
    expect(read.json()).toMatchObject({ id: mine?.id, title: "Read me" });
    const readAt = read.json().readAt as string;
    expect(Date.parse(readAt)).toBeGreaterThan(Date.now() - 60_000);
    const again = await member.client.post(`/api/v1/notifications/${mine?.id}/read`);
    expect(again.json().readAt).toBe(readAt);

    for (const id of [theirs?.id, colleague[0]?.id, newId()]) {
      expect((await member.client.post(`/api/v1/notifications/${id}/read`)).statusCode).toBe(404);
    }
    const unread = await list(member, "?unread=true");
    expect(unread.data.map((n) => n.title)).toEqual(["Leave me"]);
    expect(unread.unreadCount).toBe(1);
    // The manager's: "Not the agent's" and "A colleague's".
    expect((await list(ws.manager)).unreadCount).toBe(2);
  });

  it("marks all of the caller's read, and nobody else's", async () => {
    const member = ws.admin;
    await notify(ws, member, ["All one", "All two"]);
    const response = await member.client.post("/api/v1/notifications/read-all");
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().updated).toBeGreaterThanOrEqual(2);
    expect((await list(member)).unreadCount).toBe(0);
    expect((await list(member, "?unread=true")).data).toEqual([]);
    expect((await list(ws.manager)).unreadCount).toBe(2);
    expect((await list(otherWs.admin)).unreadCount).toBe(1);
  });

  it("refuses API keys: notifications are a person's own", async () => {
    const created = await ws.admin.client.post("/api/v1/api-keys", { name: "Integration", scopes: ["*:write"] });
    expect(created.statusCode, created.body).toBe(201);
    const headers = { authorization: `Bearer ${created.json().key}` };
    for (const [method, url] of [
      ["GET", "/api/v1/notifications"],
      ["POST", "/api/v1/notifications/read-all"],
      ["GET", "/api/v1/events/stream"],
    ] as const) {
      const response = await app.inject({ method, url, headers, ...(method === "POST" ? { payload: {} } : {}) });
      expect(response.statusCode, url).toBe(403);
    }
  });
});

describe("the OpenAPI document", () => {
  it("lists the notification operations under their declared tag", async () => {
    const document = (await app.inject({ url: "/api/openapi.json" })).json();
    expect(document.tags.map((tag: { name: string }) => tag.name)).toContain("Notifications");
    expect(document.paths["/api/v1/notifications"].get.tags).toEqual(["Notifications"]);
    expect(document.paths["/api/v1/notifications/{id}/read"].post.operationId).toBe("markNotificationRead");
    expect(document.paths["/api/v1/notifications/read-all"].post.operationId).toBe("markAllNotificationsRead");
  });
});
