import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Job } from "../../../shared/schemas/job.ts";
import { parseConfig } from "../../config.ts";
import { createLogger } from "../../http/logging.ts";
import { startWorkers, type JobDefinition, type JobRuntime } from "../../jobs/index.ts";
import { newId } from "../../lib/ids.ts";
import { createTestApp, createTestWorkspace, testDatabase, type TestWorkspace } from "../../test/create-test-app.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Queues of this file only: other test files on the same PostgreSQL server run workers too.
const suffix = newId();
const failing: JobDefinition = {
  name: `test.jobs-api.failing.${suffix}`,
  options: { retryLimit: 0, pollingIntervalSeconds: 0.5 },
  async handler() {
    throw new Error("The endpoint answered 500");
  },
};
const succeeding: JobDefinition = {
  name: `test.jobs-api.succeeding.${suffix}`,
  options: { pollingIntervalSeconds: 0.5 },
  async handler() {},
};

let app: FastifyInstance;
let a: TestWorkspace;
let b: TestWorkspace;
let runtime: JobRuntime;
const contactId = newId();
const ids: Record<"aFailed" | "aDone" | "aSecondDone" | "bFailed", string> = {
  aFailed: "",
  aDone: "",
  aSecondDone: "",
  bFailed: "",
};

type Page = { data: Job[]; nextCursor: string | null };

