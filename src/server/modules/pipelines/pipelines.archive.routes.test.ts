import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { templateStages } from "../../../shared/pipeline-templates.ts";
import type { Deal } from "../../../shared/schemas/deal.ts";
import type { Pipeline, Stage } from "../../../shared/schemas/pipeline.ts";
import { createTestApp, createTestWorkspace, type TestWorkspace } from "../../test/create-test-app.ts";
import { stageNamed } from "./pipelines.factory.ts";

let app: FastifyInstance;
let ws: TestWorkspace;

beforeAll(async () => {
  app = await createTestApp();
  ws = await createTestWorkspace(app);
});
afterAll(() => app.close());

type Problem = { type: string; detail: string; errors?: { path: string; message: string }[] };
const paths = (response: { json: () => { errors?: { path: string }[] } }) =>
  (response.json().errors ?? []).map((e) => e.path).sort();

const createAdmissions = async (): Promise<Pipeline> => {
  const response = await ws.admin.client.post("/api/v1/pipelines", {
    name: `Admissions ${Math.random().toString(36).slice(2, 8)}`,
    stages: templateStages("admissions"),
  });
  expect(response.statusCode).toBe(201);
  return response.json();
};
const createDeal = async (pipeline: Pipeline, stage?: Stage): Promise<Deal> => {
  const response = await ws.manager.client.post("/api/v1/deals", {
    name: "Applicant",
    pipelineId: pipeline.id,
    ...(stage ? { stageId: stage.id } : {}),
  });
  expect(response.statusCode).toBe(201);
  return response.json();
};
/** PATCH stages: every stage kept as it is, but those named in `changes`. */
const patchStages = (pipeline: Pipeline, changes: Record<string, Record<string, unknown>>, version?: number) =>
  ws.admin.client.patch(
    `/api/v1/pipelines/${pipeline.id}`,
    { stages: pipeline.stages.map((s) => ({ id: s.id, ...changes[s.name] })) },
    version === undefined ? undefined : { "if-match": `"${version}"` },
  );

