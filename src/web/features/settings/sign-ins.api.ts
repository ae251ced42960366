import { useInfiniteQuery } from "@tanstack/react-query";
import { apiRequest } from "../../api/client.ts";
import type { Page } from "../../api/records.ts";
import type { SignInRow } from "./profile.api.ts";

/** The sign-ins of the workspace's members (admins), newest first; `userId` narrows to one member. */
export function useWorkspaceSignIns(userId: string | undefined, isEnabled = true, pageSize = 50) {
  return useInfiniteQuery({
    enabled: isEnabled,
    queryKey: ["sign-ins", userId ?? "everyone", pageSize],
    queryFn: ({ pageParam, signal }) =>
      apiRequest<Page<SignInRow>>("/sign-ins", { query: { userId, limit: pageSize, cursor: pageParam }, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
}
