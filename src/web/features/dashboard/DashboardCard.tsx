import type { UseQueryResult } from "@tanstack/react-query";
import { useId, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Skeleton } from "../../components/Feedback.tsx";
import type { DashboardData } from "./dashboard.api.ts";

type DashboardCardProps = {
  title: string;
  query: UseQueryResult<DashboardData>;
  /** A link beside the title, e.g. to the list behind the card. */
  action?: ReactNode;
  className?: string;
  children: (data: DashboardData) => ReactNode;
};

/** One dashboard widget: a titled card with its own skeleton while loading and its own error. */
export function DashboardCard({ title, query, action, className = "", children }: DashboardCardProps) {
  const { t } = useTranslation();
  const headingId = useId();
  return (
    <section
      aria-labelledby={headingId}
      aria-busy={query.isPending}
      className={`flex min-w-0 flex-col gap-3 rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900 ${className}`}
    >
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id={headingId} className="font-semibold">
          {title}
        </h2>
        {query.isSuccess && action}
      </div>
      {query.isPending ? (
        <div role="status" aria-label={t("dashboard.card.loading", { title })} className="flex flex-col gap-2">
          <Skeleton className="h-6 w-1/3" />
          <Skeleton className="h-40 w-full" />
        </div>
      ) : query.isError ? (
        <div role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-900 dark:bg-red-950 dark:text-red-100">
          <p>{t("dashboard.card.error", { message: query.error.message })}</p>
          <button type="button" className="mt-1 underline" onClick={() => void query.refetch()}>
            {t("common.retry")}
          </button>
        </div>
      ) : (
        children(query.data)
      )}
    </section>
  );
}