describe("archiving a stage (PATCH /api/v1/pipelines/:id stages[].isArchived)", () => {
  it("archives a stage in use: its deals stay, the stage answers archivedAt, and it comes back with isArchived false", async () => {
    const pipeline = await createAdmissions();
    const interviewed = stageNamed(pipeline, "Interviewed");
    const deal = await createDeal(pipeline, interviewed);
    expect(interviewed.archivedAt).toBeNull();

    const archived = await patchStages(pipeline, { Interviewed: { isArchived: true } }, pipeline.version);
    expect(archived.statusCode).toBe(200);
    const stage = stageNamed(archived.json(), "Interviewed");
    expect(stage.id).toBe(interviewed.id);
    expect(Date.parse(String(stage.archivedAt))).toBeGreaterThan(0);
    expect(archived.json().stages.map((s: Stage) => s.name)).toEqual(pipeline.stages.map((s) => s.name));
    expect(archived.json().version).toBe(pipeline.version + 1);

    const kept = (await ws.manager.client.get(`/api/v1/deals/${deal.id}?include=stage`)).json();
    expect(kept).toMatchObject({
      stageId: interviewed.id,
      version: deal.version,
      stage: { archivedAt: stage.archivedAt },
    });

    const again = await patchStages(archived.json(), {});
    expect(stageNamed(again.json(), "Interviewed").archivedAt).toBe(stage.archivedAt);
    const back = await patchStages(archived.json(), { Interviewed: { isArchived: false } });
    expect(back.statusCode).toBe(200);
    expect(stageNamed(back.json(), "Interviewed").archivedAt).toBeNull();
  });

  it("writes the change to the audit log", async () => {
    const pipeline = await createAdmissions();
    await patchStages(pipeline, { Withdrawn: { isArchived: true } });
    const log = (await ws.admin.client.get(`/api/v1/audit-logs?resourceId=${pipeline.id}&action=pipeline.`)).json();
    expect(log.data[0]).toMatchObject({ action: "pipeline.updated", resourceId: pipeline.id });
    expect(Object.keys(log.data[0].changes)).toContain("stages");
  });

  it("answers 422 naming stageId when a deal is created in or moved into an archived stage", async () => {
    const pipeline = await createAdmissions();
    const admitted = stageNamed(pipeline, "Admitted");
    const deal = await createDeal(pipeline);
    await patchStages(pipeline, { Admitted: { isArchived: true } });

    const created = await ws.manager.client.post("/api/v1/deals", {
      name: "Late",
      pipelineId: pipeline.id,
      stageId: admitted.id,
    });
    expect(created.statusCode).toBe(422);
    expect(created.json<Problem>().type).toBe("/problems/rule-violation");
    expect(paths(created)).toEqual(["stageId"]);

    const moved = await ws.manager.client.patch(`/api/v1/deals/${deal.id}`, { stageId: admitted.id });
    expect(moved.statusCode).toBe(422);
    expect(paths(moved)).toEqual(["stageId"]);
    expect(moved.json<Problem>().detail).toContain("Admitted");
    expect((await ws.manager.client.get(`/api/v1/deals/${deal.id}`)).json()).toMatchObject({ version: deal.version });
  });

  it("lets deals in an archived stage be edited and moved out of it", async () => {
    const pipeline = await createAdmissions();
    const interviewed = stageNamed(pipeline, "Interviewed");
    const deal = await createDeal(pipeline, interviewed);
    await patchStages(pipeline, { Interviewed: { isArchived: true } });
    const renamed = await ws.manager.client.patch(`/api/v1/deals/${deal.id}`, {
      name: "Still here",
      stageId: interviewed.id,
    });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json()).toMatchObject({ name: "Still here", stageId: interviewed.id });
    const enrolled = stageNamed(pipeline, "Enrolled");
    const moved = await ws.manager.client.patch(`/api/v1/deals/${deal.id}`, { stageId: enrolled.id });
    expect(moved.statusCode).toBe(200);
    expect(moved.json()).toMatchObject({ stageId: enrolled.id, status: "won" });
  });

  it("places a new deal without stageId in the first stage that is not archived", async () => {
    const pipeline = await createAdmissions();
    await patchStages(pipeline, { Applied: { isArchived: true } });
    const deal = await createDeal(pipeline);
    expect(deal.stageId).toBe(stageNamed(pipeline, "Interviewed").id);
  });

  it("refuses a converted lead's deal in an archived stage, naming deal.stageId", async () => {
    const pipeline = await createAdmissions();
    const applied = stageNamed(pipeline, "Applied");
    await patchStages(pipeline, { Applied: { isArchived: true } });
    const lead = (
      await ws.admin.client.post("/api/v1/leads", { title: "Prospective student", status: "qualified" })
    ).json();
    const response = await ws.admin.client.post(`/api/v1/leads/${lead.id}/convert`, {
      deal: { pipelineId: pipeline.id, stageId: applied.id },
    });
    expect(response.statusCode).toBe(422);
    expect(paths(response)).toEqual(["deal.stageId"]);
  });

  it("answers 400 when every stage would be archived, and 409 suggesting archiving when a used stage is removed", async () => {
    const pipeline = await createAdmissions();
    const all = Object.fromEntries(pipeline.stages.map((s) => [s.name, { isArchived: true }]));
    const refused = await patchStages(pipeline, all);
    expect(refused.statusCode).toBe(400);
    expect(paths(refused)).toEqual(["stages"]);

    await createDeal(pipeline, stageNamed(pipeline, "Admitted"));
    const removed = await ws.admin.client.patch(`/api/v1/pipelines/${pipeline.id}`, {
      stages: pipeline.stages.filter((s) => s.name !== "Admitted").map((s) => ({ id: s.id })),
    });
    expect(removed.statusCode).toBe(409);
    expect(removed.json<Problem>().detail).toContain("archive");
    expect((await ws.admin.client.get(`/api/v1/pipelines/${pipeline.id}`)).json().version).toBe(1);
  });

  it("answers 412 for a stale If-Match and 403 to non-admins", async () => {
    const pipeline = await createAdmissions();
    await patchStages(pipeline, { Applied: { probability: 15 } });
    expect((await patchStages(pipeline, { Applied: { isArchived: true } }, pipeline.version)).statusCode).toBe(412);
    const byManager = await ws.manager.client.patch(`/api/v1/pipelines/${pipeline.id}`, {
      stages: pipeline.stages.map((s) => ({ id: s.id, isArchived: s.name === "Applied" })),
    });
    expect(byManager.statusCode).toBe(403);
  });
});
