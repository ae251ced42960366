/**
 * Every page, as an admin sees it: no axe-core violations at 1280 px and at 375 px, and a
 * screenshot at each width in test-results/screenshots/ (NAME-1280.png, NAME-375.png).
 */
import { describeBrowser, test } from "./support/fixtures.ts";
import { auditPage, firstRecord, openAs, signIn, signInThroughApi, waitForSettled } from "./support/helpers.ts";

const lists = [
  { name: "contacts", path: "/contacts", heading: "Contacts" },
  { name: "companies", path: "/companies", heading: "Companies" },
  { name: "leads", path: "/leads", heading: "Leads" },
  { name: "leads-kanban", path: "/leads?mode=kanban", heading: "Leads" },
  { name: "deals", path: "/deals", heading: "Deals" },
  { name: "deals-kanban", path: "/deals?mode=kanban", heading: "Deals" },
  { name: "activities", path: "/activities", heading: "Activities" },
  { name: "tasks", path: "/tasks", heading: "Tasks" },
  { name: "tasks-calendar", path: "/tasks?mode=calendar", heading: "Tasks" },
];

const recordPages = [
  { name: "contact", collection: "contacts" },
  { name: "company", collection: "companies" },
  { name: "lead", collection: "leads" },
  { name: "deal", collection: "deals" },
];

describeBrowser("every page: axe at 1280 and 375 px, screenshots", () => {
  test("sign-in", async ({ page }) => {
    await page.goto("/sign-in");
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    await page.getByRole("heading", { name: "Demo accounts" }).waitFor();
    await auditPage(page, "sign-in");
  });

  test("dashboard", async ({ page }) => {
    await signIn(page, "admin");
    await page.getByRole("heading", { level: 1, name: "Dashboard" }).waitFor();
    await waitForSettled(page);
    await auditPage(page, "dashboard");
  });

  for (const list of lists) {
    test(`list: ${list.name}`, async ({ page }) => {
      await openAs(page, "admin", list.path);
      await page.getByRole("heading", { level: 1, name: list.heading }).waitFor();
      await waitForSettled(page);
      await auditPage(page, list.name);
    });
  }

  for (const record of recordPages) {
    test(`record page: ${record.name}`, async ({ page }) => {
      await signInThroughApi(page, "admin");
      const { id } = await firstRecord<{ id: string }>(page, record.collection, "sort=-createdAt");
      await page.goto(`/${record.collection}/${id}`);
      await page.getByRole("tablist", { name: "Sections" }).waitFor();
      await waitForSettled(page);
      await auditPage(page, record.name);
    });
  }

  test("command palette and keyboard shortcuts dialogs", async ({ page }) => {
    await signIn(page, "admin");
    await waitForSettled(page);
    await page.keyboard.press("Control+k");
    await page.getByRole("dialog", { name: "Command palette" }).waitFor();
    await auditPage(page, "command-palette");
    await page.keyboard.press("Escape");
    await page.keyboard.press("?");
    await page.getByRole("dialog", { name: "Keyboard shortcuts" }).waitFor();
    await auditPage(page, "keyboard-shortcuts");
  });
});
