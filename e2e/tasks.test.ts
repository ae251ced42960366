/**
 * Complete a task in the task list (narrowed to my overdue tasks) and see the dashboard's figure
 * change; open a task from the list; see a task on its due day in the calendar.
 */
import type { Page } from "playwright-core";
import { describeBrowser, expect, test } from "./support/fixtures.ts";
import {
  api,
  expectAbsent,
  expectNoAxeViolations,
  expectUrl,
  openAs,
  signIn,
  uniqueName,
  waitForSettled,
} from "./support/helpers.ts";

/** The number of a dashboard figure, e.g. "Overdue" in the "Tasks due" card. */
async function figure(page: Page, card: string, label: string): Promise<number> {
  const link = page.getByRole("region", { name: card }).getByRole("link", { name: new RegExp(`^[\\d,.]+ ${label}$`) });
  const text = (await link.innerText()).split("\n")[0] ?? "";
  return Number(text.replace(/[^\d]/g, ""));
}

/** A day as the calendar names it for screen readers, e.g. "Friday, March 14, 2025". */
const dayLabel = (day: string) =>
  new Intl.DateTimeFormat("en-US", { dateStyle: "full", timeZone: "UTC" }).format(new Date(`${day}T00:00:00Z`));
/** A month as the calendar heads it, e.g. "March 2025". */
const monthLabel = (month: string) =>
  new Intl.DateTimeFormat("en-US", { month: "long", year: "numeric", timeZone: "UTC" }).format(
    new Date(`${month}-01T00:00:00Z`),
  );
/** The calendar day of an instant in a time zone, YYYY-MM-DD. */
const dayIn = (instant: Date, timeZone: string) => instant.toLocaleDateString("en-CA", { timeZone });

