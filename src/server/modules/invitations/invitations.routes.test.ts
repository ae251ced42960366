import { and, eq } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { roles } from "../../../shared/permissions.ts";
import type { Invitation } from "../../../shared/schemas/invitation.ts";
import { hashToken } from "../auth/index.ts";
import {
  anonymous,
  createTestApp,
  createTestWorkspace,
  testDatabase,
  type Client,
  type TestWorkspace,
} from "../../test/create-test-app.ts";
import { memberships } from "../users/users.table.ts";
import {
  expire,
  invite,
  inviteWithToken,
  linkIn,
  mailCount,
  mailTo,
  newAddress,
  pathsOf,
} from "./invitations.factory.ts";
import { invitations } from "./invitations.table.ts";

let app: FastifyInstance;
let ws: TestWorkspace;
let other: TestWorkspace;

beforeAll(async () => {
  app = await createTestApp();
  ws = await createTestWorkspace(app);
  other = await createTestWorkspace(app, "Other");
});
afterAll(() => app.close());

const inspect = (token: string) => anonymous(app).post("/api/v1/invitations/inspect", { token });
const statusesOf = async (client: Client, ids: string[]) => {
  const listed: Invitation[] = (await client.get("/api/v1/invitations?limit=200")).json().data;
  return ids.map((id) => listed.find((i) => i.id === id)?.status);
};

