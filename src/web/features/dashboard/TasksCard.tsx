import type { UseQueryResult } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { DashboardData } from "./dashboard.api.ts";
import { taskFilters } from "./dashboard-links.ts";
import { DashboardCard } from "./DashboardCard.tsx";
import { Figure } from "./Figure.tsx";

/** Unfinished tasks due today and overdue, the workspace's and the user's own. */
export function TasksCard({ query }: { query: UseQueryResult<DashboardData> }) {
  const { t } = useTranslation();
  return (
    <DashboardCard title={t("dashboard.tasks.title")} query={query}>
      {({ tasks }) => (
        <div className="grid grid-cols-2 gap-2">
          <Figure
            label={t("dashboard.tasks.dueToday")}
            value={tasks.dueToday}
            to="/tasks"
            filters={taskFilters.dueToday()}
          />
          <Figure
            label={t("dashboard.tasks.overdue")}
            value={tasks.overdue}
            to="/tasks"
            filters={taskFilters.overdue()}
            tone="warning"
          />
          <Figure
            label={t("dashboard.tasks.mineDueToday")}
            value={tasks.mine.dueToday}
            to="/tasks"
            filters={taskFilters.dueToday(true)}
          />
          <Figure
            label={t("dashboard.tasks.mineOverdue")}
            value={tasks.mine.overdue}
            to="/tasks"
            filters={taskFilters.overdue(true)}
            tone="warning"
          />
          <Figure
            label={t("dashboard.tasks.myOpen")}
            value={tasks.mine.open}
            to="/tasks"
            filters={taskFilters.open(true)}
          />
          <Figure label={t("dashboard.tasks.allOpen")} value={tasks.open} to="/tasks" filters={taskFilters.open()} />
        </div>
      )}
    </DashboardCard>
  );
}
