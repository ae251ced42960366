import type { UseQueryResult } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { lazy, Suspense } from "react";
import { Skeleton } from "../../components/Feedback.tsx";
import { activityTypes } from "../../../shared/vocabulary.ts";
import { formatNumber } from "../../lib/format.ts";
import { activityTypeLabels } from "../activities/activity-types.ts";
import type { DashboardData } from "./dashboard.api.ts";
import { activityFilters } from "./dashboard-links.ts";
import { DashboardCard } from "./DashboardCard.tsx";
import { DataTableAlternative } from "./DataTableAlternative.tsx";
import { bucketHeader, formatBucket } from "./format-bucket.ts";
import { useChartTheme } from "./useChartTheme.ts";

const ActivitiesByTypeChart = lazy(() => import("./charts.tsx").then((m) => ({ default: m.ActivitiesByTypeChart })));

/** Calls, e-mails, meetings and notes per bucket, stacked; the legend links to each type's activities. */
export function ActivitiesByTypeCard({ query }: { query: UseQueryResult<DashboardData> }) {
  const theme = useChartTheme();
  const colorOf = (index: number) => theme.series[index % theme.series.length];
  return (
    <DashboardCard
      title="Activities by type"
      query={query}
      action={
        query.data && (
          <Link
            to="/activities"
            search={{ filters: activityFilters.since(query.data.period.from) }}
            className="text-sm text-accent-700 hover:underline dark:text-sky-300"
          >
            All in period
          </Link>
        )
      }
    >
      {({ activitiesByType, period }) => {
        const rows = activitiesByType.map((entry) => ({
          ...entry,
          label: formatBucket(entry.start, period.bucket, period.timeZone),
        }));
        const totals = activityTypes.map((type) => rows.reduce((sum, row) => sum + row[type], 0));
        return (
          <>
            <Suspense fallback={<Skeleton className="h-48 w-full" />}>
              <ActivitiesByTypeChart rows={rows} theme={theme} />
            </Suspense>
            <ul className="flex flex-wrap gap-x-4 gap-y-1 text-sm" aria-label="Activities in this period by type">
              {activityTypes.map((type, index) => (
                <li key={type}>
                  <Link
                    to="/activities"
                    search={{ filters: activityFilters.since(period.from, type) }}
                    className="inline-flex items-center gap-1.5 hover:underline"
                  >
                    <span aria-hidden="true" className="size-2.5 rounded-sm" style={{ background: colorOf(index) }} />
                    {activityTypeLabels[type]}
                    <span className="font-medium tabular-nums">{formatNumber(totals[index] ?? 0)}</span>
                  </Link>
                </li>
              ))}
            </ul>
            <DataTableAlternative
              caption="Activities per period by type"
              headers={[bucketHeader[period.bucket], ...activityTypes.map((type) => activityTypeLabels[type])]}
              rows={rows.map((row) => ({
                key: row.start,
                cells: [row.label, ...activityTypes.map((type) => formatNumber(row[type]))],
              }))}
            />
          </>
        );
      }}
    </DashboardCard>
  );
}
