import { useTranslation } from "react-i18next";
import { formatDateTime } from "../../lib/format.ts";
import type { AuditRow } from "./audit.api.ts";
import { actionLabelOf, actorLabelOf, fieldLabelOf } from "./audit-labels.ts";
import { formatValue, isEmptyValue, type MemberNames } from "./audit-values.ts";
import { FieldChangeList } from "./FieldChangeList.tsx";

/** One entry of a record's history: who, when, what, and for changes each field's old → new. */
export function HistoryEntry({ entry, members }: { entry: AuditRow; members: MemberNames }) {
  const { t } = useTranslation();
  const details = Object.entries(entry.details ?? {}).filter(([, value]) => !isEmptyValue(value));
  return (
    <li className="flex flex-col gap-1 border-b border-slate-100 py-2 dark:border-slate-800">
      <p className="flex flex-wrap items-baseline gap-x-2 text-sm">
        <span className="font-semibold">{actionLabelOf(entry.action)}</span>
        <span className="text-slate-700 dark:text-slate-300">
          {t("audit.history.by", { actor: actorLabelOf(entry) })}
        </span>
        <time dateTime={entry.occurredAt} className="text-slate-600 dark:text-slate-400">
          {formatDateTime(entry.occurredAt)}
        </time>
      </p>
      {entry.changes && Object.keys(entry.changes).length > 0 && (
        <FieldChangeList changes={entry.changes} members={members} isCreation={entry.action.endsWith(".created")} />
      )}
      {details.length > 0 && (
        <dl className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-2 text-xs text-slate-600 dark:text-slate-400">
          {details.map(([key, value]) => (
            <div key={key} className="contents">
              <dt>{fieldLabelOf(key)}</dt>
              <dd className="break-words">{formatValue(key, value, members)}</dd>
            </div>
          ))}
        </dl>
      )}
    </li>
  );
}
