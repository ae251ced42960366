import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { SaveSsoSettings, SsoLinks, SsoSettings } from "../../../shared/schemas/sso.ts";
import { ApiProblem, apiRequest } from "../../api/client.ts";
import type { Wire } from "../../api/wire.ts";

export type SsoSettingsRow = Wire<SsoSettings>;

const ssoKey = ["sso"] as const;
const ssoLinksKey = ["sso", "links"] as const;

/** The workspace's single sign-on settings, or null while none are set up (the API answers 404). */
export function useSsoSettings(enabled = true) {
  return useQuery({
    queryKey: ssoKey,
    enabled,
    queryFn: async ({ signal }) => {
      try {
        return await apiRequest<SsoSettingsRow>("/sso", { signal });
      } catch (error) {
        if (error instanceof ApiProblem && error.status === 404) return null;
        throw error;
      }
    },
  });
}

/** The redirect URI to register at the provider and the sign-in link, known before anything is saved. */
export function useSsoLinks(enabled = true) {
  return useQuery({
    queryKey: ssoLinksKey,
    enabled,
    queryFn: ({ signal }) => apiRequest<SsoLinks>("/sso/links", { signal }),
    staleTime: Infinity,
  });
}

/** Saves the whole settings; a body without `clientSecret` keeps the stored one. */
export function useSaveSsoSettings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: Wire<SaveSsoSettings>) => apiRequest<SsoSettingsRow>("/sso", { method: "PUT", body }),
    onSuccess: (saved) => client.setQueryData(ssoKey, saved),
  });
}

/** Turns single sign-on off and forgets its settings. */
export function useDeleteSsoSettings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => apiRequest<void>("/sso", { method: "DELETE" }),
    onSuccess: () => client.setQueryData(ssoKey, null),
  });
}
