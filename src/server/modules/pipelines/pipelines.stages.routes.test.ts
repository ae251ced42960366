import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Pipeline } from "../../../shared/schemas/pipeline.ts";
import { createTestApp, createTestWorkspace, type TestWorkspace } from "../../test/create-test-app.ts";
import { stageNamed } from "./pipelines.factory.ts";

let app: FastifyInstance;
let ws: TestWorkspace;
let other: TestWorkspace;

beforeAll(async () => {
  app = await createTestApp();
  ws = await createTestWorkspace(app);
  other = await createTestWorkspace(app, "Other");
});
afterAll(() => app.close());

const createPipeline = async (workspace = ws): Promise<Pipeline> => {
  const response = await workspace.admin.client.post("/api/v1/pipelines", {
    name: `Admissions ${Math.random().toString(36).slice(2, 8)}`,
    stages: [
      { name: "Applied", probability: 10 },
      { name: "Interviewed", probability: 40 },
      { name: "Enrolled", isWon: true },
      { name: "Declined", isLost: true },
    ],
  });
  expect(response.statusCode).toBe(201);
  return response.json();
};
const patchStages = (pipeline: Pipeline, stages: unknown[]) =>
  ws.admin.client.patch(`/api/v1/pipelines/${pipeline.id}`, { stages });
const paths = (response: { json: () => { errors?: { path: string }[] } }) =>
  (response.json().errors ?? []).map((e) => e.path).sort();

