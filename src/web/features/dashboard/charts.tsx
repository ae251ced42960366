/**
 * The dashboard's charts: the only module that imports recharts, loaded lazily by the cards so that
 * figures, legends, links and text alternatives render before the chart library arrives.
 */
import { useTranslation } from "react-i18next";
import { Area, AreaChart, Bar, BarChart, CartesianGrid, Cell, Legend, Tooltip, XAxis, YAxis } from "recharts";
import { formatCompact, formatMoney, formatNumber } from "../../lib/format.ts";
import type { DashboardData } from "./dashboard.api.ts";
import type { ChartTheme } from "./useChartTheme.ts";

type LeadsByStatusChartProps = {
  rows: (DashboardData["leadsByStatus"][number] & { label: string })[];
  theme: ChartTheme;
  /** Called with the status of the bar that was clicked. */
  onSelect: (status: string) => void;
};

/** Leads per status as horizontal bars, one colour per status. */
export function LeadsByStatusChart({ rows, theme, onSelect }: LeadsByStatusChartProps) {
  const { t } = useTranslation();
  return (
    <div aria-hidden="true" className="h-48">
      <BarChart
        responsive
        accessibilityLayer={false}
        style={{ width: "100%", height: "100%" }}
        data={rows}
        layout="vertical"
        margin={{ left: 8, right: 16 }}
      >
        <CartesianGrid horizontal={false} stroke={theme.grid} />
        <XAxis
          type="number"
          allowDecimals={false}
          tickFormatter={formatCompact}
          tick={{ fill: theme.axis, fontSize: 12 }}
          stroke={theme.grid}
        />
        <YAxis
          type="category"
          dataKey="label"
          width={80}
          tick={{ fill: theme.axis, fontSize: 12 }}
          stroke={theme.grid}
        />
        <Tooltip {...theme.tooltip} formatter={(value) => [formatNumber(Number(value)), t("dashboard.leads.series")]} />
        <Bar
          dataKey="count"
          name={t("dashboard.leads.series")}
          cursor="pointer"
          onClick={(_, index) => {
            const row = rows[index];
            if (row) onSelect(row.status);
          }}
        >
          {rows.map((row, index) => (
            <Cell key={row.status} fill={theme.series[index % theme.series.length]} />
          ))}
        </Bar>
      </BarChart>
    </div>
  );
}

type ContactGrowthChartProps = {
  rows: (DashboardData["contactGrowth"][number] & { label: string })[];
  theme: ChartTheme;
};

/** The running total of contacts as an area, new contacts per bucket as a dashed line. */
export function ContactGrowthChart({ rows, theme }: ContactGrowthChartProps) {
  const { t } = useTranslation();
  const color = theme.series[0];
  return (
    <div aria-hidden="true" className="h-48">
      <AreaChart
        responsive
        accessibilityLayer={false}
        style={{ width: "100%", height: "100%" }}
        data={rows}
        margin={{ left: 0, right: 8 }}
      >
        <CartesianGrid vertical={false} stroke={theme.grid} />
        <XAxis dataKey="label" tick={{ fill: theme.axis, fontSize: 12 }} stroke={theme.grid} minTickGap={16} />
        <YAxis
          allowDecimals={false}
          width={48}
          tickFormatter={formatCompact}
          tick={{ fill: theme.axis, fontSize: 12 }}
          stroke={theme.grid}
        />
        <Tooltip
          {...theme.tooltip}
          formatter={(value, name) => [
            formatNumber(Number(value)),
            name === "cumulative" ? t("dashboard.growth.seriesTotal") : t("dashboard.growth.seriesNew"),
          ]}
        />
        <Area
          type="monotone"
          dataKey="cumulative"
          name="cumulative"
          stroke={color}
          fill={color}
          fillOpacity={0.2}
          strokeWidth={2}
        />
        <Area type="monotone" dataKey="count" name="count" stroke={theme.series[1]} fill="none" strokeDasharray="4 3" />
      </AreaChart>
    </div>
  );
}

type PipelineChartProps = {
  rows: { stage: { id: string }; name: string; value: number; weighted: number }[];
  baseCurrency: string;
  theme: ChartTheme;
  /** Called with the id of the stage whose value bar was clicked. */
  onSelect: (stageId: string) => void;
};

/** Value and weighted value per stage in the base currency, as grouped bars. */
export function PipelineChart({ rows, baseCurrency, theme, onSelect }: PipelineChartProps) {
  const { t } = useTranslation();
  const money = (value: number) => formatMoney(String(value), baseCurrency);
  return (
    <div aria-hidden="true" className="h-56">
      <BarChart
        responsive
        accessibilityLayer={false}
        style={{ width: "100%", height: "100%" }}
        data={rows}
        margin={{ left: 0, right: 8 }}
      >
        <CartesianGrid vertical={false} stroke={theme.grid} />
        <XAxis dataKey="name" tick={{ fill: theme.axis, fontSize: 12 }} stroke={theme.grid} minTickGap={4} />
        <YAxis width={56} tick={{ fill: theme.axis, fontSize: 12 }} stroke={theme.grid} tickFormatter={formatCompact} />
        <Tooltip {...theme.tooltip} formatter={(value, name) => [money(Number(value)), name]} />
        <Legend wrapperStyle={{ color: theme.axis, fontSize: 12 }} />
        <Bar
          dataKey="value"
          name={t("dashboard.pipeline.seriesValue", { currency: baseCurrency })}
          fill={theme.series[0]}
          cursor="pointer"
          onClick={(_, index) => {
            const row = rows[index];
            if (row) onSelect(row.stage.id);
          }}
        />
        <Bar
          dataKey="weighted"
          name={t("dashboard.pipeline.seriesWeighted", { currency: baseCurrency })}
          fill={theme.series[1]}
        />
      </BarChart>
    </div>
  );
}

type ActivitiesByTypeChartProps = {
  rows: { label: string; counts: Record<string, number> }[];
  types: { key: string; label: string }[];
  theme: ChartTheme;
};

/** Activities per bucket by type, as stacked bars. */
export function ActivitiesByTypeChart({ rows, types, theme }: ActivitiesByTypeChartProps) {
  const colorOf = (index: number) => theme.series[index % theme.series.length];
  return (
    <div aria-hidden="true" className="h-48">
      <BarChart
        responsive
        accessibilityLayer={false}
        style={{ width: "100%", height: "100%" }}
        data={rows}
        margin={{ left: 0, right: 8 }}
      >
        <CartesianGrid vertical={false} stroke={theme.grid} />
        <XAxis dataKey="label" tick={{ fill: theme.axis, fontSize: 12 }} stroke={theme.grid} minTickGap={16} />
        <YAxis
          allowDecimals={false}
          width={44}
          tickFormatter={formatCompact}
          tick={{ fill: theme.axis, fontSize: 12 }}
          stroke={theme.grid}
        />
        <Tooltip {...theme.tooltip} />
        {types.map(({ key, label }, index) => (
          <Bar
            key={key}
            dataKey={(row: { counts: Record<string, number> }) => row.counts[key] ?? 0}
            name={label}
            stackId="types"
            fill={colorOf(index)}
          />
        ))}
      </BarChart>
    </div>
  );
}
