import type { UseQueryResult } from "@tanstack/react-query";
import type { DashboardData } from "./dashboard.api.ts";
import { taskFilters } from "./dashboard-links.ts";
import { DashboardCard } from "./DashboardCard.tsx";
import { Figure } from "./Figure.tsx";

/** Unfinished tasks due today and overdue, the workspace's and the user's own. */
export function TasksCard({ query }: { query: UseQueryResult<DashboardData> }) {
  return (
    <DashboardCard title="Tasks due" query={query}>
      {({ tasks }) => (
        <div className="grid grid-cols-2 gap-2">
          <Figure label="Due today" value={tasks.dueToday} to="/tasks" filters={taskFilters.dueToday()} />
          <Figure label="Overdue" value={tasks.overdue} to="/tasks" filters={taskFilters.overdue()} tone="warning" />
          <Figure label="Mine due today" value={tasks.mine.dueToday} to="/tasks" filters={taskFilters.dueToday(true)} />
          <Figure
            label="Mine overdue"
            value={tasks.mine.overdue}
            to="/tasks"
            filters={taskFilters.overdue(true)}
            tone="warning"
          />
          <Figure label="My open tasks" value={tasks.mine.open} to="/tasks" filters={taskFilters.open(true)} />
          <Figure label="All open tasks" value={tasks.open} to="/tasks" filters={taskFilters.open()} />
        </div>
      )}
    </DashboardCard>
  );
}
