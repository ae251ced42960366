import type { UseQueryResult } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { lazy, Suspense } from "react";
import { useTranslation } from "react-i18next";
import { Skeleton } from "../../components/Feedback.tsx";
import { formatNumber } from "../../lib/format.ts";
import { labelOfTypeSetting } from "../activities/activity-types.ts";
import type { DashboardData } from "./dashboard.api.ts";
import { activityFilters } from "./dashboard-links.ts";
import { DashboardCard } from "./DashboardCard.tsx";
import { DataTableAlternative } from "./DataTableAlternative.tsx";
import { bucketHeader, formatBucket } from "./format-bucket.ts";
import { useChartTheme } from "./useChartTheme.ts";

const ActivitiesByTypeChart = lazy(() => import("./charts.tsx").then((m) => ({ default: m.ActivitiesByTypeChart })));

/** Activities per bucket by the workspace's types, stacked; the legend links to each type's activities. */
export function ActivitiesByTypeCard({ query }: { query: UseQueryResult<DashboardData> }) {
  const { t } = useTranslation();
  const theme = useChartTheme();
  const colorOf = (index: number) => theme.series[index % theme.series.length];
  return (
    <DashboardCard
      title={t("dashboard.activities.title")}
      query={query}
      action={
        query.data && (
          <Link
            to="/activities"
            search={{ filters: activityFilters.since(query.data.period.from) }}
            className="text-sm text-accent-700 hover:underline dark:text-sky-300"
          >
            {t("dashboard.activities.allInPeriod")}
          </Link>
        )
      }
    >
      {({ activitiesByType, period }) => {
        const { buckets } = activitiesByType;
        // Built-in types still under their default label are named in the interface's language.
        const types = activitiesByType.types.map((type) => ({ key: type.key, label: labelOfTypeSetting(type) }));
        const rows = buckets.map((entry) => ({
          counts: entry.counts,
          label: formatBucket(entry.start, period.bucket, period.timeZone),
        }));
        const totals = types.map(({ key }) => rows.reduce((sum, row) => sum + (row.counts[key] ?? 0), 0));
        return (
          <>
            <Suspense fallback={<Skeleton className="h-48 w-full" />}>
              <ActivitiesByTypeChart rows={rows} types={types} theme={theme} />
            </Suspense>
            <ul className="flex flex-wrap gap-x-4 gap-y-1 text-sm" aria-label={t("dashboard.activities.legend")}>
              {types.map(({ key, label }, index) => (
                <li key={key}>
                  <Link
                    to="/activities"
                    search={{ filters: activityFilters.since(period.from, key) }}
                    className="inline-flex items-center gap-1.5 hover:underline"
                  >
                    <span aria-hidden="true" className="size-2.5 rounded-sm" style={{ background: colorOf(index) }} />
                    {label}
                    <span className="font-medium tabular-nums">{formatNumber(totals[index] ?? 0)}</span>
                  </Link>
                </li>
              ))}
            </ul>
            <DataTableAlternative
              caption={t("dashboard.activities.caption")}
              headers={[bucketHeader(period.bucket), ...types.map(({ label }) => label)]}
              rows={rows.map((row, index) => ({
                key: buckets[index]!.start,
                cells: [row.label, ...types.map(({ key }) => formatNumber(row.counts[key] ?? 0))],
              }))}
            />
          </>
        );
      }}
    </DashboardCard>
  );
}
