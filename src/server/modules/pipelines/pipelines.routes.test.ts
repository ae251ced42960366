import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Pipeline } from "../../../shared/schemas/pipeline.ts";
import { createTestApp, createTestWorkspace, type TestWorkspace } from "../../test/create-test-app.ts";
import { defaultPipelineOf, stageNamed } from "./pipelines.factory.ts";

let app: FastifyInstance;
let ws: TestWorkspace;
let other: TestWorkspace;

beforeAll(async () => {
  app = await createTestApp();
  ws = await createTestWorkspace(app);
  other = await createTestWorkspace(app, "Other");
});
afterAll(() => app.close());

const unique = (prefix: string) => `${prefix} ${Math.random().toString(36).slice(2, 8)}`;
const newPipeline = (overrides: Record<string, unknown> = {}) => ({
  name: unique("Admissions"),
  stages: [
    { name: "Applied", probability: 10 },
    { name: "Interviewed" },
    { name: "Enrolled", isWon: true },
    { name: "Declined", isLost: true },
  ],
  ...overrides,
});
const createPipeline = async (overrides: Record<string, unknown> = {}, workspace = ws): Promise<Pipeline> => {
  const response = await workspace.admin.client.post("/api/v1/pipelines", newPipeline(overrides));
  expect(response.statusCode).toBe(201);
  return response.json();
};
const paths = (response: { json: () => { errors?: { path: string }[] } }) =>
  (response.json().errors ?? []).map((e) => e.path).sort();

