import { useMutation, useQuery } from "@tanstack/react-query";
import { DropdownMenu } from "radix-ui";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiProblem, apiRequest } from "../../api/client.ts";
import { filterParameter, useRecordCount, type Collection, type ListFilter } from "../../api/records.ts";
import { Button } from "../../components/Button.tsx";
import { webConfig } from "../../config.ts";
import { formatDateTime, formatNumber } from "../../lib/format.ts";

/** The lists the API exports. */
const exportable = ["contacts", "companies", "leads", "deals", "activities", "tasks"] as const;
type ExportableCollection = (typeof exportable)[number];

const isExportable = (collection: Collection): collection is ExportableCollection =>
  (exportable as readonly string[]).includes(collection);

const linkColumns = ["contactName", "leadTitle", "dealName", "companyName"];

/**
 * The export columns (the API's names) of each table column whose key is not itself one: a
 * column showing a relation exports its readable name, a name column its parts. Columns mapped to
 * nothing (checkboxes) are not exported.
 */
const exportColumnsOf: Record<ExportableCollection, Record<string, string[]>> = {
  contacts: { name: ["firstName", "lastName"], company: ["companyName"], owner: ["ownerName"] },
  companies: { employees: ["employeeCount"], revenue: ["annualRevenue"], owner: ["ownerName"] },
  leads: {
    estimatedValue: ["estimatedValue", "currency"],
    contact: ["primaryContactName"],
    company: ["companyName"],
    owner: ["ownerName"],
  },
  deals: {
    value: ["value", "currency"],
    stage: ["stageName"],
    company: ["companyName"],
    contact: ["contactName"],
    owner: ["ownerName"],
  },
  activities: { linked: linkColumns, duration: ["durationMinutes"] },
  tasks: { done: [], open: [], assignee: ["assigneeName"], dependencies: ["dependsOn"], linked: linkColumns },
};

export type ExportMenuProps = {
  collection: Collection;
  sort: string;
  q: string;
  filters: ListFilter[];
  /** The keys of the table's shown columns, in order. */
  shownColumns: string[];
};

/** Above this many rows an export runs as a job on the server, with a progress bar and a link. */
export const backgroundExportAbove = 50_000;

/** The export's query string: the list's filters, search, sort and shown columns. */
function exportQuery(props: ExportMenuProps & { collection: ExportableCollection }, format: string): string {
  const query = new URLSearchParams({ format, sort: props.sort });
  if (props.q.trim()) query.set("q", props.q.trim());
  for (const filter of props.filters) query.set(filterParameter(filter), filter.value);
  if (format !== "vcf") {
    const mapped = props.shownColumns.flatMap((key) => exportColumnsOf[props.collection][key] ?? [key]);
    const columns = [...new Set(mapped)];
    if (columns.length > 0) query.set("columns", columns.join(","));
  }
  return query.toString();
}

/** The export URL of the list as shown: its filters, search, sort and columns. */
export function exportUrl(props: ExportMenuProps & { collection: ExportableCollection }, format: string): string {
  return `${webConfig.apiBase}/${props.collection}/export?${exportQuery(props, format)}`;
}

/** An export run as a job, as GET /exports/:id answers it. */
type ExportFile = {
  id: string;
  status: "queued" | "running" | "completed" | "failed";
  rowsTotal: number | null;
  rowsDone: number;
  fileName: string;
  error: string | null;
  expiresAt: string;
  /** The file's path as the API gives it (`/api/v1/exports/:id/download`), a link as it is. */
  downloadUrl: string | null;
};

const isSettled = (file: ExportFile | undefined) => file?.status === "completed" || file?.status === "failed";

const itemClass =
  "block cursor-default rounded px-2 py-1.5 text-sm outline-none data-[highlighted]:bg-accent-50 data-[highlighted]:text-accent-700 dark:data-[highlighted]:bg-slate-800 dark:data-[highlighted]:text-sky-300";

/**
 * "Export": the list as shown, as CSV, Excel or (contacts) vCard. Up to 50,000 rows each choice is
 * a plain link, so the browser downloads the streamed file straight to disk. Past that the export
 * runs as a job: a progress bar, then a download link that says when it expires.
 */
export function ExportMenu(props: ExportMenuProps) {
  const { collection } = props;
  if (!isExportable(collection)) return null;
  return <ExportChoices {...props} collection={collection} />;
}

