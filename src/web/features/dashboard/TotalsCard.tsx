import type { UseQueryResult } from "@tanstack/react-query";
import { formatMoney } from "../../lib/format.ts";
import type { DashboardData } from "./dashboard.api.ts";
import { dealFilters, leadFilters, taskFilters } from "./dashboard-links.ts";
import { DashboardCard } from "./DashboardCard.tsx";
import { Figure } from "./Figure.tsx";

/** Contacts, companies, open leads, open deals (with their value) and open tasks. */
export function TotalsCard({ query }: { query: UseQueryResult<DashboardData> }) {
  return (
    <DashboardCard title="Totals" query={query} className="md:col-span-2 xl:col-span-3">
      {({ totals }) => {
        const value = totals.openDeals.amounts.map((a) => formatMoney(a.value, a.currency)).join(" + ");
        return (
          <div className="grid grid-cols-2 gap-2 sm:grid-cols-3 lg:grid-cols-5">
            <Figure label="Contacts" value={totals.contacts} to="/contacts" />
            <Figure label="Companies" value={totals.companies} to="/companies" />
            <Figure label="Open leads" value={totals.openLeads} to="/leads" filters={leadFilters.open()} />
            <Figure
              label="Open deals"
              value={totals.openDeals.count}
              to="/deals"
              filters={dealFilters.open()}
              detail={value || undefined}
            />
            <Figure label="Open tasks" value={totals.openTasks} to="/tasks" filters={taskFilters.open()} />
          </div>
        );
      }}
    </DashboardCard>
  );
}