describe("GET /api/v1/pipelines", () => {
  it("answers the workspace's default pipeline with its stages in order, to every role", async () => {
    const response = await ws.viewer.client.get("/api/v1/pipelines");
    expect(response.statusCode).toBe(200);
    const [sales] = response.json().data as Pipeline[];
    expect(sales).toMatchObject({ name: "Sales", isDefault: true, version: 1, deletedAt: null });
    expect(sales?.stages.map((s) => s.name)).toEqual([
      "Lead",
      "Qualified",
      "Proposal",
      "Negotiation",
      "Closed won",
      "Closed lost",
    ]);
    expect(sales?.stages.map((s) => s.position)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(stageNamed(sales!, "Closed won")).toMatchObject({ isWon: true, isLost: false, probability: 100 });
  });

  it("pages with a cursor, counts, and never shows another workspace's pipelines", async () => {
    const workspace = await createTestWorkspace(app, "Paging");
    for (let i = 0; i < 3; i++) await createPipeline({}, workspace);
    const first = (await workspace.agent.client.get("/api/v1/pipelines?limit=2")).json();
    expect(first.data).toHaveLength(2);
    const second = (await workspace.agent.client.get(`/api/v1/pipelines?limit=2&cursor=${first.nextCursor}`)).json();
    expect(second.data).toHaveLength(2);
    expect(second.nextCursor).toBeNull();
    const ids = [...first.data, ...second.data].map((p: Pipeline) => p.id);
    expect(new Set(ids).size).toBe(4);
    expect((await workspace.viewer.client.get("/api/v1/pipelines/count")).json()).toEqual({ count: 4 });
    const otherIds = (await other.admin.client.get("/api/v1/pipelines")).json().data.map((p: Pipeline) => p.id);
    expect(otherIds.some((id: string) => ids.includes(id))).toBe(false);
    const sorted = (await workspace.agent.client.get("/api/v1/pipelines?sort=name"))
      .json()
      .data.map((p: Pipeline) => p.name);
    expect(sorted).toEqual([...sorted].sort());
  });

  it("answers 400 for an unsortable field and a search (pipelines have none)", async () => {
    expect((await ws.admin.client.get("/api/v1/pipelines?sort=isDefault")).statusCode).toBe(400);
    expect(paths(await ws.admin.client.get("/api/v1/pipelines?q=sales"))).toEqual(["q"]);
  });
});

describe("POST /api/v1/pipelines", () => {
  it("creates a pipeline with stages in list order and default probabilities (admin only)", async () => {
    const response = await ws.admin.client.post("/api/v1/pipelines", newPipeline());
    expect(response.statusCode).toBe(201);
    const pipeline: Pipeline = response.json();
    expect(response.headers.location).toBe(`/api/v1/pipelines/${pipeline.id}`);
    expect(pipeline).toMatchObject({ isDefault: false, version: 1, createdBy: ws.admin.userId });
    expect(pipeline.stages.map((s) => [s.name, s.position, s.probability, s.isWon, s.isLost])).toEqual([
      ["Applied", 0, 10, false, false],
      ["Interviewed", 1, 0, false, false],
      ["Enrolled", 2, 100, true, false],
      ["Declined", 3, 0, false, true],
    ]);
    expect((await ws.viewer.client.get(`/api/v1/pipelines/${pipeline.id}`)).json()).toEqual(pipeline);
  });

  it("answers 403 to managers, agents and viewers", async () => {
    for (const member of [ws.manager, ws.agent, ws.viewer]) {
      expect((await member.client.post("/api/v1/pipelines", newPipeline())).statusCode).toBe(403);
    }
  });

  it("answers 400 naming every bad field and stores nothing", async () => {
    const before = (await ws.admin.client.get("/api/v1/pipelines/count")).json().count;
    const response = await ws.admin.client.post("/api/v1/pipelines", {
      name: "x".repeat(101),
      color: "red",
      stages: [
        { name: "A", probability: 101 },
        { name: "B", isWon: true, isLost: true },
        { name: "", probability: 1.5 },
        { name: "C", id: "nope" },
      ],
    });
    expect(response.statusCode).toBe(400);
    expect(paths(response)).toEqual(
      [
        "color",
        "name",
        "stages.0.probability",
        "stages.1.isLost",
        "stages.2.name",
        "stages.2.probability",
        "stages.3.id",
      ].sort(),
    );
    const twice = await ws.admin.client.post("/api/v1/pipelines", {
      name: unique("Twice"),
      stages: [{ name: "A" }, { name: "a" }],
    });
    expect(paths(twice)).toEqual(["stages.1.name"]);
    expect(paths(await ws.admin.client.post("/api/v1/pipelines", { name: unique("Empty"), stages: [] }))).toEqual([
      "stages",
    ]);
    const tooMany = Array.from({ length: 31 }, (_, i) => ({ name: `S${i}` }));
    expect(paths(await ws.admin.client.post("/api/v1/pipelines", { name: unique("Big"), stages: tooMany }))).toEqual([
      "stages",
    ]);
    expect((await ws.admin.client.get("/api/v1/pipelines/count")).json().count).toBe(before);
  });

  it("answers 409 for a name already used in the workspace, but not in another", async () => {
    const name = unique("Dup");
    await createPipeline({ name });
    const again = await ws.admin.client.post("/api/v1/pipelines", newPipeline({ name: name.toUpperCase() }));
    expect(again.statusCode).toBe(409);
    expect(paths(again)).toEqual(["name"]);
    await createPipeline({ name }, other);
  });

  it("moves the default flag when created with isDefault", async () => {
    const workspace = await createTestWorkspace(app, "Default move");
    const sales = await defaultPipelineOf(workspace.admin);
    const created = await createPipeline({ isDefault: true }, workspace);
    expect(created.isDefault).toBe(true);
    expect((await workspace.admin.client.get(`/api/v1/pipelines/${sales.id}`)).json()).toMatchObject({
      isDefault: false,
      version: 2,
    });
  });
});

describe("PATCH /api/v1/pipelines/:id", () => {
  it("renames with If-Match and answers 412 on a stale version", async () => {
    const pipeline = await createPipeline();
    const renamed = await ws.admin.client.patch(
      `/api/v1/pipelines/${pipeline.id}`,
      { name: "Renamed " + pipeline.id },
      { "if-match": '"1"' },
    );
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json()).toMatchObject({ version: 2, name: "Renamed " + pipeline.id });
    expect(renamed.headers.etag).toBe('"2"');
    const stale = await ws.admin.client.patch(
      `/api/v1/pipelines/${pipeline.id}`,
      { name: "Again" },
      { "if-match": '"1"' },
    );
    expect(stale.statusCode).toBe(412);
  });

  it("makes a pipeline the default and clears the previous default in the same change", async () => {
    const workspace = await createTestWorkspace(app, "Default patch");
    const sales = await defaultPipelineOf(workspace.admin);
    const pipeline = await createPipeline({}, workspace);
    const response = await workspace.admin.client.patch(`/api/v1/pipelines/${pipeline.id}`, { isDefault: true });
    expect(response.json().isDefault).toBe(true);
    expect((await defaultPipelineOf(workspace.viewer)).id).toBe(pipeline.id);
    expect((await workspace.admin.client.get(`/api/v1/pipelines/${sales.id}`)).json().isDefault).toBe(false);
    const unset = await workspace.admin.client.patch(`/api/v1/pipelines/${pipeline.id}`, { isDefault: false });
    expect(unset.statusCode).toBe(422);
    expect(paths(unset)).toEqual(["isDefault"]);
  });

  it("answers 403 to managers, agents and viewers", async () => {
    const pipeline = await createPipeline();
    for (const member of [ws.manager, ws.agent, ws.viewer]) {
      expect((await member.client.patch(`/api/v1/pipelines/${pipeline.id}`, { name: "No" })).statusCode).toBe(403);
    }
  });
});

