import type { DashboardBucket } from "../../../shared/schemas/dashboard.ts";
import { i18next, t } from "../../i18n/i18n.ts";

/** A time-series bucket's start as a short label in the dashboard's time zone and the interface's language ("Mar 3", "3. März"). */
export function formatBucket(start: string, bucket: DashboardBucket, timeZone: string): string {
  const options: Intl.DateTimeFormatOptions =
    bucket === "month" ? { month: "short", year: "2-digit" } : { month: "short", day: "numeric" };
  try {
    return new Intl.DateTimeFormat(i18next.language, { ...options, timeZone }).format(new Date(start));
  } catch {
    return new Intl.DateTimeFormat(i18next.language, options).format(new Date(start));
  }
}

/** What a bucket is called in a table header: "Day", "Week of", "Month". */
export function bucketHeader(bucket: DashboardBucket): string {
  const headers: Record<DashboardBucket, string> = {
    day: t("dashboard.bucket.day"),
    week: t("dashboard.bucket.week"),
    month: t("dashboard.bucket.month"),
  };
  return headers[bucket];
}
