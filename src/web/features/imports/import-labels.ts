import type { ImportField, ImportResource } from "../../../shared/schemas/import.ts";
import { t } from "../../i18n/i18n.ts";

/** What an import fills, as a sentence names it ("rows of contacts"), in the current language. */
export function importResourceName(resource: ImportResource): string {
  switch (resource) {
    case "contacts":
      return t("imports.resources.contacts");
    case "companies":
      return t("imports.resources.companies");
    case "leads":
      return t("imports.resources.leads");
    case "deals":
      return t("imports.resources.deals");
    case "activities":
      return t("imports.resources.activities");
    case "tasks":
      return t("imports.resources.tasks");
  }
}

/**
 * A field a column can fill, named in the current language. The fields come from the shared
 * table (`importFields`), so their words are found by the field's key (`imports.fields.<key>`,
 * e.g. `imports.fields.address.city`); a field without words yet keeps the table's English label.
 */
export function importFieldLabel(field: Pick<ImportField, "key" | "label">): string {
  return t(`imports.fields.${field.key}`, { defaultValue: field.label });
}