function ExportChoices(props: ExportMenuProps & { collection: ExportableCollection }) {
  const { collection } = props;
  const { t } = useTranslation();
  const count = useRecordCount(collection, { q: props.q, filters: props.filters });
  const isLarge = (count.data?.count ?? 0) > backgroundExportAbove;
  const [exportId, setExportId] = useState<string | null>(null);
  const start = useMutation({
    mutationFn: (format: string) =>
      apiRequest<ExportFile>(`/${collection}/exports?${exportQuery(props, format)}`, { method: "POST" }),
    onSuccess: (file) => setExportId(file.id),
  });
  const formats = [
    { format: "csv", label: t("lists.export.csv") },
    { format: "xlsx", label: t("lists.export.xlsx") },
    ...(collection === "contacts" ? [{ format: "vcf", label: t("lists.export.vcf") }] : []),
  ];
  return (
    <div className="relative">
      <DropdownMenu.Root>
        <DropdownMenu.Trigger asChild>
          <Button>
            {t("lists.export.button")} <span aria-hidden="true">▾</span>
          </Button>
        </DropdownMenu.Trigger>
        <DropdownMenu.Portal>
          <DropdownMenu.Content
            align="end"
            sideOffset={4}
            className="z-30 flex min-w-44 flex-col rounded-md border border-slate-200 bg-white p-1 shadow-lg dark:border-slate-700 dark:bg-slate-900"
          >
            <DropdownMenu.Label className="px-2 py-1 text-xs text-slate-600 dark:text-slate-400">
              {isLarge ? t("lists.export.asFilteredInBackground") : t("lists.export.asFiltered")}
            </DropdownMenu.Label>
            {formats.map(({ format, label }) =>
              isLarge ? (
                <DropdownMenu.Item key={format} className={itemClass} onSelect={() => start.mutate(format)}>
                  {label}
                </DropdownMenu.Item>
              ) : (
                <DropdownMenu.Item key={format} asChild className={itemClass}>
                  <a href={exportUrl(props, format)} download>
                    {label}
                  </a>
                </DropdownMenu.Item>
              ),
            )}
          </DropdownMenu.Content>
        </DropdownMenu.Portal>
      </DropdownMenu.Root>
      {start.error && (
        <p role="alert" className="mt-1 text-sm text-red-700 dark:text-red-400">
          {start.error instanceof ApiProblem ? start.error.message : t("lists.export.couldNotStart")}
        </p>
      )}
      {exportId && <ExportProgress id={exportId} onClose={() => setExportId(null)} />}
    </div>
  );
}

/** A background export's progress (polled each second), then its download link and expiry. */
function ExportProgress({ id, onClose }: { id: string; onClose: () => void }) {
  const { t } = useTranslation();
  const file = useQuery({
    queryKey: ["exports", id],
    queryFn: ({ signal }) => apiRequest<ExportFile>(`/exports/${id}`, { signal }),
    refetchInterval: (query) => (isSettled(query.state.data) ? false : 1000),
  });
  const row = file.data;
  const percent =
    row?.rowsTotal && row.rowsTotal > 0 ? Math.min(100, Math.round((row.rowsDone / row.rowsTotal) * 100)) : 0;
  return (
    <section
      aria-label={t("lists.export.background")}
      className="absolute right-0 z-20 mt-2 flex w-72 flex-col gap-2 rounded-md border border-slate-200 bg-white p-3 text-sm shadow-lg dark:border-slate-700 dark:bg-slate-900"
    >
      {row?.status === "completed" && row.downloadUrl ? (
        <>
          <a className="text-accent-700 font-medium underline dark:text-sky-300" href={row.downloadUrl} download>
            {t("lists.export.download", { fileName: row.fileName })}
          </a>
          <p className="text-slate-600 dark:text-slate-400">
            {t("lists.export.done", {
              number: formatNumber(row.rowsDone),
              expiresAt: formatDateTime(row.expiresAt),
            })}
          </p>
        </>
      ) : row?.status === "failed" ? (
        <p role="alert" className="text-red-700 dark:text-red-400">
          {row.error ?? t("lists.export.failed")}
        </p>
      ) : (
        <>
          <div
            role="progressbar"
            aria-label={t("lists.export.progress")}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={percent}
            className="h-2 w-full overflow-hidden rounded bg-slate-200 dark:bg-slate-800"
          >
            <div className="bg-accent-600 h-full" style={{ width: `${percent}%` }} />
          </div>
          <p aria-live="polite">
            {row?.rowsTotal
              ? t("lists.export.preparingOf", {
                  number: formatNumber(row.rowsDone),
                  total: formatNumber(row.rowsTotal),
                })
              : t("lists.export.preparing", { number: formatNumber(row?.rowsDone ?? 0) })}
          </p>
        </>
      )}
      <Button onClick={onClose}>{t("common.close")}</Button>
    </section>
  );
}
