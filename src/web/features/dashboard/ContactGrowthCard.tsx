import type { UseQueryResult } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { Area, AreaChart, CartesianGrid, Tooltip, XAxis, YAxis } from "recharts";
import { formatCompact, formatNumber } from "../../lib/format.ts";
import type { DashboardData } from "./dashboard.api.ts";
import { contactFilters } from "./dashboard-links.ts";
import { DashboardCard } from "./DashboardCard.tsx";
import { DataTableAlternative } from "./DataTableAlternative.tsx";
import { bucketHeader, formatBucket } from "./format-bucket.ts";
import { useChartTheme } from "./useChartTheme.ts";

/** Contacts over the period: the running total as an area, new contacts per bucket in the tooltip and table. */
export function ContactGrowthCard({ query }: { query: UseQueryResult<DashboardData> }) {
  const theme = useChartTheme();
  const color = theme.series[0];
  return (
    <DashboardCard
      title="Contact growth"
      query={query}
      action={
        query.data && (
          <Link
            to="/contacts"
            search={{ filters: contactFilters.createdSince(query.data.period.from) }}
            className="text-sm text-accent-700 hover:underline dark:text-sky-300"
          >
            New contacts
          </Link>
        )
      }
    >
      {({ contactGrowth, period }) => {
        const rows = contactGrowth.map((entry) => ({
          ...entry,
          label: formatBucket(entry.start, period.bucket, period.timeZone),
        }));
        const added = rows.reduce((sum, row) => sum + row.count, 0);
        const total = rows.at(-1)?.cumulative ?? 0;
        return (
          <>
            <p className="text-sm text-slate-700 dark:text-slate-200">
              <span className="text-2xl font-semibold tabular-nums">{formatNumber(total)}</span> contacts,{" "}
              <span className="font-medium">+{formatNumber(added)}</span> in this period
            </p>
            <div aria-hidden="true" className="h-48">
              <AreaChart
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
                  width={48}
                  tickFormatter={formatCompact}
                  tick={{ fill: theme.axis, fontSize: 12 }}
                  stroke={theme.grid}
                />
                <Tooltip
                  {...theme.tooltip}
                  formatter={(value, name) => [formatNumber(Number(value)), name === "cumulative" ? "Total" : "New"]}
                />
                <Area
                  type="monotone"
                  dataKey="cumulative"
                  name="cumulative"
                  stroke={color}
                  fill={color}
                  fillOpacity={0.2}
                  strokeWidth={2}
                />
                <Area
                  type="monotone"
                  dataKey="count"
                  name="count"
                  stroke={theme.series[1]}
                  fill="none"
                  strokeDasharray="4 3"
                />
              </AreaChart>
            </div>
            <DataTableAlternative
              caption="Contacts per period"
              headers={[bucketHeader[period.bucket], "New contacts", "Total contacts"]}
              rows={rows.map((row) => ({
                key: row.start,
                cells: [row.label, formatNumber(row.count), formatNumber(row.cumulative)],
              }))}
            />
          </>
        );
      }}
    </DashboardCard>
  );
}
