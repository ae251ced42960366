import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type {
  AcceptedInvitation,
  AcceptInvitation,
  CreateInvitation,
  Invitation,
  InvitationPreview,
  InvitationStatus,
} from "../../../shared/schemas/invitation.ts";
import { apiRequest } from "../../api/client.ts";
import type { Wire } from "../../api/wire.ts";
import { meQuery } from "../auth/session.ts";

export type InvitationRow = Wire<Invitation>;
type Page = { data: InvitationRow[]; nextCursor: string | null };

const invitationsKey = ["invitations"] as const;
const previewKey = "invitation-preview";

/** The workspace's invitations, newest first, a page at a time; optionally of one status. Off for roles that cannot read them. */
export function useInvitations(status: InvitationStatus | undefined, options: { enabled: boolean }) {
  return useInfiniteQuery({
    enabled: options.enabled,
    queryKey: [...invitationsKey, status ?? "all"],
    queryFn: ({ pageParam, signal }) =>
      apiRequest<Page>("/invitations", { query: { limit: 50, status, cursor: pageParam }, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
}

/** Invites an address (or invites it again: a pending invitation to it is replaced). */
export function useCreateInvitation() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateInvitation) => apiRequest<InvitationRow>("/invitations", { method: "POST", body }),
    onSuccess: () => client.invalidateQueries({ queryKey: invitationsKey }),
  });
}

/** Revokes an invitation: its link stops working at once. */
export function useRevokeInvitation() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiRequest<void>(`/invitations/${id}`, { method: "DELETE" }),
    onSettled: () => client.invalidateQueries({ queryKey: invitationsKey }),
  });
}

/** What an invitation link offers. The token goes in a body (POST), never in an API URL. */
export function useInvitationPreview(token: string | undefined) {
  return useQuery({
    queryKey: [previewKey, token],
    queryFn: () =>
      apiRequest<InvitationPreview>("/invitations/inspect", { method: "POST", body: { token }, isSignIn: true }),
    enabled: Boolean(token),
    retry: false,
    staleTime: Infinity,
  });
}

/** Accepts an invitation; afterwards who is signed in, and where, may have changed. */
export function useAcceptInvitation() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: AcceptInvitation) =>
      apiRequest<AcceptedInvitation>("/invitations/accept", { method: "POST", body, isSignIn: true }),
    onSuccess: async () => {
      // Everything cached belonged to another session or workspace; the page's preview stays
      // (asked again, the used link would look invalid before the page moves on).
      client.removeQueries({ predicate: (query) => query.queryKey[0] !== previewKey });
      await client.fetchQuery(meQuery);
    },
  });
}
