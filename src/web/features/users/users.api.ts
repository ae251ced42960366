import { useQuery } from "@tanstack/react-query";
import type { User } from "../../../shared/schemas/auth.ts";
import { apiRequest } from "../../api/client.ts";
import type { Page } from "../../api/records.ts";
import type { Wire } from "../../api/wire.ts";

/** The workspace's members, for owner and assignee pickers (workspaces have tens, not thousands). */
export function useMembers() {
  return useQuery({
    queryKey: ["users", "members"],
    queryFn: ({ signal }) => apiRequest<Page<Wire<User>>>("/users", { query: { limit: 200 }, signal }),
    select: (page) => page.data,
    staleTime: 5 * 60_000,
  });
}

/** Members as select options. */
export function useMemberOptions(): { value: string; label: string }[] {
  return (useMembers().data ?? []).map((user) => ({ value: user.id, label: user.name }));
}
