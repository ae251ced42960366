import { describe, expect, it } from "vitest";
import { setLanguage } from "../../i18n/i18n.ts";
import { contactColumns, contactFilterFields } from "./contacts.columns.tsx";

describe("contactColumns", () => {
  it("names its headers and filters in the language of the moment it is called", async () => {
    expect(contactColumns().map((column) => column.header)).toContain("Job title");
    await setLanguage("de");
    const headers = contactColumns().map((column) => column.header);
    expect(headers).toContain("Position");
    expect(headers).not.toContain("Job title");
    expect(contactFilterFields().find((field) => field.field === "lifecycle")?.options).toEqual([
      { value: "lead", label: "Lead" },
      { value: "customer", label: "Kunde" },
    ]);
  });
});
