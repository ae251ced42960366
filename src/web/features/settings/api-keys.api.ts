import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ApiKey, CreateApiKey, CreatedApiKey } from "../../../shared/schemas/api-key.ts";
import { apiRequest } from "../../api/client.ts";
import type { Wire } from "../../api/wire.ts";

export type ApiKeyRow = Wire<ApiKey>;
export type CreatedApiKeyRow = Wire<CreatedApiKey>;

const apiKeysKey = ["api-keys"] as const;

/**
 * Every key of the workspace, newest first, revoked and expired ones included (at most ~100: not
 * paged). Not asked for roles that may not read keys (`isEnabled`): the server would refuse and audit it.
 */
export function useApiKeys(isEnabled = true) {
  return useQuery({
    enabled: isEnabled,
    queryKey: apiKeysKey,
    queryFn: ({ signal }) => apiRequest<{ data: ApiKeyRow[] }>("/api-keys", { signal }),
    select: (list) => list.data,
  });
}

/** Creates a key; the answer carries the secret `key`, the only time it is ever shown. */
export function useCreateApiKey() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: Wire<CreateApiKey>) => apiRequest<CreatedApiKeyRow>("/api-keys", { method: "POST", body }),
    onSuccess: () => client.invalidateQueries({ queryKey: apiKeysKey }),
  });
}

/** Revokes a key: it stops working from the next request. */
export function useRevokeApiKey() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiRequest<void>(`/api-keys/${id}`, { method: "DELETE" }),
    onSettled: () => client.invalidateQueries({ queryKey: apiKeysKey }),
  });
}

export type ApiKeyStatus = "active" | "revoked" | "expired";

export function statusOf(key: ApiKeyRow, now = Date.now()): ApiKeyStatus {
  if (key.revokedAt) return "revoked";
  if (key.expiresAt && new Date(key.expiresAt).getTime() <= now) return "expired";
  return "active";
}
