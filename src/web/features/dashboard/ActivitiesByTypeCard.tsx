import type { UseQueryResult } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from "recharts";
import { activityTypes } from "../../../shared/schemas/activity.ts";
import { formatCompact, formatNumber } from "../../lib/format.ts";
import { activityTypeLabels } from "../activities/activity-types.ts";
import type { DashboardData } from "./dashboard.api.ts";
import { activityFilters } from "./dashboard-links.ts";
import { DashboardCard } from "./DashboardCard.tsx";
import { DataTableAlternative } from "./DataTableAlternative.tsx";
import { bucketHeader, formatBucket } from "./format-bucket.ts";
import { useChartTheme } from "./useChartTheme.ts";

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
            <div aria-hidden="true" className="h-48">
              <BarChart
                responsive
                accessibilityLayer={false}
                style={{ width: "100%", height: "100%" }}
                data={rows}
                margin={{ left: 0, right: 8 }}
              >
                <CartesianGrid vertical={false} stroke={theme.grid} />
                <XAxis dataKey="label" tick={{ fill: theme.axis, fontSize: 12 }} stroke={theme.grid} minTickGap={16} />
                <YAxis
                  allowDecimals={false}
                  width={44}
                  tickFormatter={formatCompact}
                  tick={{ fill: theme.axis, fontSize: 12 }}
                  stroke={theme.grid}
                />
                <Tooltip {...theme.tooltip} />
                {activityTypes.map((type, index) => (
                  <Bar
                    key={type}
                    dataKey={type}
                    name={activityTypeLabels[type]}
                    stackId="types"
                    fill={colorOf(index)}
                  />
                ))}
              </BarChart>
            </div>
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
