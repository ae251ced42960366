import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";

/** Invitations to join a workspace: create, list, revoke, accept. */
export const invitationsRoutes: FastifyPluginAsyncZod = async () => {};
