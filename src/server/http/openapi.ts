import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import { jsonSchemaTransform } from "fastify-type-provider-zod";

/**
 * The OpenAPI document, generated from the route schemas, served at /api/openapi.json, with
 * Swagger UI at /api/docs.
 */
export const openApiPlugin = fp(async (app: FastifyInstance) => {
  await app.register(swagger, {
    openapi: {
      openapi: "3.0.3",
      info: {
        title: "Keel CRM API",
        version: "1",
        description:
          "Sign in with POST /api/v1/auth/sign-in (the session cookie authenticates later calls). " +
          "Lists take limit, cursor, sort, q, include and filter[field] / filter[field][op] " +
          "(eq, ne, in, gt, gte, lt, lte, contains, empty); errors are RFC 9457 problem+json.",
      },
      components: {
        securitySchemes: { session: { type: "apiKey", in: "cookie", name: "keel_session" } },
      },
      security: [{ session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  // staticCSP: the docs page gets a CSP with hashes of its own inline scripts.
  await app.register(swaggerUi, { routePrefix: "/api/docs", staticCSP: true });
  app.get("/api/openapi.json", { schema: { hide: true } }, async () => app.swagger());
});
