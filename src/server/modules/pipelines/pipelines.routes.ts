import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { CreatePipelineSchema, PipelineSchema, UpdatePipelineSchema } from "../../../shared/schemas/pipeline.ts";
import { registerRecordRoutes } from "../../http/record-routes.ts";
import { pipelinesListSpec } from "./pipelines.repository.ts";
import {
  countPipelineRows,
  createPipeline,
  deletePipeline,
  getPipeline,
  listPipelines,
  restorePipeline,
  updatePipeline,
} from "./pipelines.service.ts";

/** /pipelines: the standard record endpoints; everyone reads, only admins write. */
export const pipelinesRoutes: FastifyPluginAsyncZod = async (app) => {
  registerRecordRoutes(app, {
    path: "/pipelines",
    tag: "Pipelines",
    noun: "pipeline",
    plural: "pipelines",
    listSpec: pipelinesListSpec,
    schemas: { record: PipelineSchema, create: CreatePipelineSchema, update: UpdatePipelineSchema },
    service: {
      list: listPipelines,
      count: countPipelineRows,
      get: getPipeline,
      create: createPipeline,
      update: updatePipeline,
      delete: deletePipeline,
      restore: restorePipeline,
    },
  });
};
