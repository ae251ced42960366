import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../config.ts";
import {
  anonymous,
  createTestApp,
  createTestWorkspace,
  testDatabase,
  type TestWorkspace,
} from "../../test/create-test-app.ts";
import { sendMail } from "./mail.service.ts";

let app: FastifyInstance;
let ws: TestWorkspace;
let other: TestWorkspace;

beforeAll(async () => {
  app = await createTestApp();
  ws = await createTestWorkspace(app, "Outbox workspace");
  other = await createTestWorkspace(app, "Other workspace");
});
afterAll(() => app.close());

async function send(to: string, subject: string) {
  const { db } = await testDatabase();
  const config = parseConfig({ NODE_ENV: "test" });
  expect(await sendMail({ db, config, log: app.log }, { to, subject, text: `About ${subject}` })).toBe(true);
}

describe("GET /api/v1/admin/outbox", () => {
  it("shows an admin the messages to their workspace's members, newest first", async () => {
    await send(ws.agent.email.toUpperCase(), "first");
    await send(ws.viewer.email, "second");
    await send(other.agent.email, "elsewhere");
    const response = await ws.admin.client.get("/api/v1/admin/outbox");
    expect(response.statusCode).toBe(200);
    const subjects = (response.json().data as { subject: string }[]).map((m) => m.subject);
    expect(subjects).toEqual(["second", "first"]);
    expect(response.json().data[0]).toMatchObject({ to: ws.viewer.email, text: "About second", html: null });

    const limited = await ws.admin.client.get("/api/v1/admin/outbox?limit=1");
    expect(limited.json().data).toHaveLength(1);
    expect((await other.admin.client.get("/api/v1/admin/outbox")).json().data).toEqual([
      expect.objectContaining({ subject: "elsewhere" }),
    ]);
  });

  it("is for admins only", async () => {
    for (const member of [ws.manager, ws.agent, ws.viewer]) {
      expect((await member.client.get("/api/v1/admin/outbox")).statusCode).toBe(403);
    }
    expect((await anonymous(app).get("/api/v1/admin/outbox")).statusCode).toBe(401);
  });

  it("refuses API keys", async () => {
    const created = await ws.admin.client.post("/api/v1/api-keys", { name: "Outbox key", scopes: ["contacts:read"] });
    expect(created.statusCode, created.body).toBe(201);
    const response = await app.inject({
      method: "GET",
      url: "/api/v1/admin/outbox",
      headers: { authorization: `Bearer ${created.json().key as string}` },
    });
    expect(response.statusCode).toBe(403);
  });
});
