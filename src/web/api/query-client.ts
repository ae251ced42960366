import { QueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import { ApiProblem } from "./client.ts";

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      // A 4xx will not get better by asking again.
      retry: (count, error) => !(error instanceof ApiProblem && error.status < 500) && count < 2,
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
