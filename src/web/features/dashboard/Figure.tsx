import { Link } from "@tanstack/react-router";
import type { ListFilter } from "../../api/records.ts";
import { formatTotal } from "./format-total.ts";

type FigureProps = {
  label: string;
  value: number;
  /** The value is the server's estimate: shown as "about 1.2M". */
  isEstimate?: boolean | undefined;
  /** The list the figure counts, with its filters. */
  to: "/contacts" | "/companies" | "/leads" | "/deals" | "/activities" | "/tasks";
  filters?: ListFilter[];
  detail?: string | undefined;
  tone?: "default" | "warning";
};

/** A big number that links to the filtered list it counts. */
export function Figure({ label, value, isEstimate, to, filters, detail, tone = "default" }: FigureProps) {
  const isWarning = tone === "warning" && value > 0;
  return (
    <Link
      to={to}
      search={filters?.length ? { filters } : {}}
      className="flex min-w-0 flex-col rounded-md border border-slate-200 p-3 hover:border-accent-600 hover:bg-slate-50 dark:border-slate-700 dark:hover:border-sky-400 dark:hover:bg-slate-800"
    >
      <span className={`text-2xl font-semibold tabular-nums ${isWarning ? "text-red-700 dark:text-red-400" : ""}`}>
        {formatTotal(value, isEstimate)}
      </span>
      <span className="text-sm text-slate-700 dark:text-slate-200">{label}</span>
      {detail && <span className="truncate text-xs text-slate-600 dark:text-slate-400">{detail}</span>}
    </Link>
  );
}
