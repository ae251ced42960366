import { asc, eq, sql } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  Client,
  anonymous,
  createTestApp,
  createTestWorkspace,
  createUser,
  testDatabase,
  type TestWorkspace,
} from "../../test/create-test-app.ts";
import { newId } from "../../lib/ids.ts";
import { createSession } from "../auth/sessions.ts";
import { pipelineStages, pipelines } from "../pipelines/pipelines.table.ts";
import { memberships } from "../users/users.table.ts";
import { workspaces } from "./workspaces.table.ts";

let app: FastifyInstance;
let ws: TestWorkspace;

beforeAll(async () => {
  app = await createTestApp();
  ws = await createTestWorkspace(app);
});
afterAll(() => app.close());

/** A signed-in user of no workspace yet, with a client that sends no workspace header. */
async function newcomer(): Promise<{ userId: string; client: Client }> {
  const { db } = await testDatabase();
  const user = await createUser("Newcomer");
  const { token } = await createSession(db, {
    userId: user.id,
    ipAddress: "127.0.0.1",
    userAgent: "test",
    ttlHours: 1,
  });
  return { userId: user.id, client: new Client(app, token, null) };
}

/** How many workspaces a user belongs to (other test files create workspaces concurrently). */
async function workspaceCountOf(userId: string): Promise<number> {
  const { db } = await testDatabase();
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(memberships)
    .where(eq(memberships.userId, userId));
  return row?.count ?? 0;
}

