export { pipelinesRoutes } from "./pipelines.routes.ts";
export {
  findDefaultPipelineId,
  findFirstStage,
  findStage,
  findStagesByIds,
  isLivePipeline,
  type PlacedStage,
} from "./pipelines.lookup.ts";
export { defaultPipeline } from "./pipelines.defaults.ts";
export { pipelineType } from "./pipelines.service.ts";
export { pipelineStages, pipelines } from "./pipelines.table.ts";
