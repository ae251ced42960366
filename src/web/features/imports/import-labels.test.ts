import { describe, expect, it } from "vitest";
import { importFields, importResources } from "../../../shared/schemas/import.ts";
import { languages } from "../../../shared/languages.ts";
import { i18next, setLanguage, t } from "../../i18n/i18n.ts";
import { importFieldLabel, importResourceName } from "./import-labels.ts";

const allFields = Object.values(importFields).flat();

describe("the words of an import", () => {
  it.each(languages)("names every field a column can fill, and every resource, in %s", (language) => {
    for (const field of allFields) {
      expect(i18next.exists(`imports.fields.${field.key}`, { lng: language }), field.key).toBe(true);
    }
    for (const resource of importResources) {
      expect(i18next.exists(`imports.resources.${resource}`, { lng: language }), resource).toBe(true);
    }
  });

  it("keeps the shared table's English labels, and the resources' names as the API spells them", () => {
    for (const field of allFields) expect(importFieldLabel(field)).toBe(field.label);
    for (const resource of importResources) expect(importResourceName(resource)).toBe(resource);
  });

  it("says how many rows have errors in the singular and the plural", async () => {
    expect(t("imports.dryRun.errorRows", { count: 1 })).toBe("1 row has errors.");
    expect(t("imports.dryRun.errorRows", { count: 3 })).toBe("3 rows have errors.");
    await setLanguage("de");
    expect(t("imports.dryRun.errorRows", { count: 1 })).toBe("1 Zeile hat Fehler.");
    expect(t("imports.dryRun.errorRows", { count: 3 })).toBe("3 Zeilen haben Fehler.");
    expect(importFieldLabel({ key: "address.postalCode", label: "Postal code" })).toBe("Postleitzahl");
  });
});