describe("POST /api/v1/invitations", () => {
  it.each(roles)("lets an admin invite a %s: 201 with the invitation, pending for 7 days", async (role) => {
    const email = newAddress();
    const response = await ws.admin.client.post("/api/v1/invitations", { email: email.toUpperCase(), role });
    expect(response.statusCode, response.body).toBe(201);
    const invitation = response.json();
    expect(invitation).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      email,
      role,
      status: "pending",
      invitedBy: { id: ws.admin.userId, name: "Admin" },
      expiresAt: expect.any(String),
      acceptedAt: null,
      revokedAt: null,
      createdAt: expect.any(String),
    });
    expect(invitation).not.toHaveProperty("token");
    expect(invitation).not.toHaveProperty("tokenHash");
    const lifetime = Date.parse(invitation.expiresAt) - Date.parse(invitation.createdAt);
    expect(Math.abs(lifetime - 7 * 24 * 3_600_000)).toBeLessThan(60_000);
  });

  it("e-mails a plain-text link to the request's host that opens the invitation; only the token's hash is stored", async () => {
    const email = newAddress();
    await invite(ws.admin.client, email, "manager");
    const mail = await mailTo(email);
    expect(mail.subject).toBe("Admin invited you to Test workspace on Keel");
    expect(mail.htmlBody).toBeNull();
    expect(mail.textBody).toContain("“Test workspace”");
    expect(mail.textBody).toContain("as a manager");
    expect(mail.textBody).toContain("within 7 days");
    const link = linkIn(mail.textBody);
    expect(link.base).toBe("http://localhost:80");
    expect(link.token).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const opened = await inspect(link.token);
    expect(opened.statusCode, opened.body).toBe(200);
    expect(opened.json()).toEqual({ workspaceName: "Test workspace", email, role: "manager", accountExists: false });
    const { db } = await testDatabase();
    const [row] = await db.select().from(invitations).where(eq(invitations.email, email));
    expect(row?.tokenHash).toBe(hashToken(link.token));
    expect(JSON.stringify(row)).not.toContain(link.token);
  });

  it("lets a manager invite agents and viewers, and answers 403 naming role for admins and managers", async () => {
    for (const role of ["agent", "viewer"] as const) await invite(ws.manager.client, newAddress(), role);
    for (const role of ["admin", "manager"] as const) {
      const email = newAddress();
      const response = await ws.manager.client.post("/api/v1/invitations", { email, role });
      expect(response.statusCode).toBe(403);
      expect(response.json().type).toBe("/problems/forbidden");
      expect(pathsOf(response)).toEqual(["role"]);
      const { db } = await testDatabase();
      expect(await db.select().from(invitations).where(eq(invitations.email, email))).toEqual([]);
    }
  });

  it.each(["agent", "viewer"] as const)("answers 403 to a %s and sends nothing", async (role) => {
    const email = newAddress();
    const response = await ws[role].client.post("/api/v1/invitations", { email, role: "viewer" });
    expect(response.statusCode).toBe(403);
    expect(response.json().type).toBe("/problems/forbidden");
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await mailCount(email)).toBe(0);
  });

  it("refuses API keys: invitations are for people only", async () => {
    const created = await ws.admin.client.post("/api/v1/api-keys", { name: "Everything", scopes: ["*:write"] });
    expect(created.statusCode, created.body).toBe(201);
    const key: string = created.json().key;
    const headers = { authorization: `Bearer ${key}` };
    const post = await app.inject({
      method: "POST",
      url: "/api/v1/invitations",
      payload: { email: newAddress(), role: "agent" },
      headers,
    });
    expect(post.statusCode).toBe(403);
    const list = await app.inject({ method: "GET", url: "/api/v1/invitations", headers });
    expect(list.statusCode).toBe(403);
  });

  it("answers 401 without a session", async () => {
    const response = await anonymous(app).post("/api/v1/invitations", { email: newAddress(), role: "agent" });
    expect(response.statusCode).toBe(401);
  });

  it.each([
    ["a missing e-mail", { role: "agent" }, ["email"]],
    ["a malformed e-mail", { email: "not-an-address", role: "agent" }, ["email"]],
    ["an unknown role", { email: "x@example.com", role: "owner" }, ["role"]],
    ["an unknown field", { email: "x@example.com", role: "agent", message: "hi" }, ["message"]],
  ])("answers 400 naming the fields for %s", async (_name, body, paths) => {
    const response = await ws.admin.client.post("/api/v1/invitations", body);
    expect(response.statusCode).toBe(400);
    expect(pathsOf(response)).toEqual(paths);
  });

  it("replaces a pending invitation to the same address: the old link stops working", async () => {
    const email = newAddress();
    const first = await inviteWithToken(ws.admin.client, email, "viewer");
    const second = await inviteWithToken(ws.manager.client, email.toUpperCase(), "agent");
    expect(second.token).not.toBe(first.token);

    const old = await inspect(first.token);
    expect(old.statusCode).toBe(400);
    expect(pathsOf(old)).toEqual(["token"]);
    expect((await inspect(second.token)).json()).toMatchObject({ role: "agent" });
    expect(await statusesOf(ws.admin.client, [first.invitation.id, second.invitation.id])).toEqual([
      "revoked",
      "pending",
    ]);
  });

  it("keeps one pending invitation when two to the same address are sent at once", async () => {
    const email = newAddress();
    const sent = await Promise.all([
      ws.admin.client.post("/api/v1/invitations", { email, role: "agent" }),
      ws.manager.client.post("/api/v1/invitations", { email, role: "viewer" }),
    ]);
    expect(sent.map((r) => r.statusCode)).toEqual([201, 201]);
    const ids = sent.map((r) => r.json().id as string);
    expect((await statusesOf(ws.admin.client, ids)).sort()).toEqual(["pending", "revoked"]);
  });

  it("answers 409 naming email for an active or a deactivated member, whatever the case of the address", async () => {
    const active = await ws.admin.client.post("/api/v1/invitations", {
      email: ws.agent.email.toUpperCase(),
      role: "viewer",
    });
    expect(active.statusCode).toBe(409);
    expect(active.json().type).toBe("/problems/duplicate");
    expect(pathsOf(active)).toEqual(["email"]);

    const deactivated = await createTestWorkspace(app, "With a deactivated member");
    const patched = await deactivated.admin.client.patch(`/api/v1/users/${deactivated.viewer.userId}`, {
      active: false,
    });
    expect(patched.statusCode, patched.body).toBe(200);
    const response = await deactivated.admin.client.post("/api/v1/invitations", {
      email: deactivated.viewer.email,
      role: "viewer",
    });
    expect(response.statusCode).toBe(409);
    expect(pathsOf(response)).toEqual(["email"]);
  });

  it("invites a removed member again; accepting revives their membership with the new role", async () => {
    const team = await createTestWorkspace(app, "Removal");
    expect((await team.admin.client.delete(`/api/v1/users/${team.agent.userId}`)).statusCode).toBe(204);
    const { token } = await inviteWithToken(team.admin.client, team.agent.email, "manager");
    const accepted = await anonymous(app).post("/api/v1/invitations/accept", { token });
    expect(accepted.statusCode, accepted.body).toBe(200);
    const { db } = await testDatabase();
    const [row] = await db
      .select({ role: memberships.role, removedAt: memberships.removedAt })
      .from(memberships)
      .where(and(eq(memberships.workspaceId, team.id), eq(memberships.userId, team.agent.userId)));
    expect(row).toEqual({ role: "manager", removedAt: null });
  });
});

