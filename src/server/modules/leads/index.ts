import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";

/** Placeholder until the leads module lands. */
export const leadsRoutes: FastifyPluginAsyncZod = async () => {};
