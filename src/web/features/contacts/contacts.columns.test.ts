import { describe, expect, it } from "vitest";
import { setLanguage } from "../../i18n/i18n.ts";
import { contactColumns, contactFilterFields, type ContactRow } from "./contacts.columns.tsx";

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

  it("shows Last activity by default, sorted by the API's lastActivityAt, a dash for contacts never contacted", async () => {
    await setLanguage("en");
    const column = contactColumns().find((c) => c.key === "lastActivityAt");
    expect(column).toMatchObject({ header: "Last activity", sortField: "lastActivityAt" });
    expect(column?.isHiddenByDefault).toBeFalsy();
    const contact = { lastActivityAt: null } as ContactRow;
    expect(column?.cell(contact)).toBe("—");
    expect(column?.cell({ ...contact, lastActivityAt: "2026-03-09T09:00:00.000Z" })).toMatch(/2026/);
    expect(contactFilterFields().find((field) => field.field === "lastActivityAt")?.kind).toBe("datetime");
    await setLanguage("de");
    expect(contactColumns().find((c) => c.key === "lastActivityAt")?.header).toBe("Letzte Aktivität");
  });
});
