import { useTranslation } from "react-i18next";
import { formatDateTime } from "../../lib/format.ts";
import type { AuditRow } from "./audit.api.ts";
import { actionLabelOf, actorLabelOf } from "./audit-labels.ts";
import { ResourceLink } from "./ResourceLink.tsx";
import { SealedMark } from "./SealedMark.tsx";

type AuditTableProps = {
  entries: AuditRow[];
  onOpen: (entry: AuditRow) => void;
};

function When({ entry }: { entry: AuditRow }) {
  return (
    <span className="inline-flex items-center gap-1">
      <time dateTime={entry.occurredAt}>{formatDateTime(entry.occurredAt)}</time>
      {entry.sealed && <SealedMark />}
    </span>
  );
}

function Action({ entry }: { entry: AuditRow }) {
  return (
    <>
      <span className="block font-medium">{actionLabelOf(entry.action)}</span>
      <code className="block text-xs text-slate-600 dark:text-slate-400">{entry.action}</code>
    </>
  );
}

function OpenButton({ entry, onOpen }: { entry: AuditRow; onOpen: (entry: AuditRow) => void }) {
  const { t } = useTranslation();
  return (
    <button
      type="button"
      onClick={() => onOpen(entry)}
      className="rounded-md border border-slate-300 px-2 py-1 text-sm font-medium hover:bg-slate-50 dark:border-slate-600 dark:hover:bg-slate-800"
    >
      {t("audit.table.details")}
      <span className="sr-only">
        {" "}
        {t("audit.table.detailsOf", { action: actionLabelOf(entry.action), when: formatDateTime(entry.occurredAt) })}
      </span>
    </button>
  );
}

/**
 * Audit entries, newest first: a table from 1024 px, one card per entry below, neither wider than
 * the screen. "Details" opens the entry with its changes side by side.
 */
export function AuditTable({ entries, onOpen }: AuditTableProps) {
  const { t } = useTranslation();
  const headings = [t("audit.table.when"), t("audit.table.actor"), t("audit.table.action"), t("audit.table.resource")];
  return (
    <>
      <table className="hidden w-full table-fixed text-sm lg:table">
        <caption className="sr-only">{t("audit.table.caption")}</caption>
        <colgroup>
          <col className="w-52" />
          <col className="w-1/5" />
          <col />
          <col className="w-1/4" />
          <col className="w-28" />
        </colgroup>
        <thead>
          <tr className="border-b border-slate-200 text-left dark:border-slate-700">
            {headings.map((heading) => (
              <th key={heading} scope="col" className="px-3 py-2 font-medium">
                {heading}
              </th>
            ))}
            <th scope="col" className="px-3 py-2">
              <span className="sr-only">{t("audit.table.changes")}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr key={entry.id} className="border-b border-slate-100 align-top dark:border-slate-800">
              <td className="px-3 py-2">
                <When entry={entry} />
              </td>
              <td className="px-3 py-2 wrap-anywhere">{actorLabelOf(entry)}</td>
              <td className="px-3 py-2 wrap-anywhere">
                <Action entry={entry} />
              </td>
              <td className="px-3 py-2 wrap-anywhere">
                <ResourceLink entry={entry} />
              </td>
              <td className="px-3 py-2 text-right">
                <OpenButton entry={entry} onOpen={onOpen} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ul aria-label={t("audit.table.list")} className="flex flex-col gap-2 lg:hidden">
        {entries.map((entry) => (
          <li key={entry.id} className="rounded-md border border-slate-200 p-3 text-sm dark:border-slate-700">
            <div className="flex items-start justify-between gap-2">
              <div className="min-w-0 wrap-anywhere">
                <Action entry={entry} />
              </div>
              <OpenButton entry={entry} onOpen={onOpen} />
            </div>
            <dl className="mt-2 grid grid-cols-[auto_minmax(0,1fr)] gap-x-3 gap-y-1">
              <dt className="text-slate-600 dark:text-slate-400">{t("audit.table.when")}</dt>
              <dd>
                <When entry={entry} />
              </dd>
              <dt className="text-slate-600 dark:text-slate-400">{t("audit.table.actor")}</dt>
              <dd className="wrap-anywhere">{actorLabelOf(entry)}</dd>
              <dt className="text-slate-600 dark:text-slate-400">{t("audit.table.resource")}</dt>
              <dd className="wrap-anywhere">
                <ResourceLink entry={entry} />
              </dd>
            </dl>
          </li>
        ))}
      </ul>
    </>
  );
}
