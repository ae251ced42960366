import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { ApiKeyListSchema, CreateApiKeySchema, CreatedApiKeySchema } from "../../../shared/schemas/api-key.ts";
import { IdParamsSchema } from "../../../shared/schemas/common.ts";
import { contextOf } from "../../http/authentication.ts";
import { problemResponses, readProblems } from "../../http/record-routes.ts";
import { createApiKey, listApiKeys, revokeApiKey } from "./api-keys.service.ts";

const tags = ["API keys"];
/** For people only: an API key cannot list, create or revoke keys. */
const security = [{ session: [] }];

/** /api-keys: the workspace's API keys, for its admins (a key cannot manage keys). */
export const apiKeysRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/api-keys",
    {
      schema: {
        operationId: "listApiKeys",
        tags,
        security,
        summary: "List the workspace's API keys (admins only)",
        description:
          "Every key, newest first, revoked and expired ones included; never the key itself. Not paged: " +
          "a workspace holds at most 100 keys in use.",
        response: { 200: ApiKeyListSchema, ...readProblems },
      },
    },
    async (request) => ({ data: await listApiKeys(contextOf(request)) }),
  );

  app.post(
    "/api-keys",
    {
      schema: {
        operationId: "createApiKey",
        tags,
        security,
        summary: "Create an API key (admins only); the answer shows the key this once",
        description:
          "The key acts with admin permissions narrowed by its scopes, on behalf of the admin who created it. " +
          "Send it as `Authorization: Bearer <key>`.",
        body: CreateApiKeySchema,
        response: {
          201: CreatedApiKeySchema.describe("Created: the key, with its secret shown this once"),
          ...problemResponses(400, 401, 403, 404, 422),
        },
      },
    },
    async (request, reply) => {
      // No Location: a key is not read on its own, only listed.
      return reply.code(201).send(await createApiKey(contextOf(request), request.body));
    },
  );

  app.delete(
    "/api-keys/:id",
    {
      schema: {
        operationId: "revokeApiKey",
        tags,
        security,
        summary: "Revoke an API key at once (admins only)",
        params: IdParamsSchema,
        response: { 204: z.null().describe("Revoked"), ...readProblems },
      },
    },
    async (request, reply) => {
      await revokeApiKey(contextOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );
};
