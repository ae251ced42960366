import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";

/** Placeholder until the tasks module lands. */
export const tasksRoutes: FastifyPluginAsyncZod = async () => {};
