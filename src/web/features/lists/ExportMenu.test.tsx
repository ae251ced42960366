import { userEvent } from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
// A contract test: the web's export column names against the server's own list.
// eslint-disable-next-line no-restricted-imports -- only a test compares the two sides
import { exportColumns } from "../../../server/modules/exports/exports.columns.ts";
import { mockApi, renderWithProviders, screen } from "../../test/render.tsx";
import { activityColumns } from "../activities/activities.columns.tsx";
import { companyColumns } from "../companies/companies.columns.tsx";
import { contactColumns } from "../contacts/contacts.columns.tsx";
import { dealColumns } from "../deals/deals.columns.tsx";
import { leadColumns } from "../leads/leads.columns.tsx";
import { taskColumns } from "../tasks/tasks.columns.tsx";
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

describe("every column of every list exports", () => {
  const tables = {
    contacts: contactColumns(),
    companies: companyColumns(),
    leads: leadColumns(),
    deals: dealColumns([]),
    activities: activityColumns(),
    tasks: taskColumns(() => undefined),
  };
  // A column the server does not know would make the export of a list showing it answer 400.
  it.each(Object.entries(tables))("%s: the export names only columns the server has", (collection, columns) => {
    const shown = { ...view, collection: collection as keyof typeof tables, shownColumns: columns.map((c) => c.key) };
    const asked = new URL(exportUrl(shown, "csv"), "http://keel.test").searchParams.get("columns")?.split(",") ?? [];
    const known = new Set(exportColumns[collection as keyof typeof tables].map((column) => column.name));
    expect(asked.length).toBeGreaterThan(0);
    expect(asked.filter((name) => !known.has(name))).toEqual([]);
  });
});

const count = (n: number) => ({ body: { count: n, isEstimate: n > 10_000 } });

describe("ExportMenu", () => {
  it("offers CSV, Excel and, for contacts, vCard as download links", async () => {
    mockApi({ "GET /api/v1/contacts/count": count(12) });
    await renderWithProviders(<ExportMenu {...view} />);
    await userEvent.setup().click(screen.getByRole("button", { name: "Export" }));
    const csv = await screen.findByRole("menuitem", { name: "CSV" });
    expect(csv.getAttribute("href")).toContain("format=csv");
    expect(csv.hasAttribute("download")).toBe(true);
    expect(screen.getByRole("menuitem", { name: "Excel (.xlsx)" })).toBeTruthy();
    expect(screen.getByRole("menuitem", { name: "vCard (.vcf)" })).toBeTruthy();
  });

  it("offers no vCard for other lists, and nothing for lists without export", async () => {
    mockApi({ "GET /api/v1/deals/count": count(3) });
    const { unmount } = await renderWithProviders(<ExportMenu {...view} collection="deals" />);
    await userEvent.setup().click(screen.getByRole("button", { name: "Export" }));
    await screen.findByRole("menuitem", { name: "CSV" });
    expect(screen.queryByRole("menuitem", { name: "vCard (.vcf)" })).toBeNull();
    unmount();
    await renderWithProviders(<ExportMenu {...view} collection="users" />);
    expect(screen.queryByRole("button", { name: "Export" })).toBeNull();
  });
});

describe("ExportMenu above 50,000 rows", () => {
  it("runs the export as a job: a progress bar, then a download link that says when it expires", async () => {
    let polls = 0;
    const job = { id: "0190f6c2-0000-7000-8000-000000000001", fileName: "contacts-2026-12-04.csv", error: null };
    const expiresAt = "2026-12-05T13:00:00.000Z";
    const api = mockApi({
      "GET /api/v1/contacts/count": count(120_000),
      "POST /api/v1/contacts/exports": {
        status: 202,
        body: { ...job, status: "queued", rowsTotal: null, rowsDone: 0, expiresAt, downloadUrl: null },
      },
      [`GET /api/v1/exports/${job.id}`]: () => {
        polls++;
        return polls === 1
          ? { body: { ...job, status: "running", rowsTotal: 120_000, rowsDone: 30_000, expiresAt, downloadUrl: null } }
          : {
              body: {
                ...job,
                status: "completed",
                rowsTotal: 120_000,
                rowsDone: 120_000,
                expiresAt,
                downloadUrl: `/api/v1/exports/${job.id}/download`,
              },
            };
      },
    });
    await renderWithProviders(<ExportMenu {...view} />);
    const user = userEvent.setup();
    // The count arrives, then the menu offers the background export.
    await user.click(screen.getByRole("button", { name: "Export" }));
    await screen.findByText("This list, as filtered (prepared in the background)");
    const csv = screen.getByRole("menuitem", { name: "CSV" });
    expect(csv.getAttribute("href")).toBeNull();
    await user.click(csv);

    const progress = await screen.findByRole("progressbar", { name: "Export progress" });
    const started = api.calls.find((call) => call.method === "POST");
    expect(started?.url.searchParams.get("format")).toBe("csv");
    expect(started?.url.searchParams.get("filter[lifecycle][eq]")).toBe("customer");
    expect(started?.url.searchParams.get("columns")).toBe("firstName,lastName,email,companyName,ownerName,lifecycle");
    await screen.findByText(/30,000 of 120,000 rows/);
    expect(progress.getAttribute("aria-valuenow")).toBe("25");

    const link = await screen.findByRole("link", { name: `Download ${job.fileName}` }, { timeout: 3000 });
    expect(link.getAttribute("href")).toBe(`/api/v1/exports/${job.id}/download`);
    expect(screen.getByText(/The link expires/)).toBeTruthy();
    expect(screen.queryByRole("progressbar")).toBeNull();
  });

  it("keeps plain download links at 50,000 rows or fewer", async () => {
    mockApi({ "GET /api/v1/contacts/count": count(50_000) });
    await renderWithProviders(<ExportMenu {...view} />);
    await userEvent.setup().click(screen.getByRole("button", { name: "Export" }));
    const csv = await screen.findByRole("menuitem", { name: "CSV" });
    expect(csv.getAttribute("href")).toContain("/contacts/export?");
  });
});
