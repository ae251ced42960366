import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp } from "../test/create-test-app.ts";
import { WorkspaceFingerprint } from "../test/fuzz/checks.ts";
import { fuzzEnv } from "../test/fuzz/fixtures.ts";
import { operationsOf, type OpenApiDocument } from "../test/fuzz/openapi.ts";
import { FuzzRunner, planCases } from "../test/fuzz/runner.ts";

/**
 * Fuzzes every operation of the OpenAPI document with hostile path ids, query parameters, headers
 * and bodies (test/fuzz/hostile.ts; vCard texts and multipart uploads in test/fuzz/bodies.ts), each
 * case one input away from a valid request, from a fixed
 * seed. Every answer must be below 500 and free of stack traces and SQL; every 4xx a problem+json,
 * a 400 naming the field at fault; a refused write must leave the workspace's data as it was.
 *
 * KEEL_FUZZ_CASES sets how many cases are sent (the core cases always are; every known case when
 * it is high enough, about 90,000), KEEL_FUZZ_SEED which of the others are picked: CI runs the
 * default number with another seed on PostgreSQL than on PGlite, so each run tries twice as many
 * distinct cases. A failure names its case and the seed, so it can be sent again.
 */

const defaultCases = 4_000;
// eslint-disable-next-line n/no-process-env -- CI chooses the number of cases and the seed
const { KEEL_FUZZ_CASES, KEEL_FUZZ_SEED } = process.env;
const budget = Number(KEEL_FUZZ_CASES) || defaultCases;
const seed = Number(KEEL_FUZZ_SEED) || 20_240_601;

const app = await createTestApp({ env: fuzzEnv });
const doc: OpenApiDocument = (await app.inject({ method: "GET", url: "/api/openapi.json" })).json();
const operations = operationsOf(doc);
const plan = planCases(operations, doc, budget, seed);

let runner: FuzzRunner;
beforeAll(async () => {
  runner = await FuzzRunner.start(app);
});
afterAll(() => app.close());

const tags = [...new Set(operations.map((operation) => operation.tag))];
const timeout = 120_000 * Math.max(1, plan.picked / defaultCases);

describe(`API fuzz (${plan.picked} of ${plan.known} cases, seed ${seed})`, () => {
  it("covers every operation of the OpenAPI document", () => {
    expect(operations.length).toBeGreaterThan(50);
    const untried = operations.filter((operation) => plan.byOperation.get(operation)?.length === 0);
    expect(untried.map((operation) => `${operation.method} ${operation.path}`)).toEqual([]);
  });

  it("sees every kind of write in the data fingerprint", async () => {
    const { client } = runner.ws.admin;
    const read = () => runner.fingerprint.read();
    const before = await read();
    const created = await client.post("/api/v1/tasks", { title: "Fingerprinted" });
    const afterInsert = await read();
    await client.patch(`/api/v1/tasks/${created.json().id}`, { title: "Fingerprinted again" });
    const afterUpdate = await read();
    await client.delete(`/api/v1/tasks/${created.json().id}`);
    const afterDelete = await read();
    expect(WorkspaceFingerprint.changed(before, afterInsert)).toContain("tasks");
    expect(WorkspaceFingerprint.changed(afterInsert, afterUpdate)).toContain("tasks");
    expect(WorkspaceFingerprint.changed(afterUpdate, afterDelete)).toContain("tasks");
    expect(WorkspaceFingerprint.changed(afterDelete, await read())).toEqual([]);
  });

  it.each(tags)(
    "%s: hostile inputs answer < 500, problem+json naming the field, and change nothing",
    async (tag) => {
      const cases = operations
        .filter((operation) => operation.tag === tag)
        .flatMap((operation) => plan.byOperation.get(operation) ?? []);
      expect(await runner.run(cases)).toEqual([]);
    },
    timeout,
  );
});
