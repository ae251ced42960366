import { screen, within } from "@testing-library/react";
import { userEvent } from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";
import { setLanguage } from "../../i18n/i18n.ts";
import { mockApi, renderWithProviders } from "../../test/render.tsx";
import type { DashboardData } from "./dashboard.api.ts";
import { DashboardPage } from "./DashboardPage.tsx";

const stageId = "0190f6c2-0000-7000-8000-000000000051";

const dashboard: DashboardData = {
  period: { from: "2026-02-12T00:00:00.000Z", to: "2026-03-14T12:00:00.000Z", bucket: "day", timeZone: "UTC" },
  baseCurrency: "EUR",
  totals: {
    contacts: 1234,
    companies: 56,
    openLeads: 7,
    openDeals: { count: 3, amounts: [{ currency: "EUR", value: "1500.00", weightedValue: "600.00" }] },
    openTasks: 9,
  },
  leadsByStatus: [
    { status: "new", count: 4 },
    { status: "contacted", count: 2 },
    { status: "qualified", count: 1 },
    { status: "converted", count: 0 },
    { status: "lost", count: 3 },
  ],
  contactGrowth: [
    { start: "2026-03-13T00:00:00.000Z", count: 2, cumulative: 1230 },
    { start: "2026-03-14T00:00:00.000Z", count: 4, cumulative: 1234 },
  ],
  pipeline: {
    id: "0190f6c2-0000-7000-8000-000000000071",
    name: "Sales",
    stages: [
      {
        id: stageId,
        name: "Proposal",
        position: 1,
        probability: 40,
        isWon: false,
        isLost: false,
        count: 3,
        amounts: [{ currency: "EUR", value: "1500.00", weightedValue: "600.00" }],
      },
    ],
  },
  activitiesByType: {
    types: [
      { key: "call", label: "Call" },
      { key: "email", label: "E-mail" },
      { key: "meeting", label: "Meeting" },
      { key: "campus_visit", label: "Campus visit" },
    ],
    buckets: [
      { start: "2026-03-13T00:00:00.000Z", counts: { call: 1, email: 2, meeting: 0, campus_visit: 0 } },
      { start: "2026-03-14T00:00:00.000Z", counts: { call: 3, email: 0, meeting: 1, campus_visit: 5 } },
    ],
  },
  tasks: { open: 9, dueToday: 2, overdue: 5, mine: { open: 4, dueToday: 1, overdue: 0 } },
  recent: [
    {
      type: "deal",
      id: "0190f6c2-0000-7000-8000-0000000000d1",
      title: "Big deal",
      createdAt: "2026-03-14T10:00:00.000Z",
      updatedAt: "2026-03-14T11:00:00.000Z",
    },
  ],
};

/** The dashboard of a workspace past 10,000 contacts: their total is the server's estimate. */
const estimated: DashboardData = {
  ...dashboard,
  totals: { ...dashboard.totals, contacts: 1_000_000, contactsIsEstimate: true },
  contactGrowth: [
    { start: "2026-03-13T00:00:00.000Z", count: 2, cumulative: 999_996 },
    { start: "2026-03-14T00:00:00.000Z", count: 4, cumulative: 1_000_000 },
  ],
};

/** The filters a link carries, decoded from its href. */
function filtersOf(link: HTMLElement): unknown {
  const url = new URL(link.getAttribute("href") ?? "", "http://localhost");
  return JSON.parse(url.searchParams.get("filters") ?? "null");
}

