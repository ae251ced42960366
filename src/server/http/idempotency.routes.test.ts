import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "../lib/ids.ts";
import { createTestApp, createTestWorkspace, type TestWorkspace } from "../test/create-test-app.ts";

let app: FastifyInstance;
let ws: TestWorkspace;

beforeAll(async () => {
  app = await createTestApp();
  ws = await createTestWorkspace(app, "Idempotency");
});
afterAll(() => app.close());

const newContact = () => ({ firstName: "Grace", lastName: "Hopper", email: `grace.${newId()}@example.com` });
const countByEmail = async (email: string) =>
  (await ws.admin.client.get(`/api/v1/contacts/count?filter[email]=${encodeURIComponent(email)}`)).json().count;

describe("Idempotency-Key", () => {
  it("makes concurrent retries of one write wait for it and replay its answer: one record", async () => {
    const key = `race-${newId()}`;
    const body = newContact();
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => ws.admin.client.post("/api/v1/contacts", body, { "idempotency-key": key })),
    );
    expect(answers.map((a) => a.statusCode)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(answers.map((a) => a.json().id)).size).toBe(1);
    expect(answers.filter((a) => a.headers["idempotent-replayed"] === "true")).toHaveLength(4);
    expect(answers.every((a) => a.headers.location === `/api/v1/contacts/${answers[0]?.json().id}`)).toBe(true);
    expect(await countByEmail(body.email)).toBe(1);
  });

  it("replays a refusal, and a key reused for another request does not replace the first answer", async () => {
    const taken = newContact();
    expect((await ws.admin.client.post("/api/v1/contacts", taken)).statusCode).toBe(201);
    const key = `refused-${newId()}`;
    const first = await ws.admin.client.post("/api/v1/contacts", taken, { "idempotency-key": key });
    expect(first.statusCode).toBe(409);
    const reused = await ws.admin.client.post("/api/v1/contacts", newContact(), { "idempotency-key": key });
    expect(reused.statusCode).toBe(422);
    const again = await ws.admin.client.post("/api/v1/contacts", taken, { "idempotency-key": key });
    expect(again.statusCode).toBe(409);
    expect(again.headers["idempotent-replayed"]).toBe("true");
    expect(again.headers["content-type"]).toContain("application/problem+json");
    expect(again.json().requestId).toBe(first.json().requestId);
  });

  it("replays a PATCH without applying it twice, and a DELETE's 204 without a body", async () => {
    const contact = (await ws.admin.client.post("/api/v1/contacts", newContact())).json();
    const patchKey = `patch-${newId()}`;
    const patch = () =>
      ws.admin.client.patch(
        `/api/v1/contacts/${contact.id}`,
        { jobTitle: "Admiral" },
        { "idempotency-key": patchKey, "if-match": '"1"' },
      );
    const first = await patch();
    expect(first.statusCode).toBe(200);
    expect(first.json().version).toBe(2);
    const second = await patch();
    expect(second.statusCode).toBe(200);
    expect(second.json().version).toBe(2);
    expect((await ws.admin.client.get(`/api/v1/contacts/${contact.id}`)).json().version).toBe(2);

    const deleteKey = `delete-${newId()}`;
    const removed = await ws.admin.client.delete(`/api/v1/contacts/${contact.id}`, { "idempotency-key": deleteKey });
    const replayed = await ws.admin.client.delete(`/api/v1/contacts/${contact.id}`, { "idempotency-key": deleteKey });
    expect([removed.statusCode, replayed.statusCode]).toEqual([204, 204]);
    expect(replayed.body).toBe("");
    expect(replayed.headers["idempotent-replayed"]).toBe("true");
  });

  it("commits a keyed bulk action with its key or not at all", async () => {
    const ids = await Promise.all(
      [1, 2].map(async () => (await ws.admin.client.post("/api/v1/contacts", newContact())).json().id as string),
    );
    const key = `bulk-${newId()}`;
    // An owner from outside the workspace refuses the whole action before any record changes.
    const refused = await ws.admin.client.post(
      "/api/v1/contacts/bulk",
      { action: "assign", ids, ownerId: newId() },
      { "idempotency-key": key },
    );
    expect(refused.statusCode).toBe(400);
    for (const id of ids) expect((await ws.admin.client.get(`/api/v1/contacts/${id}`)).json().deletedAt).toBeNull();
    const done = await ws.admin.client.post(
      "/api/v1/contacts/bulk",
      { action: "delete", ids },
      { "idempotency-key": `bulk-${newId()}` },
    );
    expect(done.statusCode).toBe(200);
    for (const id of ids) expect((await ws.admin.client.get(`/api/v1/contacts/${id}`)).json().deletedAt).not.toBeNull();
  });
});
