import { and, eq } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../app.ts";
import { parseConfig } from "../../config.ts";
import {
  Client,
  createTestApp,
  createTestWorkspace,
  createUser,
  testDatabase,
  type Member,
  type TestWorkspace,
} from "../../test/create-test-app.ts";
import { createSession } from "../auth/sessions.ts";
import { addMember } from "../workspaces/index.ts";
import { memberships } from "./users.table.ts";

let app: FastifyInstance;
/** A second app on the same database, as another process would be. */
let secondApp: FastifyInstance;
let other: TestWorkspace;

beforeAll(async () => {
  app = await createTestApp();
  const { db } = await testDatabase();
  const limitsOff = { RATE_LIMIT_API_PER_MINUTE: "0", RATE_LIMIT_AUTH_PER_MINUTE: "0" };
  secondApp = await buildApp(parseConfig({ NODE_ENV: "test", LOG_LEVEL: "silent", ...limitsOff }), { db });
  await secondApp.ready();
  other = await createTestWorkspace(app, "Other admin workspace");
});
afterAll(async () => {
  await app.close();
  await secondApp.close();
});

/** The same session, sent to the second app. */
const onSecondApp = (member: Member) => new Client(secondApp, member.client.token, member.client.workspaceId);

async function createContact(member: Member): Promise<string> {
  const response = await member.client.post("/api/v1/contacts", { firstName: "Owned" });
  expect(response.statusCode).toBe(201);
  return (response.json() as { id: string }).id;
}

/** A workspace with a second admin besides its first. */
async function withTwoAdmins(): Promise<TestWorkspace & { secondAdmin: Member }> {
  const ws = await createTestWorkspace(app, "Two admins");
  const { db } = await testDatabase();
  const user = await createUser("Second admin");
  await addMember(db, ws.id, user.id, "admin");
  const { token } = await createSession(db, { userId: user.id, ipAddress: "127.0.0.1", userAgent: "t", ttlHours: 1 });
  return {
    ...ws,
    secondAdmin: { userId: user.id, email: user.email, role: "admin", client: new Client(app, token, ws.id) },
  };
}