describe("GET /api/v1/invitations", () => {
  it("pages newest first with limit and cursor, without gaps or repeats", async () => {
    const team = await createTestWorkspace(app, "Paging");
    const sent: Invitation[] = [];
    for (let i = 0; i < 5; i++) sent.push(await invite(team.admin.client, newAddress(`page${i}`)));
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `&cursor=${cursor}` : "";
      const response = await team.admin.client.get(`/api/v1/invitations?limit=2${query}`);
      expect(response.statusCode, response.body).toBe(200);
      const page: { data: Invitation[]; nextCursor: string | null } = response.json();
      expect(page.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.data.map((i) => i.id));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(sent.map((i) => i.id).reverse());
  });

  it("tells pending, accepted, revoked and expired apart, and filters by status", async () => {
    const team = await createTestWorkspace(app, "Statuses");
    const pending = await inviteWithToken(team.admin.client, newAddress("pending"));
    const accepted = await inviteWithToken(team.admin.client, newAddress("accepted"));
    const revoked = await invite(team.admin.client, newAddress("revoked"));
    const expired = await inviteWithToken(team.admin.client, newAddress("expired"));
    const joined = await anonymous(app).post("/api/v1/invitations/accept", {
      token: accepted.token,
      name: "Joiner",
      password: "lantern-orbit-meadow-74",
    });
    expect(joined.statusCode, joined.body).toBe(200);
    expect((await team.admin.client.delete(`/api/v1/invitations/${revoked.id}`)).statusCode).toBe(204);
    await expire(expired.token);

    const all: Invitation[] = (await team.admin.client.get("/api/v1/invitations")).json().data;
    expect(all.map((i) => [i.email.split("-")[0], i.status])).toEqual([
      ["expired", "expired"],
      ["revoked", "revoked"],
      ["accepted", "accepted"],
      ["pending", "pending"],
    ]);
    expect(all.find((i) => i.status === "accepted")?.acceptedAt).toEqual(expect.any(String));
    expect(all.find((i) => i.status === "revoked")?.revokedAt).toEqual(expect.any(String));
    const ids = { pending: pending.invitation.id, accepted: accepted.invitation.id, revoked: revoked.id };
    for (const [status, id] of Object.entries({ ...ids, expired: expired.invitation.id })) {
      const response = await team.admin.client.get(`/api/v1/invitations?status=${status}`);
      expect(response.statusCode).toBe(200);
      expect(response.json().data.map((i: Invitation) => i.id)).toEqual([id]);
    }
  });

  it("lets managers list, not agents or viewers; answers 400 for an unknown status or a forged cursor", async () => {
    expect((await ws.manager.client.get("/api/v1/invitations")).statusCode).toBe(200);
    expect((await ws.agent.client.get("/api/v1/invitations")).statusCode).toBe(403);
    expect((await ws.viewer.client.get("/api/v1/invitations")).statusCode).toBe(403);
    const status = await ws.admin.client.get("/api/v1/invitations?status=lost");
    expect(status.statusCode).toBe(400);
    expect(pathsOf(status)).toEqual(["status"]);
    const cursor = await ws.admin.client.get("/api/v1/invitations?cursor=not-a-cursor");
    expect(cursor.statusCode).toBe(400);
    expect(pathsOf(cursor)).toEqual(["cursor"]);
  });

  it("shows no other workspace's invitations", async () => {
    const mine = await invite(ws.admin.client, newAddress("isolated"));
    const theirs: Invitation[] = (await other.admin.client.get("/api/v1/invitations?limit=200")).json().data;
    expect(theirs.some((i) => i.id === mine.id)).toBe(false);
  });
});

