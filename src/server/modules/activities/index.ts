import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";

/** Placeholder until the activities module lands. */
export const activitiesRoutes: FastifyPluginAsyncZod = async () => {};