describe("PATCH /api/v1/users/:id", () => {
  it("changes a role, effective on the member's very next request", async () => {
    const ws = await createTestWorkspace(app);
    const contactId = await createContact(ws.admin);
    // Warm the session cache: the change must not wait for it.
    expect((await ws.agent.client.delete(`/api/v1/contacts/${contactId}`)).statusCode).toBe(403);
    const response = await ws.admin.client.patch(`/api/v1/users/${ws.agent.userId}`, { role: "manager" });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ id: ws.agent.userId, role: "manager", active: true });
    expect((await ws.agent.client.delete(`/api/v1/contacts/${contactId}`)).statusCode).toBe(204);
    expect((await ws.agent.client.get("/api/v1/me")).json().role).toBe("manager");
  });

  it("refuses a demoted admin at once", async () => {
    const ws = await withTwoAdmins();
    expect((await ws.secondAdmin.client.get("/api/v1/api-keys")).statusCode).toBe(200);
    const response = await ws.admin.client.patch(`/api/v1/users/${ws.secondAdmin.userId}`, { role: "viewer" });
    expect(response.statusCode).toBe(200);
    expect((await ws.secondAdmin.client.get("/api/v1/api-keys")).statusCode).toBe(403);
    expect((await ws.secondAdmin.client.patch(`/api/v1/users/${ws.viewer.userId}`, { role: "agent" })).statusCode).toBe(
      403,
    );
  });

  it("sees a membership changed directly in the database on the next request, on every app", async () => {
    const ws = await createTestWorkspace(app);
    const second = onSecondApp(ws.agent);
    expect((await ws.agent.client.get("/api/v1/me")).json().role).toBe("agent");
    expect((await second.get("/api/v1/me")).json().role).toBe("agent");
    const { db } = await testDatabase();
    const row = and(eq(memberships.workspaceId, ws.id), eq(memberships.userId, ws.agent.userId));
    await db.update(memberships).set({ role: "viewer" }).where(row);
    expect((await ws.agent.client.get("/api/v1/me")).json().role).toBe("viewer");
    expect((await second.get("/api/v1/me")).json().role).toBe("viewer");
    expect((await second.post("/api/v1/contacts", { firstName: "No" })).statusCode).toBe(403);
    await db.update(memberships).set({ deactivatedAt: new Date() }).where(row);
    expect((await second.get("/api/v1/contacts")).statusCode).toBe(404);
    expect((await ws.agent.client.get("/api/v1/contacts")).statusCode).toBe(404);
  });

  it("deactivates a membership: 404 for that workspace only, records keep their owner; reactivation restores", async () => {
    const ws = await createTestWorkspace(app);
    const { db } = await testDatabase();
    await addMember(db, other.id, ws.agent.userId, "agent");
    const contactId = await createContact(ws.agent);
    const response = await ws.admin.client.patch(`/api/v1/users/${ws.agent.userId}`, { active: false });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ role: "agent", active: false });
    const denied = await ws.agent.client.get("/api/v1/contacts");
    expect(denied.statusCode).toBe(404);
    const inOther = await ws.agent.client.get("/api/v1/contacts", { "x-workspace-id": other.id });
    expect(inOther.statusCode).toBe(200);
    const me = (await ws.agent.client.get("/api/v1/me")).json() as { workspaces: { id: string }[] };
    expect(me.workspaces.map((w) => w.id)).toEqual([other.id]);
    // The admin's list and the member's own answer show the deactivation, after a reload too.
    const listed = (await ws.admin.client.get("/api/v1/users")).json() as { data: { id: string; active: boolean }[] };
    expect(listed.data.find((u) => u.id === ws.agent.userId)?.active).toBe(false);
    expect((await ws.admin.client.get(`/api/v1/users/${ws.agent.userId}`)).json()).toMatchObject({ active: false });
    const contact = (await ws.admin.client.get(`/api/v1/contacts/${contactId}`)).json();
    expect(contact.ownerId).toBe(ws.agent.userId);
    const back = await ws.admin.client.patch(`/api/v1/users/${ws.agent.userId}`, { active: true });
    expect(back.json()).toMatchObject({ active: true });
    expect((await ws.agent.client.get("/api/v1/contacts")).statusCode).toBe(200);
  });

  it("answers 422 for demoting or deactivating the last admin, and leaves them admin", async () => {
    const ws = await createTestWorkspace(app);
    for (const body of [{ role: "manager" }, { active: false }, { role: "viewer", active: false }]) {
      const response = await ws.admin.client.patch(`/api/v1/users/${ws.admin.userId}`, body);
      expect(response.statusCode).toBe(422);
      expect(response.json().type).toBe("/problems/rule-violation");
    }
    expect((await ws.admin.client.get("/api/v1/api-keys")).statusCode).toBe(200);
  });

  it("lets exactly one of two concurrent demotions of the last two admins succeed", async () => {
    const ws = await withTwoAdmins();
    const answers = await Promise.all([
      ws.admin.client.patch(`/api/v1/users/${ws.secondAdmin.userId}`, { role: "manager" }),
      ws.secondAdmin.client.patch(`/api/v1/users/${ws.admin.userId}`, { role: "manager" }),
    ]);
    // The loser answers 422 when both passed authentication before either committed (the lock
    // made it wait and see one admin left), or 403 when it was authenticated after the winner's
    // commit: memberships are re-read per request, so its caller was already no admin.
    const [winner, loser] = answers.map((a) => a.statusCode).sort();
    expect(winner).toBe(200);
    expect([403, 422]).toContain(loser);
    const { db } = await testDatabase();
    const admins = await db
      .select()
      .from(memberships)
      .where(and(eq(memberships.workspaceId, ws.id), eq(memberships.role, "admin")));
    expect(admins).toHaveLength(1);
  });

  it("answers 403 to managers and below, 404 for another workspace's user, 400 for an unknown role", async () => {
    const ws = await createTestWorkspace(app);
    for (const member of [ws.manager, ws.agent, ws.viewer]) {
      expect((await member.client.patch(`/api/v1/users/${ws.viewer.userId}`, { role: "agent" })).statusCode).toBe(403);
      expect((await member.client.delete(`/api/v1/users/${ws.viewer.userId}`)).statusCode).toBe(403);
    }
    expect((await ws.admin.client.patch(`/api/v1/users/${other.agent.userId}`, { role: "viewer" })).statusCode).toBe(
      404,
    );
    const unchanged = await ws.admin.client.patch(`/api/v1/users/${ws.viewer.userId}`, {});
    expect(unchanged.json()).toMatchObject({ role: "viewer", active: true });
    expect((await ws.admin.client.patch(`/api/v1/users/${ws.viewer.userId}`, { role: "owner" })).statusCode).toBe(400);
  });

  it("needs users:write of an API key", async () => {
    const ws = await createTestWorkspace(app);
    const keyWith = async (scopes: string[]) =>
      (
        (await ws.admin.client.post("/api/v1/api-keys", { name: scopes.join(" "), scopes })).json() as {
          key: string;
        }
      ).key;
    const patchWith = (key: string) =>
      app.inject({
        method: "PATCH",
        url: `/api/v1/users/${ws.viewer.userId}`,
        payload: { role: "agent" },
        headers: { authorization: `Bearer ${key}` },
      });
    expect((await patchWith(await keyWith(["users:read"]))).statusCode).toBe(403);
    expect((await patchWith(await keyWith(["users:write"]))).statusCode).toBe(200);
  });
});

