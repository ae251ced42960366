import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";

/** Placeholder until the companies module lands. */
export const companiesRoutes: FastifyPluginAsyncZod = async () => {};
