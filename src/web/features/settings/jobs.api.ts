import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import type { Job, JobState } from "../../../shared/schemas/job.ts";
import { apiRequest } from "../../api/client.ts";
import type { Page } from "../../api/records.ts";
import type { Wire } from "../../api/wire.ts";

export type JobRow = Wire<Job>;

const jobsKey = ["jobs"] as const;

/** The workspace's background jobs (admins), newest first, page by page; `state` narrows to one state. */
export function useJobs(state: JobState | undefined, isEnabled = true, pageSize = 50) {
  return useInfiniteQuery({
    enabled: isEnabled,
    queryKey: [...jobsKey, state ?? "all", pageSize],
    queryFn: ({ pageParam, signal }) =>
      apiRequest<Page<JobRow>>("/jobs", { query: { state, limit: pageSize, cursor: pageParam }, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
}

/** Queues a failed job again, with one more attempt. */
export function useRetryJob() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiRequest<JobRow>(`/jobs/${id}/retry`, { method: "POST" }),
    onSettled: () => client.invalidateQueries({ queryKey: jobsKey }),
  });
}
