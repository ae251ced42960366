export { pipelinesRoutes } from "./pipelines.routes.ts";
export {
  findDefaultPipelineId,
  findFirstStage,
  findStage,
  findStagesByIds,
  isLivePipeline,
  type PlacedStage,
} from "./pipelines.lookup.ts";
export { insertDefaultPipeline } from "./pipelines.defaults.ts";
export { pipelineStages, pipelines } from "./pipelines.table.ts";
