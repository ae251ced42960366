import { screen, waitFor, within } from "@testing-library/react";
import { userEvent } from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { ListFilter } from "../../api/records.ts";
import { setLanguage } from "../../i18n/i18n.ts";
import { setFormatPreferences } from "../../lib/format.ts";
import { mockApi, renderWithProviders } from "../../test/render.tsx";
import { TaskCalendar } from "./TaskCalendar.tsx";
import type { TaskRow } from "./tasks.api.ts";

let nextId = 0;
function task(title: string, dueAt: string | null, changes: Partial<TaskRow> = {}): TaskRow {
  nextId += 1;
  return {
    id: `0190f6c2-0000-7000-8000-${String(nextId).padStart(12, "0")}`,
    version: 1,
    createdAt: "2025-03-01T10:00:00.000Z",
    updatedAt: "2025-03-01T10:00:00.000Z",
    createdBy: "0190f6c2-0000-7000-8000-0000000000e1",
    deletedAt: null,
    title,
    description: null,
    dueAt,
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
    ...changes,
  };
}

const zone = (timeZone: string) =>
  setFormatPreferences({ currency: "EUR", timeZone, dateFormat: "auto", numberFormat: "auto" });

/** Answers GET /tasks with `tasks`, `pageSize` a page, the cursor being the index of the next one. */
function serveTasks(tasks: TaskRow[], pageSize = 200) {
  return mockApi({
    "GET /api/v1/tasks": ({ url }) => {
      const from = Number(url.searchParams.get("cursor") ?? 0);
      const to = from + pageSize;
      return { body: { data: tasks.slice(from, to), nextCursor: to < tasks.length ? String(to) : null } };
    },
  });
}

async function renderCalendar(
  props: {
    month?: string;
    filters?: ListFilter[];
    q?: string;
    onMonthChange?: (month: string | undefined) => void;
  } = {},
) {
  const onMonthChange = props.onMonthChange ?? vi.fn();
  const result = await renderWithProviders(
    <TaskCalendar
      filters={props.filters ?? []}
      q={props.q ?? ""}
      month={"month" in props ? props.month : "2025-03"}
      onMonthChange={onMonthChange}
    />,
  );
  return { ...result, onMonthChange };
}

/** The grid's cell of a day, found by the full date its screen-reader label says. */
const dayCell = (label: string) => screen.getByRole("cell", { name: new RegExp(`^${label}`) });

const setWidth = (width: number) =>
  (
    window as unknown as { happyDOM: { setViewport: (v: { width: number; height: number }) => void } }
  ).happyDOM.setViewport({ width, height: 800 });

