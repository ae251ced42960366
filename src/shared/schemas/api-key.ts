import { z } from "zod";
import { apiResources, type ApiKeyScope } from "../permissions.ts";
import { DateTimeSchema, IdSchema, requiredText } from "./common.ts";

/** Every scope a key can hold: read and write of each API resource, then of all of them. */
export const apiKeyScopes: readonly ApiKeyScope[] = [
  ...apiResources.flatMap((resource) => [`${resource}:read`, `${resource}:write`] as const),
  "*:read",
  "*:write",
];

/** Keys a workspace may hold at once (not revoked, not expired), so that their list stays short. */
export const maxActiveApiKeys = 100;

export const ApiKeyScopeSchema = z
  .enum(apiKeyScopes as [ApiKeyScope, ...ApiKeyScope[]], {
    message: "Unknown scope: use <resource>:read or <resource>:write, or *:read or *:write",
  })
  .describe("`<resource>:read` or `<resource>:write` (write implies read); `*:read` or `*:write` for all resources");

/** An API key as its list answers it: never the key itself, nor its hash. */
export const ApiKeySchema = z.object({
  id: IdSchema,
  name: z.string(),
  prefix: z.string().describe("The key's first 12 characters, to tell keys apart"),
  scopes: z.array(ApiKeyScopeSchema),
  createdBy: IdSchema.describe("The admin who created the key; records the key creates have them as createdBy"),
  createdAt: z.date(),
  lastUsedAt: z.date().nullable().describe("Recorded at most once a minute"),
  lastUsedIp: z.string().nullable(),
  expiresAt: z.date().nullable().describe("Null: the key never expires"),
  revokedAt: z.date().nullable(),
});
export type ApiKey = z.infer<typeof ApiKeySchema>;

/** The answer to creating a key: the only time the key is shown. */
export const CreatedApiKeySchema = ApiKeySchema.extend({
  key: z.string().describe("The secret key, shown this once: send it as `Authorization: Bearer <key>`"),
});
export type CreatedApiKey = z.infer<typeof CreatedApiKeySchema>;

export const ApiKeyListSchema = z.object({ data: z.array(ApiKeySchema) });

export const CreateApiKeySchema = z.strictObject({
  name: requiredText(100).describe("What the key is for, e.g. the tool that uses it"),
  scopes: z
    .array(ApiKeyScopeSchema)
    .min(1, "Give at least one scope")
    .max(apiKeyScopes.length, `At most ${apiKeyScopes.length} scopes`)
    .transform((scopes) => [...new Set(scopes)]),
  expiresAt: DateTimeSchema.nullable()
    .optional()
    .describe("When the key stops working (must be in the future); omitted or null: never"),
});
export type CreateApiKey = z.infer<typeof CreateApiKeySchema>;
