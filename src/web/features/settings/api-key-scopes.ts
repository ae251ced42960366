import { apiResources, type ApiKeyScope } from "../../../shared/permissions.ts";
import { apiKeyScopes } from "../../../shared/schemas/api-key.ts";
import { t } from "../../i18n/i18n.ts";

/**
 * Whether other chosen scopes already grant a scope: `write` implies `read`, and `*` stands for
 * every resource. The form shows such a scope ticked and disabled, and leaves it out of the body.
 */
export function isImplied(scope: string, chosen: readonly string[]): boolean {
  const [resource, access] = scope.split(":");
  if (scope === "*:write") return false;
  if (scope === "*:read") return chosen.includes("*:write");
  if (access === "write") return chosen.includes("*:write");
  return chosen.includes("*:write") || chosen.includes("*:read") || chosen.includes(`${resource}:write`);
}

/** The scopes to send: the chosen ones that no other chosen one implies, in the API's order. */
export function effectiveScopes(chosen: readonly string[]): ApiKeyScope[] {
  return apiKeyScopes.filter((scope) => chosen.includes(scope) && !isImplied(scope, chosen));
}

/** "contacts: read, deals: write" or "All resources: read": a key's scopes in a few words. */
export function summarizeScopes(scopes: readonly string[]): string {
  const accessWord = { read: t("settings.scopes.read"), write: t("settings.scopes.write") };
  const all = scopes.includes("*:write") ? "write" : scopes.includes("*:read") ? "read" : null;
  const parts = all ? [t("settings.scopes.all", { access: accessWord[all] })] : [];
  for (const resource of apiResources) {
    const access = scopes.includes(`${resource}:write`) ? "write" : scopes.includes(`${resource}:read`) ? "read" : null;
    if (access && !isImplied(`${resource}:${access}`, scopes)) {
      parts.push(t("settings.scopes.one", { resource, access: accessWord[access] }));
    }
  }
  return parts.join(", ") || t("common.none");
}
