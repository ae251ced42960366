import type { UseQueryResult } from "@tanstack/react-query";
import { Link, useNavigate } from "@tanstack/react-router";
import { lazy, Suspense } from "react";
import { useTranslation } from "react-i18next";
import { Skeleton } from "../../components/Feedback.tsx";
import { formatMoney, formatNumber } from "../../lib/format.ts";
import type { DashboardData } from "./dashboard.api.ts";
import { dealFilters } from "./dashboard-links.ts";
import { DashboardCard } from "./DashboardCard.tsx";
import { useChartTheme } from "./useChartTheme.ts";

const PipelineChart = lazy(() => import("./charts.tsx").then((m) => ({ default: m.PipelineChart })));

type Stage = NonNullable<DashboardData["pipeline"]>["stages"][number];

/** Amounts of one stage in other currencies than the base one: they are never added together. */
function otherAmounts(stage: Stage, baseCurrency: string, key: "value" | "weightedValue"): string {
  return stage.amounts
    .filter((a) => a.currency !== baseCurrency)
    .map((a) => formatMoney(a[key], a.currency))
    .join(" + ");
}

/**
 * Deals per stage of the default pipeline: value and weighted value in the base currency as bars;
 * the table below (count, value, weighted value, other currencies) is also the chart's text alternative.
 */
export function PipelineCard({ query }: { query: UseQueryResult<DashboardData> }) {
  const { t } = useTranslation();
  const theme = useChartTheme();
  const navigate = useNavigate();
  return (
    <DashboardCard
      title={
        query.data?.pipeline
          ? t("dashboard.pipeline.titleNamed", { name: query.data.pipeline.name })
          : t("dashboard.pipeline.title")
      }
      query={query}
      className="md:col-span-2"
    >
      {({ pipeline, baseCurrency }) => {
        if (!pipeline)
          return <p className="text-sm text-slate-600 dark:text-slate-300">{t("dashboard.pipeline.none")}</p>;
        const rows = pipeline.stages.map((stage) => {
          const base = stage.amounts.find((a) => a.currency === baseCurrency);
          return {
            stage,
            name: stage.name,
            value: Number(base?.value ?? 0),
            weighted: Number(base?.weightedValue ?? 0),
          };
        });
        const money = (value: number) => formatMoney(String(value), baseCurrency);
        return (
          <>
            <Suspense fallback={<Skeleton className="h-56 w-full" />}>
              <PipelineChart
                rows={rows}
                baseCurrency={baseCurrency}
                theme={theme}
                onSelect={(stageId) => void navigate({ to: "/deals", search: { filters: dealFilters.stage(stageId) } })}
              />
            </Suspense>
            <div className="overflow-x-auto">
              <table className="w-full text-sm">
                <caption className="sr-only">{t("dashboard.pipeline.caption", { name: pipeline.name })}</caption>
                <thead>
                  <tr className="border-b border-slate-200 text-left text-slate-600 dark:border-slate-700 dark:text-slate-300">
                    <th scope="col" className="py-1 pr-3 font-medium">
                      {t("dashboard.pipeline.stage")}
                    </th>
                    <th scope="col" className="py-1 pr-3 text-right font-medium">
                      {t("dashboard.pipeline.deals")}
                    </th>
                    <th scope="col" className="py-1 pr-3 text-right font-medium">
                      {t("dashboard.pipeline.value")}
                    </th>
                    <th scope="col" className="py-1 text-right font-medium">
                      {t("dashboard.pipeline.weighted")}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map(({ stage, value, weighted }) => (
                    <tr key={stage.id} className="border-b border-slate-100 last:border-b-0 dark:border-slate-800">
                      <th scope="row" className="py-1 pr-3 text-left font-normal">
                        <Link
                          to="/deals"
                          search={{ filters: dealFilters.stage(stage.id) }}
                          className="text-accent-700 hover:underline dark:text-sky-300"
                        >
                          {stage.name}
                        </Link>
                        <span className="ml-1 text-xs text-slate-600 dark:text-slate-400">{stage.probability}%</span>
                      </th>
                      <td className="py-1 pr-3 text-right tabular-nums">{formatNumber(stage.count)}</td>
                      <td className="py-1 pr-3 text-right tabular-nums">
                        {money(value)}
                        {otherAmounts(stage, baseCurrency, "value") && (
                          <span className="block text-xs">+ {otherAmounts(stage, baseCurrency, "value")}</span>
                        )}
                      </td>
                      <td className="py-1 text-right tabular-nums">
                        {money(weighted)}
                        {otherAmounts(stage, baseCurrency, "weightedValue") && (
                          <span className="block text-xs">+ {otherAmounts(stage, baseCurrency, "weightedValue")}</span>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        );
      }}
    </DashboardCard>
  );
}
