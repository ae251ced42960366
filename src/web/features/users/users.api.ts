import { useMutation, useQuery, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { canAct, roles, type Resource } from "../../../shared/permissions.ts";
import type { User } from "../../../shared/schemas/auth.ts";
import type { Member, UpdateUser } from "../../../shared/schemas/membership.ts";
import { apiRequest } from "../../api/client.ts";
import type { Page } from "../../api/records.ts";
import type { Wire } from "../../api/wire.ts";
import { meQuery } from "../auth/session.ts";

/**
 * A member as the list answers them. `active` comes with the answers of changes (PATCH); a list
 * answer without it means an active membership.
 */
export type MemberRow = Wire<User> & { active?: boolean };

const membersKey = ["users", "members"] as const;

/** The workspace's members (the first 200), for showing names and the Users page; owner pickers search the server. */
export function useMembers() {
  return useQuery({
    queryKey: membersKey,
    queryFn: ({ signal }) => apiRequest<Page<MemberRow>>("/users", { query: { limit: 200 }, signal }),
    select: (page) => page.data,
    staleTime: 5 * 60_000,
  });
}

const recordResources: readonly Resource[] = ["company", "contact", "lead", "deal", "activity", "task"];

/** Roles that may own records: those that may change at least their own of every record type (not viewers). */
export const ownerRoles = roles.filter((role) => recordResources.every((resource) => canAct(role, "update", resource)));

/** Puts a changed member into the cached list (or takes a removed one out) without a refetch. */
function updateCachedMembers(client: QueryClient, change: (members: MemberRow[]) => MemberRow[]): void {
  client.setQueryData<Page<MemberRow>>(membersKey, (page) => page && { ...page, data: change(page.data) });
}

/** My own role or membership changed: the session's view of me (role, menus) is stale. */
async function refreshMeIf(client: QueryClient, userId: string): Promise<void> {
  if (client.getQueryData(meQuery.queryKey)?.user.id === userId) {
    await client.invalidateQueries({ queryKey: meQuery.queryKey });
  }
}

/** Changes a member's role or (de)activates them (admins). The last active admin answers 422. */
export function useUpdateMember() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, changes }: { id: string; changes: UpdateUser }) =>
      apiRequest<Wire<Member>>(`/users/${id}`, { method: "PATCH", body: changes }),
    // The Users page shows a refusal (the last admin's 422) at the member it is about: no toast as well.
    onError: () => undefined,
    onSuccess: async (member) => {
      updateCachedMembers(client, (members) => members.map((m) => (m.id === member.id ? member : m)));
      await refreshMeIf(client, member.id);
    },
  });
}

/** Removes a member from the workspace (admins); their records keep them as owner. */
export function useRemoveMember() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiRequest<void>(`/users/${id}`, { method: "DELETE" }),
    onError: () => undefined,
    onSuccess: async (_, id) => {
      updateCachedMembers(client, (members) => members.filter((m) => m.id !== id));
      await refreshMeIf(client, id);
    },
  });
}
