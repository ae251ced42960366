import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import type { Action, Resource } from "../../../shared/permissions.ts";
import { canAct } from "../../../shared/permissions.ts";
import type { AuthOptions, Me, SignIn, SignInResult } from "../../../shared/schemas/auth.ts";
import type { TwoFactorSignIn } from "../../../shared/schemas/two-factor.ts";
import { ApiProblem, apiRequest } from "../../api/client.ts";

/** The signed-in user, or null when nobody is signed in. */
export const meQuery = queryOptions({
  queryKey: ["me"],
  queryFn: async (): Promise<Me | null> => {
    try {
      return await apiRequest<Me>("/me", { isSignIn: true });
    } catch (error) {
      if (error instanceof ApiProblem && error.status === 401) return null;
      throw error;
    }
  },
  staleTime: 60_000,
});

export function useMe(): Me | null {
  return useQuery(meQuery).data ?? null;
}

/** The signed-in user; only for pages behind the session guard. */
export function useSession(): Me & { role: NonNullable<Me["role"]> } {
  const me = useMe();
  if (!me?.role) throw new Error("useSession needs a signed-in user with a workspace");
  return { ...me, role: me.role };
}

/** Whether the signed-in user's role may do an action (hides buttons; the server still enforces). */
export function useCan(): (action: Action, resource: Resource, record?: { ownerId?: string | null }) => boolean {
  const me = useMe();
  return (action, resource, record) => {
    if (!me?.role || !canAct(me.role, action, resource)) return false;
    if (me.role !== "agent" || !record || action === "read") return true;
    // Agents change only what they own (owner or assignee); the shared table says "own".
    return record.ownerId === undefined || record.ownerId === me.user.id;
  };
}

export const authOptionsQuery = queryOptions({
  queryKey: ["auth-options"],
  queryFn: () => apiRequest<AuthOptions>("/auth/options"),
  staleTime: Infinity,
});

/** Whether a sign-in answer asks for a second factor instead of signing in. */
export function isTwoFactorRequired(result: SignInResult): result is { twoFactorRequired: true } {
  return "twoFactorRequired" in result;
}

/**
 * Signs in with e-mail and password. With two-factor sign-in on, the answer is
 * `{ twoFactorRequired: true }` and nobody is signed in yet: finish with useTwoFactorSignIn.
 */
export function useSignIn() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: SignIn) =>
      apiRequest<SignInResult>("/auth/sign-in", { method: "POST", body: input, isSignIn: true }),
    onSuccess: (result) => {
      if (isTwoFactorRequired(result)) return;
      client.clear();
      client.setQueryData(meQuery.queryKey, result);
    },
  });
}

/** The second step of a sign-in: a code of the authenticator app or a backup code. */
export function useTwoFactorSignIn() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: TwoFactorSignIn) =>
      apiRequest<Me>("/auth/two-factor", { method: "POST", body: input, isSignIn: true }),
    onSuccess: (me) => {
      client.clear();
      client.setQueryData(meQuery.queryKey, me);
    },
  });
}

/**
 * Signs out and leaves for the sign-in page. The signed-in pages are left before the session ends:
 * still mounted, they would ask again (a live event, a poll, the cache cleared under them) and be
 * answered 401 without a session.
 */
export function useSignOut() {
  const client = useQueryClient();
  const navigate = useNavigate();
  return useMutation({
    onMutate: async () => {
      await navigate({ to: "/sign-in", search: { redirect: undefined } });
      await client.cancelQueries();
    },
    mutationFn: () => apiRequest<void>("/auth/sign-out", { method: "POST", isSignIn: true }),
    onSettled: () => {
      client.clear();
      client.setQueryData(meQuery.queryKey, null);
    },
  });
}

export function useSwitchWorkspace() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (workspaceId: string) => apiRequest<Me>("/me/workspace", { method: "POST", body: { workspaceId } }),
    onSuccess: (me) => {
      client.setQueryData(meQuery.queryKey, me);
      // Everything else cached belongs to the previous workspace: reset, so that what is on screen
      // (the dashboard, the workspace's formats) is read again rather than kept.
      // Not awaited: the caller goes on (to the dashboard) while the pages read again.
      void client.resetQueries({ predicate: (query) => query.queryKey[0] !== meQuery.queryKey[0] });
    },
  });
}