async function listAs(workspace: TestWorkspace, query = ""): Promise<Page> {
  const response = await workspace.admin.client.get(`/api/v1/jobs${query}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

async function until(isDone: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const started = Date.now();
  while (!(await isDone())) {
    if (Date.now() - started > timeoutMs) throw new Error("timed out");
    await sleep(100);
  }
}

const stateOf = async (workspace: TestWorkspace, id: string) =>
  (await listAs(workspace, "?limit=200")).data.find((job) => job.id === id)?.state;

beforeAll(async () => {
  app = await createTestApp();
  a = await createTestWorkspace(app, "A");
  b = await createTestWorkspace(app, "B");
  const config = parseConfig({ NODE_ENV: "test", LOG_LEVEL: "silent" });
  runtime = await startWorkers({
    connection: await testDatabase(),
    config,
    logger: createLogger(config),
    definitions: [failing, succeeding],
    loops: [],
    stopTimeoutMs: 1_000,
  });
  // A few milliseconds apart: jobs created in the same instant have no newest (the list then
  // orders them by their random ids), and the embedded database's clock counts milliseconds.
  const send = async (name: string, workspaceId: string, extra: Record<string, unknown> = {}) => {
    await sleep(5);
    return (await runtime.send(name, { workspaceId, ...extra })) ?? "";
  };
  ids.aFailed = await send(failing.name, a.id, { contactId, email: "ann@example.com" });
  ids.bFailed = await send(failing.name, b.id);
  ids.aDone = await send(succeeding.name, a.id);
  ids.aSecondDone = await send(succeeding.name, a.id);
  await until(async () => (await stateOf(a, ids.aFailed)) === "failed" && (await stateOf(b, ids.bFailed)) === "failed");
  await until(async () => (await stateOf(a, ids.aSecondDone)) === "completed");
});

afterAll(async () => {
  await runtime?.stop();
  await app?.close();
});

describe("GET /api/v1/jobs", () => {
  it("lists the workspace's jobs only, newest first, with state, attempts and the failure's message", async () => {
    const page = await listAs(a, "?limit=200");
    const mine = page.data.map((job) => job.id);
    expect(mine).toEqual([ids.aSecondDone, ids.aDone, ids.aFailed]);
    expect(mine).not.toContain(ids.bFailed);
    expect((await listAs(b, "?limit=200")).data.map((job) => job.id)).toEqual([ids.bFailed]);
    const failed = page.data.find((job) => job.id === ids.aFailed);
    expect(failed).toMatchObject({
      queue: failing.name,
      state: "failed",
      attempts: 1,
      maxAttempts: 1,
      lastError: "The endpoint answered 500",
      runAfter: null,
    });
    // ISO 8601 in UTC, as every time the API answers, on either database's driver.
    const iso = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(failed).toMatchObject({ createdAt: iso, startedAt: iso, completedAt: iso });
    const done = page.data.find((job) => job.id === ids.aDone);
    expect(done).toMatchObject({ state: "completed", attempts: 1, lastError: null });
  });

  it("sums the data up: ids by field, other fields by name only", async () => {
    const response = await a.admin.client.get("/api/v1/jobs?state=failed");
    expect(response.json().data[0].data).toEqual({ ids: { contactId }, otherFields: ["email"] });
    expect(response.body).not.toContain("ann@example.com");
  });

  it("pages newest first by cursor, and filters by state and queue", async () => {
    const first = await listAs(a, "?limit=2");
    expect(first.data.map((job) => job.id)).toEqual([ids.aSecondDone, ids.aDone]);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await listAs(a, `?limit=2&cursor=${first.nextCursor}`);
    expect(second.data.map((job) => job.id)).toEqual([ids.aFailed]);
    expect(second.nextCursor).toBeNull();
    expect((await listAs(a, "?state=failed")).data.map((job) => job.id)).toEqual([ids.aFailed]);
    expect((await listAs(a, "?state=completed")).data.map((job) => job.id)).toEqual([ids.aSecondDone, ids.aDone]);
    expect((await listAs(a, `?queue=${failing.name}`)).data.map((job) => job.id)).toEqual([ids.aFailed]);
    expect((await listAs(a, "?state=active")).data).toEqual([]);
  });

  it("answers 400 naming the field for a bad state, queue or cursor", async () => {
    for (const [query, path] of [
      ["?state=done", "state"],
      ["?queue=no%20spaces", "queue"],
      ["?cursor=abc", "cursor"],
      ["?limit=0", "limit"],
    ] as const) {
      const response = await a.admin.client.get(`/api/v1/jobs${query}`);
      expect(response.statusCode, query).toBe(400);
      expect(response.json().errors[0].path, query).toBe(path);
    }
  });

  it("refuses members who are not admins (403), and API keys, whatever their scopes (403)", async () => {
    for (const member of [a.manager, a.agent, a.viewer]) {
      const response = await member.client.get("/api/v1/jobs");
      expect(response.statusCode, member.role).toBe(403);
      expect((await member.client.post(`/api/v1/jobs/${ids.aFailed}/retry`)).statusCode, member.role).toBe(403);
    }
    const created = await a.admin.client.post("/api/v1/api-keys", { name: "Everything", scopes: ["*:write"] });
    expect(created.statusCode, created.body).toBe(201);
    const asKey = await app.inject({ url: "/api/v1/jobs", headers: { authorization: `Bearer ${created.json().key}` } });
    expect(asKey.statusCode).toBe(403);
    expect(asKey.json().detail).toBe("API keys cannot read or retry background jobs.");
  });
});

describe("POST /api/v1/jobs/:id/retry", () => {
  it("answers 404 for another workspace's job, a job that has not failed, and an unknown id", async () => {
    for (const id of [ids.bFailed, ids.aDone, newId()]) {
      const response = await a.admin.client.post(`/api/v1/jobs/${id}/retry`);
      expect(response.statusCode, id).toBe(404);
    }
    expect(await stateOf(b, ids.bFailed)).toBe("failed");
  });

  it("queues a failed job of the workspace again with one more attempt, and a worker runs it", async () => {
    const response = await a.admin.client.post(`/api/v1/jobs/${ids.aFailed}/retry`);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ id: ids.aFailed, state: "retry", attempts: 1, maxAttempts: 2 });
    // Its handler fails again: a second attempt, failed for good.
    await until(async () => (await listAs(a, "?state=failed")).data.some((job) => job.attempts === 2));
    // An Idempotency-Key is ignored: pg-boss writes outside the workspace's transaction (on the
    // embedded database, inside it, the retry would wait for itself).
    const again = await a.admin.client.post(`/api/v1/jobs/${ids.aFailed}/retry`, {}, { "idempotency-key": "again-1" });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ state: "retry", maxAttempts: 3 });
    expect(again.headers["idempotent-replayed"]).toBeUndefined();
  });
});
