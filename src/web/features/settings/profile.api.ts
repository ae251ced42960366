import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { Language } from "../../../shared/languages.ts";
import type { Me } from "../../../shared/schemas/auth.ts";
import type { UpdateProfile } from "../../../shared/schemas/profile.ts";
import type { Session } from "../../../shared/schemas/session.ts";
import type { SignInAttempt } from "../../../shared/schemas/sign-in.ts";
import { apiRequest } from "../../api/client.ts";
import type { Page } from "../../api/records.ts";
import type { Wire } from "../../api/wire.ts";
import { meQuery } from "../auth/session.ts";
import { browserLanguage, setLanguage } from "../../i18n/i18n.ts";

export type SessionRow = Wire<Session>;
export type SignInRow = Wire<SignInAttempt>;

const sessionsKey = ["my-sessions"] as const;
const signInsKey = ["my-sign-ins"] as const;

/** Renames the signed-in user; the answer is the new Me. */
export function useUpdateProfile() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateProfile) => apiRequest<Me>("/me", { method: "PATCH", body }),
    // The form shows every refusal itself (at its field, or above the button): no toast as well.
    onError: () => undefined,
    onSuccess: async (me) => {
      client.setQueryData(meQuery.queryKey, me);
      // Member pickers and lists show the name too.
      await client.invalidateQueries({ queryKey: ["users"] });
    },
  });
}

/**
 * Chooses the language of the interface (null: the browser's); the answer is the new Me, which the
 * app shell follows (App.tsx). The words switch here at once too, so the profile page answers in
 * the chosen language wherever it is drawn. A refusal is a toast of the app's mutation defaults.
 */
export function useUpdateLanguage() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (locale: Language | null) => apiRequest<Me>("/me", { method: "PATCH", body: { locale } }),
    onSuccess: async (me) => {
      client.setQueryData(meQuery.queryKey, me);
      await setLanguage(me.user.locale ?? browserLanguage());
    },
  });
}

/** Changes the password; the server ends every other session, so the list of them is stale. */
export function useChangePassword() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { currentPassword: string; newPassword: string }) =>
      apiRequest<void>("/me/password", { method: "POST", body }),
    // The form shows every refusal itself (at its field, or above the button): no toast as well.
    onError: () => undefined,
    onSuccess: () => client.invalidateQueries({ queryKey: sessionsKey }),
  });
}

/** My sessions that still work, most recently used first, this one marked `current`. */
export function useMySessions() {
  return useQuery({
    queryKey: sessionsKey,
    queryFn: ({ signal }) => apiRequest<{ data: SessionRow[] }>("/me/sessions", { signal }),
    select: (list) => list.data,
  });
}

/** Signs one of my sessions out (that browser or client must sign in again). */
export function useRevokeSession() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiRequest<void>(`/me/sessions/${id}`, { method: "DELETE" }),
    onSettled: () => client.invalidateQueries({ queryKey: sessionsKey }),
  });
}

/** Signs out every session of mine but this one; answers how many there were. */
export function useRevokeOtherSessions() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => apiRequest<{ revoked: number }>("/me/sessions/revoke-others", { method: "POST" }),
    onSettled: () => client.invalidateQueries({ queryKey: sessionsKey }),
  });
}

/** My sign-ins, successful or not, newest first, a page at a time. */
export function useMySignIns(pageSize = 20) {
  return useInfiniteQuery({
    queryKey: [...signInsKey, pageSize],
    queryFn: ({ pageParam, signal }) =>
      apiRequest<Page<SignInRow>>("/me/sign-ins", { query: { limit: pageSize, cursor: pageParam }, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
}