describe("PATCH /api/v1/pipelines/:id stages", () => {
  it("updates listed stages in place, keeps omitted fields, creates new ones and reorders by list position", async () => {
    const pipeline = await createPipeline();
    const [applied, interviewed, enrolled, declined] = pipeline.stages;
    const response = await patchStages(pipeline, [
      { id: interviewed?.id, name: "Interview" },
      { id: applied?.id, probability: 5 },
      { name: "Admitted", probability: 80 },
      { id: enrolled?.id },
      { id: declined?.id },
    ]);
    expect(response.statusCode).toBe(200);
    const stages = (response.json() as Pipeline).stages;
    expect(stages.map((s) => [s.name, s.position, s.probability])).toEqual([
      ["Interview", 0, 40],
      ["Applied", 1, 5],
      ["Admitted", 2, 80],
      ["Enrolled", 3, 100],
      ["Declined", 4, 0],
    ]);
    expect(stages[0]?.id).toBe(interviewed?.id);
    expect(response.json().version).toBe(2);
  });

  it("removes stages no deal uses", async () => {
    const pipeline = await createPipeline();
    const kept = pipeline.stages.slice(0, 3).map((s) => ({ id: s.id }));
    const response = await patchStages(pipeline, kept);
    expect(response.statusCode).toBe(200);
    expect(response.json().stages.map((s: { name: string }) => s.name)).toEqual(["Applied", "Interviewed", "Enrolled"]);
  });

  it("answers 409 naming stages when a removed stage holds a deal, even a deleted one, and changes nothing", async () => {
    const pipeline = await createPipeline();
    const interviewed = stageNamed(pipeline, "Interviewed");
    const deal = (
      await ws.admin.client.post("/api/v1/deals", { name: "In use", pipelineId: pipeline.id, stageId: interviewed.id })
    ).json();
    const withoutInterviewed = pipeline.stages
      .filter((s) => s.id !== interviewed.id)
      .map((s) => ({ id: s.id, name: `${s.name}!` }));
    const refused = await patchStages(pipeline, withoutInterviewed);
    expect(refused.statusCode).toBe(409);
    expect(paths(refused)).toEqual(["stages"]);
    expect(refused.json().detail).toContain("Interviewed");
    await ws.admin.client.delete(`/api/v1/deals/${deal.id}`);
    expect((await patchStages(pipeline, withoutInterviewed)).statusCode).toBe(409);
    expect((await ws.admin.client.get(`/api/v1/pipelines/${pipeline.id}`)).json()).toEqual(pipeline);
  });

  it("answers 400 for a stage of another pipeline or workspace, and for merged values that break the rules", async () => {
    const pipeline = await createPipeline();
    const another = await createPipeline();
    const theirs = await createPipeline(other);
    const keep = pipeline.stages.map((s) => ({ id: s.id }));
    expect(paths(await patchStages(pipeline, [...keep, { id: another.stages[0]?.id }]))).toEqual(["stages.4.id"]);
    expect(paths(await patchStages(pipeline, [...keep, { id: theirs.stages[0]?.id }]))).toEqual(["stages.4.id"]);
    const declined = stageNamed(pipeline, "Declined");
    expect(paths(await patchStages(pipeline, [...keep.slice(0, 3), { id: declined.id, isWon: true }]))).toEqual([
      "stages.3.isLost",
    ]);
    expect(paths(await patchStages(pipeline, [...keep, { name: "applied" }]))).toEqual(["stages.4.name"]);
    expect(paths(await patchStages(pipeline, [...keep, { name: "X", probability: 101 }]))).toEqual([
      "stages.4.probability",
    ]);
    expect(paths(await patchStages(pipeline, [...keep, { probability: 50 }]))).toEqual(["stages.4.name"]);
    expect(paths(await patchStages(pipeline, [...keep, { id: pipeline.stages[0]?.id }]))).toEqual(["stages.4.id"]);
    expect(paths(await patchStages(pipeline, []))).toEqual(["stages"]);
    expect((await ws.admin.client.get(`/api/v1/pipelines/${pipeline.id}`)).json().version).toBe(1);
  });

  it("re-derives the status of deals in a stage whose won/lost flag changes", async () => {
    const pipeline = await createPipeline();
    const interviewed = stageNamed(pipeline, "Interviewed");
    const deal = (
      await ws.admin.client.post("/api/v1/deals", { name: "Flagged", pipelineId: pipeline.id, stageId: interviewed.id })
    ).json();
    const stages = pipeline.stages.map((s) => (s.id === interviewed.id ? { id: s.id, isWon: true } : { id: s.id }));
    expect((await patchStages(pipeline, stages)).statusCode).toBe(200);
    const won = (await ws.admin.client.get(`/api/v1/deals/${deal.id}`)).json();
    expect(won).toMatchObject({ status: "won", version: 2, actualCloseDate: new Date().toISOString().slice(0, 10) });
    const reopened = pipeline.stages.map((s) => (s.id === interviewed.id ? { id: s.id, isWon: false } : { id: s.id }));
    await patchStages(pipeline, reopened);
    expect((await ws.admin.client.get(`/api/v1/deals/${deal.id}`)).json()).toMatchObject({
      status: "open",
      actualCloseDate: null,
    });
  });

  it("clears the lost reason of deals whose stage stops being a lost one", async () => {
    const pipeline = await createPipeline();
    const interviewed = stageNamed(pipeline, "Interviewed");
    const asLost = pipeline.stages.map((s) => (s.id === interviewed.id ? { id: s.id, isLost: true } : { id: s.id }));
    expect((await patchStages(pipeline, asLost)).statusCode).toBe(200);
    const created = await ws.admin.client.post("/api/v1/deals", {
      name: "Lost on paper",
      pipelineId: pipeline.id,
      stageId: interviewed.id,
      lostReason: "Went elsewhere",
    });
    expect(created.json()).toMatchObject({ status: "lost", lostReason: "Went elsewhere" });
    const reopened = pipeline.stages.map((s) => (s.id === interviewed.id ? { id: s.id, isLost: false } : { id: s.id }));
    expect((await patchStages(pipeline, reopened)).statusCode).toBe(200);
    expect((await ws.admin.client.get(`/api/v1/deals/${created.json().id}`)).json()).toMatchObject({
      status: "open",
      lostReason: null,
    });
  });
});
