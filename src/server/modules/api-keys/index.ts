export { apiKeysRoutes } from "./api-keys.routes.ts";
export { resolveApiKey, type ApiKeyIdentity } from "./api-keys.service.ts";
export { apiKeys } from "./api-keys.table.ts";
