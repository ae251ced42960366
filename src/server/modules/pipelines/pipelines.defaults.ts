import { pipelineTemplates, templateStages } from "../../../shared/pipeline-templates.ts";

/** The stages every new workspace starts with (the sales template); admins rename or replace them. */
export const defaultStages = pipelineTemplates.sales.stages;

/** The default "Sales" pipeline of a new workspace, as a create input of the pipelines write path. */
export const defaultPipeline = {
  name: "Sales",
  isDefault: true,
  stages: templateStages("sales"),
};