describe("DELETE and restore", () => {
  it("soft-deletes (hidden from lists, still readable) and restores, admins only", async () => {
    const pipeline = await createPipeline();
    expect((await ws.manager.client.delete(`/api/v1/pipelines/${pipeline.id}`)).statusCode).toBe(403);
    expect((await ws.admin.client.delete(`/api/v1/pipelines/${pipeline.id}`)).statusCode).toBe(204);
    expect((await ws.admin.client.get(`/api/v1/pipelines?filter[id]=${pipeline.id}`)).json().data).toEqual([]);
    const trash = (await ws.admin.client.get(`/api/v1/pipelines?filter[id]=${pipeline.id}&filter[deleted]=true`)).json()
      .data;
    expect(trash[0].stages).toHaveLength(4);
    expect((await ws.admin.client.get(`/api/v1/pipelines/${pipeline.id}`)).json().deletedAt).not.toBeNull();
    expect((await ws.admin.client.post("/api/v1/deals", { name: "Nope", pipelineId: pipeline.id })).statusCode).toBe(
      400,
    );
    expect((await ws.manager.client.post(`/api/v1/pipelines/${pipeline.id}/restore`)).statusCode).toBe(403);
    const restored = await ws.admin.client.post(`/api/v1/pipelines/${pipeline.id}/restore`);
    expect(restored.statusCode).toBe(200);
    expect(restored.json()).toMatchObject({ deletedAt: null, isDefault: false });
  });

  it("answers 409 for the default pipeline and for one with open deals", async () => {
    const sales = await defaultPipelineOf(ws.admin);
    const refused = await ws.admin.client.delete(`/api/v1/pipelines/${sales.id}`);
    expect(refused.statusCode).toBe(409);
    const pipeline = await createPipeline();
    const deal = (await ws.admin.client.post("/api/v1/deals", { name: "Open", pipelineId: pipeline.id })).json();
    expect((await ws.admin.client.delete(`/api/v1/pipelines/${pipeline.id}`)).statusCode).toBe(409);
    await ws.admin.client.patch(`/api/v1/deals/${deal.id}`, { stageId: stageNamed(pipeline, "Enrolled").id });
    expect((await ws.admin.client.delete(`/api/v1/pipelines/${pipeline.id}`)).statusCode).toBe(204);
  });

  it("answers 409 when restoring a pipeline whose name was taken meanwhile", async () => {
    const pipeline = await createPipeline();
    await ws.admin.client.delete(`/api/v1/pipelines/${pipeline.id}`);
    await createPipeline({ name: pipeline.name });
    expect((await ws.admin.client.post(`/api/v1/pipelines/${pipeline.id}/restore`)).statusCode).toBe(409);
  });
});

describe("another workspace's pipeline", () => {
  it("answers 404 on get, patch, delete and restore, and changes nothing", async () => {
    const theirs = await createPipeline({}, other);
    const url = `/api/v1/pipelines/${theirs.id}`;
    expect((await ws.admin.client.get(url)).statusCode).toBe(404);
    expect((await ws.admin.client.patch(url, { name: "Mine" })).statusCode).toBe(404);
    expect((await ws.admin.client.delete(url)).statusCode).toBe(404);
    expect((await ws.admin.client.post(`${url}/restore`)).statusCode).toBe(404);
    expect((await ws.admin.client.get(`/api/v1/pipelines?filter[id]=${theirs.id}`)).json().data).toEqual([]);
    expect((await ws.admin.client.get(`/api/v1/pipelines/count?filter[id]=${theirs.id}`)).json().count).toBe(0);
    expect((await other.admin.client.get(url)).json()).toEqual(theirs);
  });
});
