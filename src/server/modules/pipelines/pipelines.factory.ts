import type { Pipeline, Stage } from "../../../shared/schemas/pipeline.ts";
import type { Member } from "../../test/create-test-app.ts";

/** The workspace's default pipeline as the API answers it (test data). */
export async function defaultPipelineOf(member: Member): Promise<Pipeline> {
  const response = await member.client.get("/api/v1/pipelines?filter[isDefault]=true");
  const [pipeline] = response.json().data as Pipeline[];
  if (!pipeline) throw new Error("workspace without default pipeline");
  return pipeline;
}

/** A stage of a pipeline by name (test data). */
export function stageNamed(pipeline: Pipeline, name: string): Stage {
  const stage = pipeline.stages.find((s) => s.name === name);
  if (!stage) throw new Error(`no stage ${name}`);
  return stage;
}