describe("POST /api/v1/workspaces", () => {
  it("creates a workspace with the caller as its only member, an admin, and answers 201 with Location", async () => {
    const { userId, client } = await newcomer();
    const response = await client.post("/api/v1/workspaces", { name: "  Admissions 2026  " });
    expect(response.statusCode).toBe(201);
    const workspace = response.json();
    expect(workspace).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: "Admissions 2026",
      baseCurrency: "USD",
      role: "admin",
      createdAt: expect.any(String),
    });
    expect(response.headers.location).toBe(`/api/v1/workspaces/${workspace.id}`);
    expect(Date.parse(workspace.createdAt)).toBeGreaterThan(Date.now() - 60_000);

    const { db } = await testDatabase();
    const members = await db
      .select({ userId: memberships.userId, role: memberships.role })
      .from(memberships)
      .where(eq(memberships.workspaceId, workspace.id));
    expect(members).toEqual([{ userId, role: "admin" }]);
  });

  it("makes the new workspace visible in /me at once and usable as admin", async () => {
    const { userId, client } = await newcomer();
    const workspace = (await client.post("/api/v1/workspaces", { name: "Fresh" })).json();
    const me = (await client.get("/api/v1/me")).json();
    expect(me.workspaces).toEqual([{ id: workspace.id, name: "Fresh", role: "admin" }]);
    expect(me.role).toBe("admin");

    const users = await client.get("/api/v1/users", { "x-workspace-id": workspace.id });
    expect(users.statusCode).toBe(200);
    expect(users.json().data).toEqual([expect.objectContaining({ id: userId, role: "admin" })]);
    const contact = await client.post("/api/v1/contacts", { firstName: "First" }, { "x-workspace-id": workspace.id });
    expect(contact.statusCode).toBe(201);
  });

  it("gives the new workspace the default pipeline with its six ordered stages", async () => {
    const { userId, client } = await newcomer();
    const workspace = (await client.post("/api/v1/workspaces", { name: "With pipeline" })).json();
    const { db } = await testDatabase();
    const rows = await db.select().from(pipelines).where(eq(pipelines.workspaceId, workspace.id));
    expect(rows).toEqual([
      expect.objectContaining({ name: "Sales", isDefault: true, createdBy: userId, deletedAt: null, version: 1 }),
    ]);
    const stages = await db
      .select({
        name: pipelineStages.name,
        position: pipelineStages.position,
        probability: pipelineStages.probability,
        isWon: pipelineStages.isWon,
        isLost: pipelineStages.isLost,
        pipelineId: pipelineStages.pipelineId,
      })
      .from(pipelineStages)
      .where(eq(pipelineStages.workspaceId, workspace.id))
      .orderBy(asc(pipelineStages.position));
    expect(stages.map((s) => s.name)).toEqual([
      "Lead",
      "Qualified",
      "Proposal",
      "Negotiation",
      "Closed won",
      "Closed lost",
    ]);
    expect(stages.map((s) => s.position)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(stages.every((s) => s.pipelineId === rows[0]?.id)).toBe(true);
    expect(stages.filter((s) => s.isWon).map((s) => s.name)).toEqual(["Closed won"]);
    expect(stages.filter((s) => s.isLost).map((s) => s.name)).toEqual(["Closed lost"]);
    expect(stages.map((s) => s.probability)).toEqual([10, 25, 50, 75, 100, 0]);
  });

  it("serves the default pipeline through GET /api/v1/pipelines", async () => {
    const { client } = await newcomer();
    const workspace = (await client.post("/api/v1/workspaces", { name: "Pipelines via API" })).json();
    const response = await client.get("/api/v1/pipelines", { "x-workspace-id": workspace.id });
    expect(response.statusCode).toBe(200);
    const [pipeline, ...rest] = response.json().data;
    expect(rest).toEqual([]);
    expect(pipeline).toMatchObject({ name: "Sales" });
    expect(pipeline.stages.map((s: { name: string }) => s.name)).toEqual([
      "Lead",
      "Qualified",
      "Proposal",
      "Negotiation",
      "Closed won",
      "Closed lost",
    ]);
  });

  it("accepts an Idempotency-Key from a user of no workspace yet", async () => {
    const { userId, client } = await newcomer();
    const response = await client.post("/api/v1/workspaces", { name: "Keyed" }, { "idempotency-key": `ws-${newId()}` });
    expect(response.statusCode, response.body).toBe(201);
    expect(await workspaceCountOf(userId)).toBe(1);
  });

  it("takes a base currency", async () => {
    const { client } = await newcomer();
    const response = await client.post("/api/v1/workspaces", { name: "Euro office", baseCurrency: "EUR" });
    expect(response.statusCode).toBe(201);
    expect(response.json().baseCurrency).toBe("EUR");
  });

  it("lets a member of another workspace create one, keeping their role there", async () => {
    const response = await ws.viewer.client.post("/api/v1/workspaces", { name: "Viewer's own" });
    expect(response.statusCode).toBe(201);
    const created = response.json();
    const me = (await ws.viewer.client.get("/api/v1/me")).json();
    expect(me.workspaces).toEqual(
      expect.arrayContaining([
        { id: ws.id, name: "Test workspace", role: "viewer" },
        { id: created.id, name: "Viewer's own", role: "admin" },
      ]),
    );
    // The original workspace did not gain a member and the viewer is still a viewer there.
    expect((await ws.admin.client.get("/api/v1/users/count")).json()).toEqual({ count: 4 });
    expect((await ws.viewer.client.post("/api/v1/contacts", { firstName: "Still no" })).statusCode).toBe(403);
  });

  it("creates independent workspaces even with the same name", async () => {
    const { client } = await newcomer();
    const first = (await client.post("/api/v1/workspaces", { name: "Twin" })).json();
    const second = await client.post("/api/v1/workspaces", { name: "Twin" });
    expect(second.statusCode).toBe(201);
    expect(second.json().id).not.toBe(first.id);
  });

  it.each([
    ["a missing name", {}, ["name"]],
    ["a blank name", { name: "   " }, ["name"]],
    ["a name over 100 characters", { name: "x".repeat(101) }, ["name"]],
    ["a name that is not text", { name: 42 }, ["name"]],
    ["a lower-case currency", { name: "Ok", baseCurrency: "eur" }, ["baseCurrency"]],
    ["a currency of four letters", { name: "Ok", baseCurrency: "EURO" }, ["baseCurrency"]],
    ["an unknown field", { name: "Ok", plan: "enterprise" }, ["plan"]],
    [
      "several bad fields at once",
      { name: "", baseCurrency: "x", id: "01900000-0000-7000-8000-000000000000" },
      ["baseCurrency", "id", "name"],
    ],
  ])("answers 400 naming the fields for %s and creates nothing", async (_name, body, paths) => {
    const before = await workspaceCountOf(ws.admin.userId);
    const response = await ws.admin.client.post("/api/v1/workspaces", body);
    expect(response.statusCode).toBe(400);
    expect(response.headers["content-type"]).toContain("application/problem+json");
    expect(
      response
        .json()
        .errors.map((e: { path: string }) => e.path)
        .sort(),
    ).toEqual([...paths].sort());
    expect(await workspaceCountOf(ws.admin.userId)).toBe(before);
  });

  it("answers 401 without a session and creates nothing", async () => {
    const name = `Anonymous ${Date.now()}`;
    const response = await anonymous(app).post("/api/v1/workspaces", { name });
    expect(response.statusCode).toBe(401);
    expect(response.json().type).toBe("/problems/unauthenticated");
    const { db } = await testDatabase();
    expect(await db.select({ id: workspaces.id }).from(workspaces).where(eq(workspaces.name, name))).toEqual([]);
  });

  it("answers 401 for a revoked session", async () => {
    const { client } = await newcomer();
    await client.post("/api/v1/auth/sign-out");
    expect((await client.post("/api/v1/workspaces", { name: "Too late" })).statusCode).toBe(401);
  });
});
