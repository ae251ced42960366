import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";

/** Single sign-on with a workspace's OpenID Connect provider: its settings, the start and the callback. */
export const ssoRoutes: FastifyPluginAsyncZod = async () => {};
