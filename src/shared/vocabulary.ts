/**
 * Fixed vocabularies the web app needs on its first screen. They live apart from the Zod schemas
 * so that importing them does not load the validation library (the schemas re-export them).
 */

export const activityTypes = ["call", "email", "meeting", "note"] as const;

/** Periods the dashboard's time series can cover, ending now (or at `to`), in days. */
export const dashboardRanges = { "7d": 7, "30d": 30, "90d": 90, "365d": 365 } as const;
export type DashboardRange = keyof typeof dashboardRanges;
