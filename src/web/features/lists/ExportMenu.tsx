import { DropdownMenu } from "radix-ui";
import type { Collection, ListFilter } from "../../api/records.ts";
import { Button } from "../../components/Button.tsx";
import { webConfig } from "../../config.ts";

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

/** The export URL of the list as shown: its filters, search, sort and columns. */
export function exportUrl(props: ExportMenuProps & { collection: ExportableCollection }, format: string): string {
  const query = new URLSearchParams({ format, sort: props.sort });
  if (props.q.trim()) query.set("q", props.q.trim());
  for (const filter of props.filters) query.set(`filter[${filter.field}][${filter.op}]`, filter.value);
  if (format !== "vcf") {
    const mapped = props.shownColumns.flatMap((key) => exportColumnsOf[props.collection][key] ?? [key]);
    const columns = [...new Set(mapped)];
    if (columns.length > 0) query.set("columns", columns.join(","));
  }
  return `${webConfig.apiBase}/${props.collection}/export?${query.toString()}`;
}

const itemClass =
  "block cursor-default rounded px-2 py-1.5 text-sm outline-none data-[highlighted]:bg-accent-50 data-[highlighted]:text-accent-700 dark:data-[highlighted]:bg-slate-800 dark:data-[highlighted]:text-sky-300";

/**
 * "Export": the list as shown, as CSV, Excel or (contacts) vCard. Each choice is a plain link, so
 * the browser downloads the streamed file straight to disk, however large.
 */
export function ExportMenu(props: ExportMenuProps) {
  const { collection } = props;
  if (!isExportable(collection)) return null;
  const formats = [
    { format: "csv", label: "CSV" },
    { format: "xlsx", label: "Excel (.xlsx)" },
    ...(collection === "contacts" ? [{ format: "vcf", label: "vCard (.vcf)" }] : []),
  ];
  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger asChild>
        <Button>
          Export <span aria-hidden="true">▾</span>
        </Button>
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content
          align="end"
          sideOffset={4}
          className="z-30 flex min-w-44 flex-col rounded-md border border-slate-200 bg-white p-1 shadow-lg dark:border-slate-700 dark:bg-slate-900"
        >
          <DropdownMenu.Label className="px-2 py-1 text-xs text-slate-600 dark:text-slate-400">
            This list, as filtered
          </DropdownMenu.Label>
          {formats.map(({ format, label }) => (
            <DropdownMenu.Item key={format} asChild className={itemClass}>
              <a href={exportUrl({ ...props, collection }, format)} download>
                {label}
              </a>
            </DropdownMenu.Item>
          ))}
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
