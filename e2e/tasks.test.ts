/** Complete a task in the task list (narrowed to my overdue tasks) and see the dashboard's figure change. */
import type { Page } from "playwright-core";
import { describeBrowser, expect, test } from "./support/fixtures.ts";
import {
  api,
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

    // Agents see no change history (PRODUCT.md §2); a manager does.
    await page.getByRole("tab", { name: "History" }).click();
    await page.getByText("Your role cannot see change histories.").waitFor();
    await openAs(page, "manager", new URL(page.url()).pathname);
    await page.getByRole("tab", { name: "History" }).click();
    const history = page.getByRole("list", { name: "Changes, newest first" });
    await history.getByText("Priority: Low → High").waitFor();
    await history.getByText("Task created").waitFor();
    await expectNoAxeViolations(page, "the task's history");
  });
});
