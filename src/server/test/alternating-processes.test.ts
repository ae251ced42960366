import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answeredBy, isAlternating } from "./alternating-processes.ts";
import { createTestApp, createTestWorkspace, type TestWorkspace } from "./create-test-app.ts";

/**
 * With KEEL_TEST_PROCESSES=2, the API suites' requests really go to two processes in turn, and a
 * write answered by one is what the other reads (CI runs the API suites so: .ci/run).
 */
describe.skipIf(!isAlternating)("API suites against two processes in turn", () => {
  let app: FastifyInstance;
  let ws: TestWorkspace;

  beforeAll(async () => {
    app = await createTestApp();
    ws = await createTestWorkspace(app, "Alternating");
  });
  afterAll(() => app.close());

  it("sends each request to the next process, and each reads what the other wrote", async () => {
    const before = new Map(answeredBy);
    const created = await ws.manager.client.post("/api/v1/contacts", { firstName: "Ada", lastName: "Turn" });
    expect(created.statusCode).toBe(201);
    const { id, version } = created.json<{ id: string; version: number }>();
    const read = await ws.viewer.client.get(`/api/v1/contacts/${id}`);
    expect(read.json()).toMatchObject({ id, version, lastName: "Turn" });
    const changed = await ws.manager.client.patch(
      `/api/v1/contacts/${id}`,
      { jobTitle: "CTO" },
      { "if-match": `"${version}"` },
    );
    expect(changed.statusCode).toBe(200);
    const stale = await ws.manager.client.patch(
      `/api/v1/contacts/${id}`,
      { jobTitle: "CFO" },
      { "if-match": `"${version}"` },
    );
    expect(stale.statusCode).toBe(412);

    const counts = [...answeredBy].map(([url, count]) => count - (before.get(url) ?? 0)).filter((count) => count > 0);
    expect(counts).toEqual([2, 2]);
  });
});
