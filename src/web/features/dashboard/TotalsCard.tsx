import type { UseQueryResult } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { formatMoney } from "../../lib/format.ts";
import type { DashboardData } from "./dashboard.api.ts";
import { dealFilters, leadFilters, taskFilters } from "./dashboard-links.ts";
import { DashboardCard } from "./DashboardCard.tsx";
import { Figure } from "./Figure.tsx";

/** Contacts, companies, open leads, open deals (with their value) and open tasks. */
export function TotalsCard({ query }: { query: UseQueryResult<DashboardData> }) {
  const { t } = useTranslation();
  return (
    <DashboardCard title={t("dashboard.totals.title")} query={query} className="md:col-span-2 xl:col-span-3">
      {({ totals }) => {
        const value = totals.openDeals.amounts.map((a) => formatMoney(a.value, a.currency)).join(" + ");
        return (
          <div className="grid grid-cols-2 gap-2 sm:grid-cols-3 lg:grid-cols-5">
            <Figure
              label={t("dashboard.totals.contacts")}
              value={totals.contacts}
              isEstimate={totals.contactsIsEstimate}
              to="/contacts"
            />
            <Figure
              label={t("dashboard.totals.companies")}
              value={totals.companies}
              isEstimate={totals.companiesIsEstimate}
              to="/companies"
            />
            <Figure
              label={t("dashboard.totals.openLeads")}
              value={totals.openLeads}
              to="/leads"
              filters={leadFilters.open()}
            />
            <Figure
              label={t("dashboard.totals.openDeals")}
              value={totals.openDeals.count}
              to="/deals"
              filters={dealFilters.open()}
              detail={value || undefined}
            />
            <Figure
              label={t("dashboard.totals.openTasks")}
              value={totals.openTasks}
              to="/tasks"
              filters={taskFilters.open()}
            />
          </div>
        );
      }}
    </DashboardCard>
  );
}
