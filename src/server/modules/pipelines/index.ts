import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";

/** Placeholder until the pipelines module lands. */
export const pipelinesRoutes: FastifyPluginAsyncZod = async () => {};
