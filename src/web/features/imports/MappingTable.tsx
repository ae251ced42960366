import { importFields, type ImportMapping, type ImportResource } from "../../../shared/schemas/import.ts";
import { useTranslation } from "react-i18next";
import { inputClass } from "../../components/Field.tsx";
import { importFieldLabel } from "./import-labels.ts";

type Props = {
  resource: ImportResource;
  columns: string[];
  sampleRows: Record<string, string>[];
  mapping: ImportMapping;
  /** Problems by header (the server's `mapping.<header>` errors). */
  errors?: Record<string, string>;
  onChange: (header: string, field: string | null) => void;
};

/**
 * One line per column of the file: its header, a few of its values, and the field it fills
 * (suggested by the server; "Don't import" leaves it out). A field already chosen for another
 * column is marked, and a problem the server named is shown under its column.
 */
export function MappingTable({ resource, columns, sampleRows, mapping, errors = {}, onChange }: Props) {
  const { t } = useTranslation();
  const fields = importFields[resource];
  const chosen = new Map(Object.entries(mapping).flatMap(([header, field]) => (field ? [[field, header]] : [])));
  return (
    <table className="w-full text-left text-sm">
      <caption className="sr-only">{t("imports.mapping.caption")}</caption>
      <thead>
        <tr className="border-b border-slate-200 dark:border-slate-700">
          <th scope="col" className="py-2 pr-3 font-medium">
            {t("imports.mapping.column")}
          </th>
          <th scope="col" className="py-2 pr-3 font-medium">
            {t("imports.mapping.samples")}
          </th>
          <th scope="col" className="py-2 font-medium">
            {t("imports.mapping.field")}
          </th>
        </tr>
      </thead>
      <tbody>
        {columns.map((header) => {
          const samples = sampleRows
            .map((row) => row[header] ?? "")
            .filter(Boolean)
            .slice(0, 3);
          const error = errors[header];
          const errorId = `mapping-error-${header.replace(/\W/g, "_")}`;
          return (
            <tr key={header} className="border-b border-slate-100 align-top dark:border-slate-800">
              <th scope="row" className="py-2 pr-3 font-medium">
                {header}
              </th>
              <td className="max-w-xs truncate py-2 pr-3 text-slate-600 dark:text-slate-400">
                {samples.length > 0 ? samples.join(", ") : <span className="italic">{t("imports.mapping.empty")}</span>}
              </td>
              <td className="py-2">
                <select
                  aria-label={t("imports.mapping.fieldFor", { header })}
                  aria-invalid={error ? true : undefined}
                  aria-describedby={error ? errorId : undefined}
                  className={inputClass}
                  value={mapping[header] ?? ""}
                  onChange={(event) => onChange(header, event.target.value || null)}
                >
                  <option value="">{t("imports.mapping.skip")}</option>
                  {fields.map((field) => {
                    const takenBy = chosen.get(field.key);
                    const taken = takenBy !== undefined && takenBy !== header;
                    const label = field.required
                      ? t("imports.mapping.required", { label: importFieldLabel(field) })
                      : importFieldLabel(field);
                    return (
                      <option key={field.key} value={field.key}>
                        {taken ? t("imports.mapping.taken", { label, header: takenBy }) : label}
                      </option>
                    );
                  })}
                </select>
                {error && (
                  <p id={errorId} className="mt-1 text-sm text-red-700 dark:text-red-400">
                    {error}
                  </p>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** The required fields no column is mapped to yet. */
export function missingRequired(resource: ImportResource, mapping: ImportMapping): string[] {
  const mapped = new Set(Object.values(mapping));
  return importFields[resource].filter((f) => f.required && !mapped.has(f.key)).map(importFieldLabel);
}
