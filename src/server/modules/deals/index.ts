import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";

/** Placeholder until the deals module lands. */
export const dealsRoutes: FastifyPluginAsyncZod = async () => {};