describe("TaskCalendar", () => {
  afterEach(() => setWidth(1024));

  it("asks for the weeks shown, with the list's filters and search, page after page, and puts each task on its day", async () => {
    zone("Europe/Berlin");
    const early = task("Call back", "2025-03-13T23:30:00.000Z");
    const tasks = [early, ...Array.from({ length: 3 }, (_, i) => task(`Follow up ${i}`, "2025-03-20T09:00:00.000Z"))];
    const api = serveTasks(tasks, 2);
    const mine = { field: "assigneeId", op: "eq", value: "me" };
    await renderCalendar({ filters: [mine], q: "call" });

    expect(screen.getByRole("heading", { level: 2, name: "March 2025" })).toBeTruthy();
    await screen.findByRole("table", { name: "March 2025" });
    // 23:30 UTC on the 13th is the 14th in Berlin.
    const link = within(dayCell("Friday, March 14, 2025")).getByRole("link", { name: /Call back/ });
    expect(link.getAttribute("href")).toBe(`/tasks/${early.id}`);
    expect(within(dayCell("Thursday, March 13, 2025")).queryAllByRole("link")).toHaveLength(0);
    expect(within(dayCell("Thursday, March 20, 2025")).getAllByRole("link")).toHaveLength(3);

    expect(api.calls).toHaveLength(2);
    const [first, second] = api.calls.map((call) => call.url.searchParams);
    // Weeks from Sunday (the test browser speaks en-US): 23 February to 5 April, on Berlin's clock.
    expect(first?.get("filter[dueAt][gte]")).toBe("2025-02-22T23:00:00.000Z");
    expect(first?.get("filter[dueAt][lt]")).toBe("2025-04-05T22:00:00.000Z");
    expect(first?.get("filter[assigneeId][eq]")).toBe("me");
    expect(first?.get("q")).toBe("call");
    expect(first?.get("sort")).toBe("dueAt");
    expect(first?.get("limit")).toBe("200");
    expect(first?.get("cursor")).toBeNull();
    expect(second?.get("cursor")).toBe("2");
  });

  it("says in words which tasks are done or overdue, and leaves tasks without a due date out", async () => {
    zone("UTC");
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2025-03-14T12:00:00Z"));
    serveTasks([
      task("Send the quote", "2025-03-10T09:00:00.000Z", { status: "completed" }),
      task("Book the room", "2025-03-11T09:00:00.000Z"),
      task("Plan the fair", "2025-03-20T09:00:00.000Z"),
      task("Someday", null),
    ]);
    await renderCalendar();

    await screen.findByRole("table");
    expect(screen.getByText("Tasks without a due date are not shown.")).toBeTruthy();
    expect(screen.getByRole("link", { name: "9:00 AM Send the quote (done)" })).toBeTruthy();
    expect(screen.getByRole("link", { name: "9:00 AM Book the room (overdue)" })).toBeTruthy();
    expect(screen.getByRole("link", { name: "9:00 AM Plan the fair" })).toBeTruthy();
    expect(screen.queryByText("Someday")).toBeNull();
  });

  it("marks today and heads the columns with the days' full names", async () => {
    zone("UTC");
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2025-03-14T12:00:00Z"));
    serveTasks([]);
    await renderCalendar({ month: undefined });

    const table = await screen.findByRole("table", { name: "March 2025" });
    const headers = within(table).getAllByRole("columnheader");
    expect(headers.map((header) => header.textContent)).toEqual([
      "SunSunday",
      "MonMonday",
      "TueTuesday",
      "WedWednesday",
      "ThuThursday",
      "FriFriday",
      "SatSaturday",
    ]);
    const today = table.querySelectorAll('[aria-current="date"]');
    expect(today).toHaveLength(1);
    expect(today[0]?.textContent).toContain("14Friday, March 14, 2025, today");
  });

  it("speaks German, with weeks from Monday", async () => {
    zone("Europe/Berlin");
    await setLanguage("de");
    serveTasks([]);
    await renderCalendar();

    const table = await screen.findByRole("table", { name: "März 2025" });
    expect(within(table).getAllByRole("columnheader")[0]?.textContent).toBe("MoMontag");
    expect(within(table).getAllByRole("row")[1]?.textContent).toMatch(/^24Montag, 24. Februar 2025/);
    expect(screen.getByText("Aufgaben ohne Fälligkeitsdatum werden nicht angezeigt.")).toBeTruthy();
    expect(screen.getByRole("button", { name: "Nächster Monat" })).toBeTruthy();
  });

  it("shows three tasks a day and +N more, which shows the rest in place", async () => {
    zone("UTC");
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2025-03-01T12:00:00Z"));
    const titles = ["One", "Two", "Three", "Four", "Five"];
    serveTasks(titles.map((title, i) => task(title, `2025-03-05T0${i}:00:00.000Z`)));
    const user = userEvent.setup();
    await renderCalendar();

    await screen.findByRole("table");
    const cell = dayCell("Wednesday, March 5, 2025");
    expect(
      within(cell)
        .getAllByRole("link")
        .map((link) => link.textContent),
    ).toEqual(["12:00 AM One", "1:00 AM Two", "2:00 AM Three"]);
    const more = within(cell).getByRole("button", { name: "+2 more tasks on Wednesday, March 5, 2025" });
    expect(more.textContent).toBe("+2 more");
    expect(more.getAttribute("aria-expanded")).toBe("false");
    await user.click(more);
    expect(within(cell).getAllByRole("link")).toHaveLength(5);
    const fewer = within(cell).getByRole("button", { name: "Show fewer tasks on Wednesday, March 5, 2025" });
    expect(fewer.getAttribute("aria-expanded")).toBe("true");
    await user.click(fewer);
    expect(within(cell).getAllByRole("link")).toHaveLength(3);
  });

  it("goes to the previous and next months, across years, and back to today's (no month in the URL)", async () => {
    zone("UTC");
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2025-03-14T12:00:00Z"));
    serveTasks([]);
    const user = userEvent.setup();
    const { onMonthChange } = await renderCalendar({ month: "2025-01" });

    await user.click(screen.getByRole("button", { name: "Previous month" }));
    expect(onMonthChange).toHaveBeenLastCalledWith("2024-12");
    await user.click(screen.getByRole("button", { name: "Next month" }));
    expect(onMonthChange).toHaveBeenLastCalledWith("2025-02");
    await user.click(screen.getByRole("button", { name: "Today" }));
    expect(onMonthChange).toHaveBeenLastCalledWith(undefined);
  });

  it("names the month next to the current one by nothing, so its URL follows today", async () => {
    zone("UTC");
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2025-03-14T12:00:00Z"));
    serveTasks([]);
    const user = userEvent.setup();
    const { onMonthChange } = await renderCalendar({ month: "2025-04" });

    await user.click(screen.getByRole("button", { name: "Previous month" }));
    expect(onMonthChange).toHaveBeenLastCalledWith(undefined);
  });

  it("stops at 1,000 tasks and says up to which day the weeks are shown", async () => {
    zone("UTC");
    const endless = mockApi({
      "GET /api/v1/tasks": ({ url }) => {
        const page = Number(url.searchParams.get("cursor") ?? 0);
        const data = Array.from({ length: Number(url.searchParams.get("limit")) }, () =>
          task("Busy", `2025-03-0${page + 1}T09:00:00.000Z`),
        );
        return { body: { data, nextCursor: String(page + 1) } };
      },
    });
    await renderCalendar();

    expect(
      await screen.findByText(
        "More than 1,000 tasks are due in these weeks: only the first 1,000 are shown, up to Wednesday, March 5, 2025. Narrow the filters to see the rest.",
      ),
    ).toBeTruthy();
    expect(endless.calls).toHaveLength(5);
  });

  it("lists the month's days with tasks under headings on a phone, instead of the grid", async () => {
    zone("America/New_York");
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2025-02-01T12:00:00Z"));
    setWidth(375);
    serveTasks([
      // The evening of 28 February in New York: before the month.
      task("Late call", "2025-03-01T02:00:00.000Z"),
      task("Kick-off", "2025-03-03T14:00:00.000Z"),
      task("Review", "2025-03-03T20:30:00.000Z"),
      task("Wrap-up", "2025-03-31T15:00:00.000Z"),
    ]);
    await renderCalendar();

    const days = await screen.findAllByRole("heading", { level: 3 });
    expect(screen.queryByRole("table")).toBeNull();
    expect(days.map((day) => day.textContent)).toEqual(["Monday, March 3, 2025", "Monday, March 31, 2025"]);
    const monday = days[0]?.closest("li") as HTMLElement;
    expect(
      within(monday)
        .getAllByRole("link")
        .map((link) => link.textContent),
    ).toEqual(["9:00 AM Kick-off", "3:30 PM Review"]);
    expect(screen.queryByText("Late call")).toBeNull();
  });

  it("says so on a phone when the month has no tasks due", async () => {
    zone("UTC");
    setWidth(375);
    serveTasks([]);
    await renderCalendar();

    expect(await screen.findByText("No tasks due in March 2025.")).toBeTruthy();
    await waitFor(() => expect(screen.queryByRole("status", { name: "Loading" })).toBeNull());
  });
});