describe("DELETE /api/v1/users/:id", () => {
  it("removes a member: their records keep their owner, they lose the workspace at once", async () => {
    const ws = await createTestWorkspace(app);
    const contactId = await createContact(ws.agent);
    expect((await ws.agent.client.get("/api/v1/contacts")).statusCode).toBe(200);
    expect((await ws.admin.client.delete(`/api/v1/users/${ws.agent.userId}`)).statusCode).toBe(204);
    expect((await ws.agent.client.get("/api/v1/contacts")).statusCode).toBe(404);
    expect((await onSecondApp(ws.agent).get("/api/v1/contacts")).statusCode).toBe(404);
    const contact = (await ws.admin.client.get(`/api/v1/contacts/${contactId}`)).json();
    expect(contact.ownerId).toBe(ws.agent.userId);
    expect((await ws.admin.client.get(`/api/v1/users/${ws.agent.userId}`)).statusCode).toBe(404);
    const listed = (await ws.admin.client.get("/api/v1/users")).json() as { data: { id: string }[] };
    expect(listed.data.map((u) => u.id)).not.toContain(ws.agent.userId);
    expect((await ws.admin.client.get("/api/v1/users/count")).json()).toEqual({ count: 3 });
    expect((await ws.admin.client.delete(`/api/v1/users/${ws.agent.userId}`)).statusCode).toBe(404);
    // Added again, they are a member again, with their old records.
    const { db } = await testDatabase();
    await addMember(db, ws.id, ws.agent.userId, "viewer");
    expect((await ws.agent.client.get(`/api/v1/contacts/${contactId}`)).statusCode).toBe(200);
  });

  it("answers 422 for removing the last admin", async () => {
    const ws = await createTestWorkspace(app);
    const response = await ws.admin.client.delete(`/api/v1/users/${ws.admin.userId}`);
    expect(response.statusCode).toBe(422);
    expect((await ws.admin.client.get("/api/v1/users")).statusCode).toBe(200);
  });

  it("revokes the API keys of a removed admin", async () => {
    const ws = await withTwoAdmins();
    const created = await ws.secondAdmin.client.post("/api/v1/api-keys", { name: "Theirs", scopes: ["*:read"] });
    const key = (created.json() as { key: string }).key;
    const call = () =>
      app.inject({ method: "GET", url: "/api/v1/contacts", headers: { authorization: `Bearer ${key}` } });
    expect((await call()).statusCode).toBe(200);
    expect((await ws.admin.client.delete(`/api/v1/users/${ws.secondAdmin.userId}`)).statusCode).toBe(204);
    expect((await call()).statusCode).toBe(401);
  });
});
