import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { Dashboard, DashboardRange } from "../../../shared/schemas/dashboard.ts";
import { apiRequest } from "../../api/client.ts";
import type { Wire } from "../../api/wire.ts";

export type DashboardData = Wire<Dashboard>;

/** The browser's IANA time zone: the server counts days, weeks and "today" in it. */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

/** GET /dashboard for a period; every record change invalidates ["dashboard"]. */
export function useDashboard(range: DashboardRange) {
  const timeZone = browserTimeZone();
  return useQuery({
    queryKey: ["dashboard", range, timeZone],
    queryFn: ({ signal }) => apiRequest<DashboardData>("/dashboard", { query: { range, timeZone }, signal }),
    // Changing the period keeps the current figures on screen until the new ones arrive.
    placeholderData: keepPreviousData,
  });
}
