import { screen, waitFor, within } from "@testing-library/react";
import { userEvent } from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { setFormatPreferences } from "../../lib/format.ts";
import { mockApi, renderPage, signedInAs, type ApiCall } from "../../test/render.tsx";
import { parseListSearch } from "../lists/list-search.ts";
import { TaskListPage } from "./TaskListPage.tsx";

const dueTask = {
  id: "0190f6c2-0000-7000-8000-0000000000a1",
  version: 1,
  createdAt: "2025-03-01T10:00:00.000Z",
  updatedAt: "2025-03-01T10:00:00.000Z",
  createdBy: "0190f6c2-0000-7000-8000-0000000000e1",
  deletedAt: null,
  title: "Send the brochure",
  description: null,
  dueAt: "2025-03-14T09:00:00.000Z",
  priority: "medium",
  status: "open",
  completedAt: null,
  assigneeId: null,
  dependsOn: [],
  remindAt: null,
  contactId: null,
  leadId: null,
  dealId: null,
  companyId: null,
};

function serve() {
  return mockApi({
    "GET /api/v1/tasks": { body: { data: [dueTask], nextCursor: null } },
    "GET /api/v1/tasks/count": { body: { count: 1 } },
    "GET /api/v1/views": { body: { data: [], nextCursor: null } },
  });
}

const calendarCalls = (calls: ApiCall[]) =>
  calls.filter((call) => call.path === "/api/v1/tasks" && call.url.searchParams.get("sort") === "dueAt");

describe("TaskListPage", () => {
  it("switches between list and calendar, keeping the layout, the month and the filters in the URL", async () => {
    setFormatPreferences({ currency: "EUR", timeZone: "UTC", dateFormat: "auto", numberFormat: "auto" });
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2025-03-10T12:00:00Z"));
    const user = userEvent.setup();
    const api = serve();
    const { router } = await renderPage("/tasks", <TaskListPage />, {
      validateSearch: parseListSearch,
      queryClient: signedInAs("manager"),
    });

    const layout = screen.getByRole("group", { name: "Layout" });
    expect(within(layout).getByRole("button", { name: "List" }).getAttribute("aria-pressed")).toBe("true");
    await screen.findByRole("table", { name: "Tasks" });

    await user.click(within(layout).getByRole("button", { name: "Calendar" }));
    await waitFor(() => expect(router.state.location.search).toEqual({ mode: "calendar" }));
    const month = await screen.findByRole("table", { name: "March 2025" });
    expect(within(month).getByRole("link", { name: /Send the brochure/ })).toBeTruthy();
    expect(within(layout).getByRole("button", { name: "Calendar" }).getAttribute("aria-pressed")).toBe("true");

    await user.click(screen.getByRole("button", { name: "Next month" }));
    await waitFor(() => expect(router.state.location.search).toEqual({ mode: "calendar", month: "2025-04" }));
    expect(await screen.findByRole("table", { name: "April 2025" })).toBeTruthy();

    // A quick filter narrows the calendar too.
    await user.click(screen.getByRole("button", { name: "Open" }));
    await waitFor(() =>
      expect(calendarCalls(api.calls).at(-1)?.url.searchParams.get("filter[status][in]")).toBe("open,in_progress"),
    );
    expect(router.state.location.search).toMatchObject({ mode: "calendar", month: "2025-04" });

    await user.click(within(layout).getByRole("button", { name: "List" }));
    await waitFor(() => expect(router.state.location.search.mode).toBeUndefined());
    expect(router.state.location.search.month).toBeUndefined();
    expect(router.state.location.search.filters).toEqual([{ field: "status", op: "in", value: "open,in_progress" }]);
    expect(await screen.findByRole("table", { name: "Tasks" })).toBeTruthy();
  });

  it("opens on the calendar of the month its URL names", async () => {
    setFormatPreferences({ currency: "EUR", timeZone: "UTC", dateFormat: "auto", numberFormat: "auto" });
    const api = serve();
    await renderPage("/tasks", <TaskListPage />, {
      url: "/tasks?mode=calendar&month=2025-03",
      validateSearch: parseListSearch,
      queryClient: signedInAs("viewer"),
    });

    expect(await screen.findByRole("table", { name: "March 2025" })).toBeTruthy();
    expect(screen.queryByRole("table", { name: "Tasks" })).toBeNull();
    // The calendar asks for its weeks, not for the list's pages.
    expect(api.calls.filter((call) => call.path === "/api/v1/tasks")).toEqual(calendarCalls(api.calls));
  });
});
