/** Save a view (filter + sort), reload, reopen it from the view picker: the same filtered, sorted rows. */
import type { Page } from "playwright-core";
import { describeBrowser, expect, test } from "./support/fixtures.ts";
import { openAs, uniqueName, waitForSettled } from "./support/helpers.ts";

/** The text of the Name and Lifecycle cells of the rendered rows. */
async function shownRows(page: Page): Promise<{ name: string; lifecycle: string }[]> {
  const table = page.getByRole("table", { name: "Contacts" });
  const headers = (await table.getByRole("columnheader").allInnerTexts()).map((h) => h.replace(/[▲▼↕]/g, "").trim());
  const nameIndex = headers.indexOf("Name");
  const lifecycleIndex = headers.indexOf("Lifecycle");
  if (nameIndex < 0 || lifecycleIndex < 0)
    throw new Error(`The contacts table has no Name or Lifecycle column: ${headers.join(", ")}`);
  const rows = await table.locator("tbody tr[data-index]").all();
  return Promise.all(
    rows.slice(0, 15).map(async (row) => {
      const cells = await row.getByRole("cell").allInnerTexts();
      return { name: cells[nameIndex]?.trim() ?? "", lifecycle: cells[lifecycleIndex]?.trim() ?? "" };
    }),
  );
}

describeBrowser("saved views", () => {
  test("save a filtered, sorted view, reload, reopen it from the picker", async ({ page }) => {
    await openAs(page, "manager", "/contacts");
    await waitForSettled(page);

    // Filter: lifecycle is Customer.
    await page.getByRole("button", { name: /^Filters?$/ }).click();
    await page.getByRole("button", { name: "+ Add filter" }).click();
    await page.getByRole("combobox", { name: "Filter 1 field" }).selectOption({ label: "Lifecycle" });
    await page.getByRole("combobox", { name: "Filter 1 value" }).selectOption({ label: "Customer" });
    await page.getByRole("button", { name: "Apply" }).click();
    await page.waitForURL((url) => url.search.includes("lifecycle"));

    // Sort: by name, A to Z.
    const table = page.getByRole("table", { name: "Contacts" });
    await table.getByRole("button", { name: /^Name/ }).click();
    await table.locator('th[aria-sort="ascending"]', { hasText: "Name" }).waitFor();
    await waitForSettled(page);
    const expected = await shownRows(page);
    expect(expected.length).toBeGreaterThan(1);
    expect(new Set(expected.map((r) => r.lifecycle))).toEqual(new Set(["Customer"]));

    // Save it.
    const viewName = uniqueName("Customers A-Z ");
    await page.getByRole("button", { name: "Save as view" }).click();
    const dialog = page.getByRole("dialog", { name: "Save as view" });
    await dialog.getByLabel("Name").fill(viewName);
    await dialog.getByRole("button", { name: "Save view" }).click();
    await dialog.waitFor({ state: "hidden" });

    // Reload, start from the plain list, reopen the view from the picker.
    await page.reload();
    await page.goto("/contacts");
    await waitForSettled(page);
    const picker = page.getByRole("combobox", { name: "View" });
    expect(await picker.inputValue()).toBe("");
    await picker.selectOption({ label: viewName });
    await page.waitForURL((url) => url.search.includes("lifecycle"));
    await table.locator('th[aria-sort="ascending"]', { hasText: "Name" }).waitFor();
    await waitForSettled(page);
    await expect.poll(() => shownRows(page)).toEqual(expected);
  });
});
