import type { UseQueryResult } from "@tanstack/react-query";
import { Link, useNavigate } from "@tanstack/react-router";
import { lazy, Suspense } from "react";
import { useTranslation } from "react-i18next";
import { Skeleton } from "../../components/Feedback.tsx";
import { formatNumber, labelOf } from "../../lib/format.ts";
import type { DashboardData } from "./dashboard.api.ts";
import { leadFilters } from "./dashboard-links.ts";
import { DashboardCard } from "./DashboardCard.tsx";
import { useChartTheme } from "./useChartTheme.ts";

const LeadsByStatusChart = lazy(() => import("./charts.tsx").then((m) => ({ default: m.LeadsByStatusChart })));

/** Leads per status as bars; the list beside the chart is its text alternative and links to each status. */
export function LeadsByStatusCard({ query }: { query: UseQueryResult<DashboardData> }) {
  const { t } = useTranslation();
  const theme = useChartTheme();
  const navigate = useNavigate();
  return (
    <DashboardCard title={t("dashboard.leads.title")} query={query}>
      {({ leadsByStatus }) => {
        const rows = leadsByStatus.map((entry) => ({ ...entry, label: labelOf(entry.status) }));
        const total = rows.reduce((sum, row) => sum + row.count, 0);
        if (total === 0)
          return <p className="text-sm text-slate-600 dark:text-slate-300">{t("dashboard.leads.empty")}</p>;
        return (
          <>
            <Suspense fallback={<Skeleton className="h-48 w-full" />}>
              <LeadsByStatusChart
                rows={rows}
                theme={theme}
                onSelect={(status) => void navigate({ to: "/leads", search: { filters: leadFilters.status(status) } })}
              />
            </Suspense>
            <ul
              className="grid grid-cols-1 gap-x-4 gap-y-1 text-sm sm:grid-cols-2"
              aria-label={t("dashboard.leads.listLabel", { total: formatNumber(total) })}
            >
              {rows.map((row, index) => (
                <li key={row.status}>
                  <Link
                    to="/leads"
                    search={{ filters: leadFilters.status(row.status) }}
                    className="flex items-center gap-1.5 rounded hover:underline"
                  >
                    <span
                      aria-hidden="true"
                      className="size-2.5 shrink-0 rounded-sm"
                      style={{ background: theme.series[index % theme.series.length] }}
                    />
                    <span className="flex-1">{row.label}</span>
                    <span className="font-medium tabular-nums">{formatNumber(row.count)}</span>
                  </Link>
                </li>
              ))}
            </ul>
          </>
        );
      }}
    </DashboardCard>
  );
}
