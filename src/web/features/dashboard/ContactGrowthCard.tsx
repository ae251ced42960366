import type { UseQueryResult } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { lazy, Suspense } from "react";
import { Trans, useTranslation } from "react-i18next";
import { Skeleton } from "../../components/Feedback.tsx";
import { formatNumber } from "../../lib/format.ts";
import type { DashboardData } from "./dashboard.api.ts";
import { contactFilters } from "./dashboard-links.ts";
import { DashboardCard } from "./DashboardCard.tsx";
import { DataTableAlternative } from "./DataTableAlternative.tsx";
import { bucketHeader, formatBucket } from "./format-bucket.ts";
import { formatTotal } from "./format-total.ts";
import { useChartTheme } from "./useChartTheme.ts";

const ContactGrowthChart = lazy(() => import("./charts.tsx").then((m) => ({ default: m.ContactGrowthChart })));

/** Contacts over the period: the running total as an area, new contacts per bucket in the tooltip and table. */
export function ContactGrowthCard({ query }: { query: UseQueryResult<DashboardData> }) {
  const { t } = useTranslation();
  const theme = useChartTheme();
  return (
    <DashboardCard
      title={t("dashboard.growth.title")}
      query={query}
      action={
        query.data && (
          <Link
            to="/contacts"
            search={{ filters: contactFilters.createdSince(query.data.period.from) }}
            className="text-sm text-accent-700 hover:underline dark:text-sky-300"
          >
            {t("dashboard.growth.newContacts")}
          </Link>
        )
      }
    >
      {({ contactGrowth, period, totals }) => {
        const rows = contactGrowth.map((entry) => ({
          ...entry,
          label: formatBucket(entry.start, period.bucket, period.timeZone),
        }));
        const added = rows.reduce((sum, row) => sum + row.count, 0);
        const total = rows.at(-1)?.cumulative ?? 0;
        return (
          <>
            <p className="text-sm text-slate-700 dark:text-slate-200">
              <Trans
                i18nKey="dashboard.growth.summary"
                values={{ total: formatTotal(total, totals.contactsIsEstimate), added: formatNumber(added) }}
                components={{
                  total: <span className="text-2xl font-semibold tabular-nums" />,
                  added: <span className="font-medium" />,
                }}
              />
            </p>
            <Suspense fallback={<Skeleton className="h-48 w-full" />}>
              <ContactGrowthChart rows={rows} theme={theme} />
            </Suspense>
            <DataTableAlternative
              caption={t("dashboard.growth.caption")}
              headers={[
                bucketHeader(period.bucket),
                t("dashboard.growth.newContacts"),
                t("dashboard.growth.totalContacts"),
              ]}
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
