import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { dashboardRanges, type DashboardRange } from "../../../shared/vocabulary.ts";
import { inputClass } from "../../components/Field.tsx";
import { t } from "../../i18n/i18n.ts";
import { PageHeader } from "../../components/Feedback.tsx";
import { ActivitiesByTypeCard } from "./ActivitiesByTypeCard.tsx";
import { ContactGrowthCard } from "./ContactGrowthCard.tsx";
import { useDashboard } from "./dashboard.api.ts";
import { LeadsByStatusCard } from "./LeadsByStatusCard.tsx";
import { PipelineCard } from "./PipelineCard.tsx";
import { RecentItemsCard } from "./RecentItemsCard.tsx";
import { TasksCard } from "./TasksCard.tsx";
import { TotalsCard } from "./TotalsCard.tsx";

/** The periods' names, in the current language. */
const rangeLabels = (): Record<DashboardRange, string> => ({
  "7d": t("dashboard.page.last7Days"),
  "30d": t("dashboard.page.last30Days"),
  "90d": t("dashboard.page.last90Days"),
  "365d": t("dashboard.page.last12Months"),
});
const storageKey = "keel-dashboard-range";

function storedRange(): DashboardRange {
  const value = localStorage.getItem(storageKey);
  return value && value in dashboardRanges ? (value as DashboardRange) : "30d";
}

/** The home page: the workspace's figures and charts, each linking to the list behind it. */
export function DashboardPage() {
  const { t } = useTranslation();
  const [range, setRange] = useState<DashboardRange>(storedRange);
  const query = useDashboard(range);
  const periodId = useId();
  const chooseRange = (next: DashboardRange) => {
    localStorage.setItem(storageKey, next);
    setRange(next);
  };

  return (
    <div className="flex flex-col">
      <PageHeader
        title={t("dashboard.page.title")}
        actions={
          <div className="flex items-center gap-2 text-sm">
            <label htmlFor={periodId}>{t("dashboard.page.period")}</label>
            <select
              id={periodId}
              className={`${inputClass} w-auto`}
              value={range}
              onChange={(e) => chooseRange(e.target.value as DashboardRange)}
            >
              {Object.entries(rangeLabels()).map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </div>
        }
      />
      <div className="grid grid-cols-1 gap-4 p-4 md:grid-cols-2 xl:grid-cols-3">
        <TotalsCard query={query} />
        <LeadsByStatusCard query={query} />
        <TasksCard query={query} />
        <ContactGrowthCard query={query} />
        <PipelineCard query={query} />
        <ActivitiesByTypeCard query={query} />
        <RecentItemsCard query={query} />
      </div>
    </div>
  );
}
