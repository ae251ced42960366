import { userEvent } from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { renderWithProviders, screen } from "../../test/render.tsx";
import { ExportMenu, exportUrl } from "./ExportMenu.tsx";

const view = {
  collection: "contacts" as const,
  sort: "-createdAt",
  q: " ada ",
  filters: [{ field: "lifecycle", op: "eq", value: "customer" }],
  shownColumns: ["name", "email", "company", "owner", "lifecycle"],
};

describe("exportUrl", () => {
  it("carries the list's filters, search, sort and shown columns, relations by their readable names", () => {
    const url = new URL(exportUrl(view, "csv"), "http://keel.test");
    expect(url.pathname).toBe("/api/v1/contacts/export");
    expect(Object.fromEntries(url.searchParams)).toEqual({
      format: "csv",
      sort: "-createdAt",
      q: "ada",
      "filter[lifecycle][eq]": "customer",
      columns: "firstName,lastName,email,companyName,ownerName,lifecycle",
    });
  });

  it("drops columns that export nothing, and leaves columns out of vCards", () => {
    const tasks = { ...view, collection: "tasks" as const, q: "", shownColumns: ["done", "title", "linked"] };
    const url = new URL(exportUrl(tasks, "xlsx"), "http://keel.test");
    expect(url.searchParams.get("columns")).toBe("title,contactName,leadTitle,dealName,companyName");
    expect(url.searchParams.has("q")).toBe(false);
    const vcf = new URL(exportUrl(view, "vcf"), "http://keel.test");
    expect(vcf.searchParams.has("columns")).toBe(false);
  });
});

describe("ExportMenu", () => {
  it("offers CSV, Excel and, for contacts, vCard as download links", async () => {
    await renderWithProviders(<ExportMenu {...view} />);
    await userEvent.setup().click(screen.getByRole("button", { name: "Export" }));
    const csv = await screen.findByRole("menuitem", { name: "CSV" });
    expect(csv.getAttribute("href")).toContain("format=csv");
    expect(csv.hasAttribute("download")).toBe(true);
    expect(screen.getByRole("menuitem", { name: "Excel (.xlsx)" })).toBeTruthy();
    expect(screen.getByRole("menuitem", { name: "vCard (.vcf)" })).toBeTruthy();
  });

  it("offers no vCard for other lists, and nothing for lists without export", async () => {
    const { unmount } = await renderWithProviders(<ExportMenu {...view} collection="deals" />);
    await userEvent.setup().click(screen.getByRole("button", { name: "Export" }));
    await screen.findByRole("menuitem", { name: "CSV" });
    expect(screen.queryByRole("menuitem", { name: "vCard (.vcf)" })).toBeNull();
    unmount();
    await renderWithProviders(<ExportMenu {...view} collection="users" />);
    expect(screen.queryByRole("button", { name: "Export" })).toBeNull();
  });
});
