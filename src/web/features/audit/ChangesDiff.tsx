import { useTranslation } from "react-i18next";
import type { AuditRow } from "./audit.api.ts";
import { fieldLabelOf } from "./audit-labels.ts";
import { diffLines, exactValue, maskedValue, type DiffLine } from "./audit-values.ts";

const changedClass = {
  old: "bg-red-100 text-red-950 no-underline dark:bg-red-950 dark:text-red-100",
  new: "bg-green-100 text-green-950 no-underline dark:bg-green-950 dark:text-green-100",
};

function Side({ lines, side, isText }: { lines: DiffLine[] | null; side: "old" | "new"; isText: boolean }) {
  const { t } = useTranslation();
  if (lines === null) return <span className="text-slate-600 italic dark:text-slate-400">{t("audit.diff.empty")}</span>;
  const isPartial = lines.some((line) => !line.isChanged);
  const Mark = side === "old" ? "del" : "ins";
  return (
    <pre className={`whitespace-pre-wrap wrap-anywhere ${isText ? "font-sans" : "font-mono text-xs"}`}>
      {lines.map((line, i) => (
        <span key={i} className="block">
          {line.isChanged ? (
            <Mark className={`rounded-sm px-0.5 ${changedClass[side]}`}>
              {line.text || " "}
              {/* Which lines of a list or object changed, for those who cannot see the colours. */}
              {isPartial && (
                <span className="sr-only"> ({side === "old" ? t("audit.diff.removed") : t("audit.diff.added")})</span>
              )}
            </Mark>
          ) : (
            line.text
          )}
        </span>
      ))}
    </pre>
  );
}

/** One field's old and new values, exactly as recorded; lines of lists and objects that differ are marked. */
function ChangeRow({ field, pair }: { field: string; pair: unknown[] }) {
  const { t } = useTranslation();
  const [before, after] = [pair[0], pair[1]];
  // Encrypted fields are recorded as "[masked]": that they changed, never what they hold.
  const textOf = (value: unknown) => (value === maskedValue ? t("audit.values.masked") : exactValue(value));
  const oldText = textOf(before);
  const newText = textOf(after);
  const lines = diffLines(oldText, newText);
  const isText = (value: unknown) => typeof value === "string";
  return (
    <tr className="border-b border-slate-100 align-top dark:border-slate-800">
      <th scope="row" className="py-2 pr-3 text-left font-medium wrap-anywhere">
        {fieldLabelOf(field)}
        <span className="block font-mono text-xs font-normal text-slate-600 dark:text-slate-400">{field}</span>
      </th>
      <td className="py-2 pr-3">
        <Side lines={oldText === null ? null : lines.old} side="old" isText={isText(before)} />
      </td>
      <td className="py-2">
        <Side lines={newText === null ? null : lines.new} side="new" isText={isText(after)} />
      </td>
    </tr>
  );
}

/** The field changes of an entry side by side: field | old | new, what changed highlighted. */
export function ChangesDiff({ changes }: { changes: NonNullable<AuditRow["changes"]> }) {
  const { t } = useTranslation();
  return (
    <table className="w-full table-fixed text-sm">
      <caption className="mb-1 text-left font-semibold">{t("audit.diff.caption")}</caption>
      <colgroup>
        <col className="w-1/4" />
        <col className="w-3/8" />
        <col className="w-3/8" />
      </colgroup>
      <thead>
        <tr className="border-b border-slate-200 text-left dark:border-slate-700">
          <th scope="col" className="py-1 pr-3 font-medium">
            {t("audit.diff.field")}
          </th>
          <th scope="col" className="py-1 pr-3 font-medium">
            {t("audit.diff.oldValue")}
          </th>
          <th scope="col" className="py-1 font-medium">
            {t("audit.diff.newValue")}
          </th>
        </tr>
      </thead>
      <tbody>
        {Object.entries(changes).map(([field, pair]) => (
          <ChangeRow key={field} field={field} pair={pair} />
        ))}
      </tbody>
    </table>
  );
}
