import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { AuditRow } from "./audit.api.ts";
import { fieldLabelOf } from "./audit-labels.ts";
import { formatValue, isEmptyValue, type MemberNames } from "./audit-values.ts";

/** Values longer than this are cut, with "Show all" to read the rest. */
const shownLength = 80;
/** Changes shown before "Show N more" (a created record may list every field). */
const shownChanges = 6;

type FieldChangeProps = { field: string; pair: unknown[]; members: MemberNames; isFirstValue: boolean };

function FieldChange({ field, pair, members, isFirstValue }: FieldChangeProps) {
  const { t } = useTranslation();
  const [isExpanded, setExpanded] = useState(false);
  const before = formatValue(field, pair[0], members);
  const after = formatValue(field, pair[1], members);
  const isLong = (!isFirstValue && before.length > shownLength) || after.length > shownLength;
  const cut = (value: string) =>
    isLong && !isExpanded && value.length > shownLength ? `${value.slice(0, shownLength - 1)}…` : value;
  return (
    <li className="break-words">
      <span className="font-medium">{fieldLabelOf(field)}:</span>{" "}
      {!isFirstValue && (
        <>
          <span className="text-slate-600 dark:text-slate-400">{cut(before)}</span> →{" "}
        </>
      )}
      <span>{cut(after)}</span>
      {isLong && (
        <button
          type="button"
          aria-expanded={isExpanded}
          onClick={() => setExpanded((expanded) => !expanded)}
          className="ml-2 text-xs text-accent-700 underline dark:text-sky-300"
        >
          {isExpanded ? t("audit.changes.showLess") : t("audit.changes.showAll")}
        </button>
      )}
    </li>
  );
}

/**
 * An entry's field changes as "Field: old → new", the first few shown and the rest on request.
 * A record's creation lists its first values only ("Field: value"), without the empty ones.
 */
export function FieldChangeList({
  changes,
  members,
  isCreation = false,
}: {
  changes: NonNullable<AuditRow["changes"]>;
  members: MemberNames;
  isCreation?: boolean;
}) {
  const { t } = useTranslation();
  const [isAllShown, setAllShown] = useState(false);
  const entries = Object.entries(changes).filter(([, pair]) => !isCreation || !isEmptyValue(pair[1]));
  const shown = isAllShown ? entries : entries.slice(0, shownChanges);
  const hidden = entries.length - shown.length;
  if (entries.length === 0) return null;
  return (
    <>
      <ul
        aria-label={isCreation ? t("audit.changes.firstValues") : t("audit.changes.changedFields")}
        className="flex flex-col gap-0.5 text-sm"
      >
        {shown.map(([field, pair]) => (
          <FieldChange
            key={field}
            field={field}
            pair={pair}
            members={members}
            isFirstValue={isCreation && isEmptyValue(pair[0])}
          />
        ))}
      </ul>
      {hidden > 0 && (
        <button
          type="button"
          onClick={() => setAllShown(true)}
          className="self-start text-xs text-accent-700 underline dark:text-sky-300"
        >
          {t("audit.changes.showMore", { count: hidden })}
        </button>
      )}
    </>
  );
}