describe("DELETE /api/v1/invitations/:id", () => {
  it("revokes: 204, the link stops working, and revoking again is harmless", async () => {
    const { invitation, token } = await inviteWithToken(ws.admin.client, newAddress());
    const response = await ws.admin.client.delete(`/api/v1/invitations/${invitation.id}`);
    expect(response.statusCode).toBe(204);
    expect((await inspect(token)).statusCode).toBe(400);
    const accept = await anonymous(app).post("/api/v1/invitations/accept", {
      token,
      name: "Too late",
      password: "lantern-orbit-meadow-74",
    });
    expect(accept.statusCode).toBe(400);
    expect(pathsOf(accept)).toEqual(["token"]);
    expect(await statusesOf(ws.admin.client, [invitation.id])).toEqual(["revoked"]);
    expect((await ws.admin.client.delete(`/api/v1/invitations/${invitation.id.toUpperCase()}`)).statusCode).toBe(204);
  });

  it("answers 409 for an accepted invitation", async () => {
    const { invitation, token } = await inviteWithToken(ws.admin.client, newAddress());
    const accepted = await anonymous(app).post("/api/v1/invitations/accept", {
      token,
      name: "Accepted",
      password: "lantern-orbit-meadow-74",
    });
    expect(accepted.statusCode, accepted.body).toBe(200);
    const response = await ws.admin.client.delete(`/api/v1/invitations/${invitation.id}`);
    expect(response.statusCode).toBe(409);
    expect(response.json().type).toBe("/problems/conflict");
  });

  it("answers 404 to another workspace's admin, and the invitation still works", async () => {
    const { invitation, token } = await inviteWithToken(ws.admin.client, newAddress());
    const response = await other.admin.client.delete(`/api/v1/invitations/${invitation.id}`);
    expect(response.statusCode).toBe(404);
    expect((await inspect(token)).statusCode).toBe(200);
  });

  it("lets a manager revoke agents' invitations but not an admin's (403), and refuses agents", async () => {
    const agentInvitation = await invite(ws.admin.client, newAddress(), "agent");
    const adminInvitation = await invite(ws.admin.client, newAddress(), "admin");
    expect((await ws.agent.client.delete(`/api/v1/invitations/${agentInvitation.id}`)).statusCode).toBe(403);
    expect((await ws.manager.client.delete(`/api/v1/invitations/${adminInvitation.id}`)).statusCode).toBe(403);
    expect((await ws.manager.client.delete(`/api/v1/invitations/${agentInvitation.id}`)).statusCode).toBe(204);
    expect(await statusesOf(ws.admin.client, [agentInvitation.id, adminInvitation.id])).toEqual(["revoked", "pending"]);
  });

  it("answers 400 for an id that is no UUID", async () => {
    const response = await ws.admin.client.delete("/api/v1/invitations/42");
    expect(response.statusCode).toBe(400);
    expect(pathsOf(response)).toEqual(["id"]);
  });
});
