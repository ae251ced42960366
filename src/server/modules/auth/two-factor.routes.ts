import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";

/** Two-factor sign-in (TOTP and backup codes): set-up, enable, disable, and the sign-in challenge. */
export const twoFactorRoutes: FastifyPluginAsyncZod = async () => {};