describeBrowser("tasks", () => {
  test("tick an overdue task done: the dashboard's Overdue and Open tasks figures go down by one", async ({ page }) => {
    await signIn(page, "manager");
    // An overdue task of this test's own (seeded ones may wait on dependencies).
    const title = uniqueName("Call back about the brochure ");
    const task = await api<{ id: string }>(page, "POST", "/tasks", {
      title,
      dueAt: new Date(Date.now() - 2 * 86_400_000).toISOString(),
    });

    await page.goto("/");
    await waitForSettled(page);
    const overdueBefore = await figure(page, "Tasks due", "Overdue");
    const openBefore = await figure(page, "Totals", "Open tasks");
    expect(overdueBefore).toBeGreaterThan(0);

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Tasks" }).click();
    await expectUrl(page, "/tasks");
    const quickFilters = page.getByRole("group", { name: "Quick filters" });
    await quickFilters.getByRole("button", { name: "Overdue" }).click();
    // "Assigned to me" is the list's "My records" preset (the task was assigned to its creator);
    // the quick filters have no Mine button of their own, and the two combine.
    expect(await quickFilters.getByRole("button", { name: "Mine" }).count()).toBe(0);
    const myRecords = page.getByRole("group", { name: "Presets" }).getByRole("button", { name: "My records" });
    await myRecords.click();
    await expect.poll(() => myRecords.getAttribute("aria-pressed")).toBe("true");
    expect(await quickFilters.getByRole("button", { name: "Overdue" }).getAttribute("aria-pressed")).toBe("true");
    await page.getByRole("searchbox", { name: "Search tasks" }).fill(title);
    const done = page.getByRole("table", { name: "Tasks" }).getByRole("checkbox", { name: `Done: ${title}` });
    await done.waitFor();
    const [answer] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith(`/api/v1/tasks/${task.id}/complete`)),
      done.click(),
    ]);
    expect(answer.status()).toBe(200);
    await page.getByText(`Completed “${title}”.`).waitFor();

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Dashboard" }).click();
    await expectUrl(page, "/");
    await waitForSettled(page);
    await expect.poll(() => figure(page, "Tasks due", "Overdue")).toBe(overdueBefore - 1);
    expect(await figure(page, "Totals", "Open tasks")).toBe(openBefore - 1);

    // The task is listed as done.
    await page.goto("/tasks");
    await page.getByRole("group", { name: "Quick filters" }).getByRole("button", { name: "Done" }).click();
    await page.getByRole("searchbox", { name: "Search tasks" }).fill(title);
    const ticked = page.getByRole("table", { name: "Tasks" }).getByRole("checkbox", { name: `Done: ${title}` });
    await ticked.waitFor();
    expect(await ticked.isChecked()).toBe(true);
  });

  test("a task's title in the list opens its page: change it in place, tick it done; a manager sees its history", async ({
    page,
  }) => {
    await signIn(page, "agent");
    const title = uniqueName("Send the enrolment pack ");
    await api(page, "POST", "/tasks", {
      title,
      priority: "low",
      dueAt: new Date(Date.now() + 86_400_000).toISOString(),
    });

    await page.goto("/tasks");
    await page.getByRole("searchbox", { name: "Search tasks" }).fill(title);
    await page.getByRole("table", { name: "Tasks" }).getByRole("link", { name: title }).click();
    await expectUrl(page, /^\/tasks\/[^/]+$/);
    await page.getByRole("heading", { level: 1, name: title }).waitFor();
    await expectNoAxeViolations(page, "the task page");

    await page.getByRole("button", { name: "Edit Priority" }).click();
    await page.getByRole("combobox", { name: "Priority" }).selectOption("high");
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await page.getByRole("button", { name: "Edit Priority" }).waitFor();
    await page.getByText("High", { exact: true }).waitFor();

    await page.getByRole("checkbox", { name: `Done: ${title}` }).click();
    await page.getByText(`Completed “${title}”.`).waitFor();
    await page.getByText("Completed", { exact: true }).first().waitFor();

    // Agents see no change history, not even its tab (PRODUCT.md §2); a manager does.
    await expectAbsent(page.getByRole("tab", { name: "History" }), "the History tab for an agent");
    await openAs(page, "manager", new URL(page.url()).pathname);
    await page.getByRole("tab", { name: "History" }).click();
    const history = page.getByRole("list", { name: "Changes, newest first" });
    await history.getByText("Priority: Low → High").waitFor();
    await history.getByText("Task created").waitFor();
    await expectNoAxeViolations(page, "the task's history");
  });

  test("switch to the calendar: a task shows on its due day, the next month is empty of it, Today comes back", async ({
    page,
  }) => {
    await openAs(page, "manager", "/tasks");
    // Days are the workspace's: its time zone decides which day a due time falls on.
    const { timeZone } = await api<{ timeZone: string }>(page, "GET", "/workspace");
    const now = new Date();
    const month = dayIn(now, timeZone).slice(0, 7);
    const dueAt = new Date(`${month}-15T12:00:00Z`);
    const title = uniqueName(
      "Prepare the open day for the prospective students of the evening programme, with the campus tour, the talks and the lunch in the main hall ",
    );
    // Done: its entry also says so to screen readers, in text that must not widen the page.
    const task = await api<{ id: string }>(page, "POST", "/tasks", {
      title,
      dueAt: dueAt.toISOString(),
      status: "completed",
    });

    await page.getByRole("group", { name: "Layout" }).getByRole("button", { name: "Calendar" }).click();
    await page.waitForURL((url) => url.searchParams.get("mode") === "calendar");
    // Only this test's task: seeded ones may fill the day past "+N more".
    await page.getByRole("searchbox", { name: "Search tasks" }).fill(title);
    const grid = page.getByRole("table", { name: monthLabel(month) });
    const day = grid.getByRole("cell", { name: new RegExp(`^${dayLabel(dayIn(dueAt, timeZone))}`) });
    const link = day.getByRole("link", { name: new RegExp(title) });
    await link.waitFor();
    expect(await link.getAttribute("href")).toBe(`/tasks/${task.id}`);
    expect(await grid.locator('[aria-current="date"]').count()).toBe(1);
    await page.getByText("Tasks without a due date are not shown.").waitFor();
    await waitForSettled(page);
    await expectNoAxeViolations(page, "the tasks calendar");
    // Long titles are cut in their day: nothing makes the page wider than the window.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);

    const [year = 0, monthNumber = 1] = month.split("-").map(Number);
    const next = new Date(Date.UTC(year, monthNumber, 1)).toISOString().slice(0, 7);
    await page.getByRole("group", { name: "Month" }).getByRole("button", { name: "Next month" }).click();
    await page.waitForURL((url) => url.searchParams.get("month") === next);
    await page.getByRole("table", { name: monthLabel(next) }).waitFor();
    await waitForSettled(page);
    await expectAbsent(page.getByRole("link", { name: new RegExp(title) }), "task in the next month");

    // The layout, the month and the search survive a reload.
    await page.reload();
    await page.getByRole("table", { name: monthLabel(next) }).waitFor();
    await page.getByRole("group", { name: "Month" }).getByRole("button", { name: "Today" }).click();
    await page.waitForURL((url) => url.searchParams.get("mode") === "calendar" && !url.searchParams.has("month"));
    await grid.getByRole("link", { name: new RegExp(title) }).waitFor();

    // The list again, with the same search.
    await page.getByRole("group", { name: "Layout" }).getByRole("button", { name: "List" }).click();
    await page.getByRole("table", { name: "Tasks" }).getByRole("link", { name: title }).waitFor();
  });
});
