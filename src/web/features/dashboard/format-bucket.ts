import type { DashboardBucket } from "../../../shared/schemas/dashboard.ts";

/** A time-series bucket's start as a short label in the dashboard's time zone ("Mar 3", "Mar 25"). */
export function formatBucket(start: string, bucket: DashboardBucket, timeZone: string): string {
  const options: Intl.DateTimeFormatOptions =
    bucket === "month" ? { month: "short", year: "2-digit" } : { month: "short", day: "numeric" };
  try {
    return new Intl.DateTimeFormat(undefined, { ...options, timeZone }).format(new Date(start));
  } catch {
    return new Intl.DateTimeFormat(undefined, options).format(new Date(start));
  }
}

/** What a bucket is called in a table header: "Day", "Week of", "Month". */
export const bucketHeader: Record<DashboardBucket, string> = { day: "Day", week: "Week of", month: "Month" };
