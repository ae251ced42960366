import { QueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import { ApiProblem } from "./client.ts";

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      // A 4xx will not get better by asking again, but for "too many requests" (429), which
      // passes: it is retried after the wait the server names, as a 5xx is.
      retry: (count, error) =>
        !(error instanceof ApiProblem && error.status < 500 && error.status !== 429) && count < 2,
      retryDelay: (count, error) =>
        error instanceof ApiProblem && error.retryAfterSeconds !== null
          ? Math.min(error.retryAfterSeconds, 60) * 1_000
          : Math.min(1_000 * 2 ** count, 30_000),
      refetchOnWindowFocus: false,
    },
    mutations: {
      // Forms show field errors and stale versions (412) where they happened; everything else
      // becomes a toast. An expired session (401) goes to sign-in instead.
      onError: (error) => {
        if (error instanceof ApiProblem && (error.fieldErrors.length > 0 || error.isStale || error.status === 401))
          return;
        toast.error(error.message);
      },
    },
  },
});