describe("DashboardPage", () => {
  afterEach(() => setLanguage("en"));

  it("speaks German: card titles, figures, table captions and headers", async () => {
    await setLanguage("de");
    mockApi({ "GET /api/v1/dashboard": { body: dashboard } });
    await renderWithProviders(<DashboardPage />);

    expect(await screen.findByRole("link", { name: /^5\s*Überfällig/ })).toBeTruthy();
    expect(screen.getByRole("heading", { name: "Fällige Aufgaben" })).toBeTruthy();
    expect(screen.getByRole("combobox", { name: "Zeitraum" })).toBeTruthy();
    expect(screen.getByRole("option", { name: "Letzte 30 Tage" })).toBeTruthy();
    const pipeline = screen.getByRole("table", { name: "Deals pro Phase von Sales" });
    expect(within(pipeline).getByRole("columnheader", { name: "Phase" })).toBeTruthy();
    const growth = screen.getByRole("table", { name: "Kontakte pro Zeitabschnitt" });
    expect(within(growth).getByRole("columnheader", { name: "Kontakte gesamt" })).toBeTruthy();
    expect(screen.getByText(/Kontakte,/).textContent).toBe("1.234 Kontakte, +6 in diesem Zeitraum");
  });

  it("asks for the period in the browser's time zone and links each figure to its filtered list", async () => {
    const api = mockApi({ "GET /api/v1/dashboard": { body: dashboard } });
    await renderWithProviders(<DashboardPage />);

    const overdue = await screen.findByRole("link", { name: /^5\s*Overdue/ });
    expect(new URL(overdue.getAttribute("href") ?? "", "http://localhost").pathname).toBe("/tasks");
    expect(filtersOf(overdue)).toEqual([
      { field: "dueAt", op: "lt", value: "now" },
      { field: "status", op: "in", value: "open,in_progress" },
    ]);
    expect(filtersOf(screen.getByRole("link", { name: /^New\s*4/ }))).toEqual([
      { field: "status", op: "eq", value: "new" },
    ]);
    expect(filtersOf(screen.getByRole("link", { name: "Proposal" }))).toEqual([
      { field: "stageId", op: "eq", value: stageId },
    ]);
    expect(screen.getByRole("link", { name: /1,234\s*Contacts/ })).toBeTruthy();
    expect(screen.getByRole("link", { name: "Big deal" }).getAttribute("href")).toBe(
      "/deals/0190f6c2-0000-7000-8000-0000000000d1",
    );
    const query = api.calls[0]?.url.searchParams;
    expect(query?.get("range")).toBe("30d");
    expect(query?.get("timeZone")).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
  });

  it("says 'about' for the totals the server estimated, as lists say of their estimated counts", async () => {
    mockApi({ "GET /api/v1/dashboard": { body: estimated } });
    await renderWithProviders(<DashboardPage />);

    expect(await screen.findByRole("link", { name: /^about 1M\s*Contacts$/ })).toBeTruthy();
    // Only the estimated figure says so: companies are counted exactly.
    expect(screen.getByRole("link", { name: /^56\s*Companies$/ })).toBeTruthy();
    expect(screen.getByText(/contacts,/).textContent).toBe("about 1M contacts, +6 in this period");
  });

  it("says 'etwa' for an estimated total in German", async () => {
    await setLanguage("de");
    mockApi({ "GET /api/v1/dashboard": { body: estimated } });
    await renderWithProviders(<DashboardPage />);

    expect(await screen.findByRole("link", { name: /^etwa 1\sMio\.\s*Kontakte$/ })).toBeTruthy();
    expect(screen.getByRole("link", { name: /^56\s*Firmen$/ })).toBeTruthy();
  });

  it("gives each chart a text alternative with its numbers", async () => {
    mockApi({ "GET /api/v1/dashboard": { body: dashboard } });
    await renderWithProviders(<DashboardPage />);

    const activities = await screen.findByRole("table", { name: "Activities per period by type" });
    expect(within(activities).getAllByRole("row")).toHaveLength(3);
    expect(within(activities).getByRole("columnheader", { name: "E-mail" })).toBeTruthy();
    // The workspace's own types are charted with their labels, and the legend links to each.
    expect(within(activities).getByRole("columnheader", { name: "Campus visit" })).toBeTruthy();
    const legend = screen.getByRole("list", { name: "Activities in this period by type" });
    expect(within(legend).getByRole("link", { name: /Campus visit\s*5/ })).toBeTruthy();
    const growth = screen.getByRole("table", { name: "Contacts per period" });
    expect(within(growth).getByRole("cell", { name: "1,234" })).toBeTruthy();
    const pipeline = screen.getByRole("table", { name: "Deals per stage of Sales" });
    expect(within(pipeline).getByRole("cell", { name: /600/ })).toBeTruthy();
  });

  it("shows an error with Try again in every card, then the figures once the retry succeeds", async () => {
    const user = userEvent.setup();
    let isDown = true;
    mockApi({
      "GET /api/v1/dashboard": () =>
        isDown
          ? {
              status: 500,
              body: { type: "about:blank", title: "Internal error", status: 500, detail: "Database unavailable" },
            }
          : { body: dashboard },
    });
    await renderWithProviders(<DashboardPage />);

    const alerts = await screen.findAllByRole("alert");
    expect(alerts.length).toBe(7);
    isDown = false;
    await user.click(within(alerts[0] as HTMLElement).getByRole("button", { name: "Try again" }));
    expect(await screen.findByRole("link", { name: /^5\s*Overdue/ })).toBeTruthy();
  });
});
