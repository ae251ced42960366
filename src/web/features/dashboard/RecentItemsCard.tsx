import type { UseQueryResult } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import { formatDateTime, labelOf } from "../../lib/format.ts";
import { recordRoutes } from "../activities/linked-records.ts";
import type { DashboardData } from "./dashboard.api.ts";
import { taskFilters } from "./dashboard-links.ts";
import { DashboardCard } from "./DashboardCard.tsx";

type RecentItem = DashboardData["recent"][number];

function ItemLink({ item }: { item: RecentItem }) {
  const className = "font-medium text-accent-700 hover:underline dark:text-sky-300";
  // Tasks have no page of their own: the task list shows just that task.
  if (item.type === "task") {
    return (
      <Link to="/tasks" search={{ filters: taskFilters.one(item.id) }} className={className}>
        {item.title}
      </Link>
    );
  }
  return (
    <Link to={recordRoutes[item.type]} params={{ id: item.id }} className={className}>
      {item.title}
    </Link>
  );
}

/** The records created or changed most recently, newest first. */
export function RecentItemsCard({ query }: { query: UseQueryResult<DashboardData> }) {
  const { t } = useTranslation();
  return (
    <DashboardCard title={t("dashboard.recent.title")} query={query}>
      {({ recent }) =>
        recent.length === 0 ? (
          <p className="text-sm text-slate-600 dark:text-slate-300">{t("dashboard.recent.empty")}</p>
        ) : (
          <ul className="flex flex-col">
            {recent.map((item) => (
              <li
                key={`${item.type}-${item.id}`}
                className="flex flex-col border-b border-slate-100 py-1.5 last:border-b-0 dark:border-slate-800"
              >
                <span className="truncate">
                  <span className="mr-2 rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-700 dark:bg-slate-800 dark:text-slate-200">
                    {labelOf(item.type)}
                  </span>
                  <ItemLink item={item} />
                </span>
                <span className="text-xs text-slate-600 dark:text-slate-400">
                  {item.createdAt === item.updatedAt ? t("common.created") : t("common.updated")}{" "}
                  <time dateTime={item.updatedAt}>{formatDateTime(item.updatedAt)}</time>
                </span>
              </li>
            ))}
          </ul>
        )
      }
    </DashboardCard>
  );
}
