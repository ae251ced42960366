/**
 * A manager sorts the deals list by clicking column headers: the order follows (ties and deals
 * without a date in their place), the sort is in the URL so the list can be linked, the header
 * says how it sorts, and the count of matches is in the list header. axe-clean in both themes.
 */
import type { Page } from "playwright-core";
import { describeBrowser, expect, test } from "./support/fixtures.ts";
import { api, auditPage, signIn, uniqueName, waitForSettled } from "./support/helpers.ts";

/** The names of the test's deals in the table, top to bottom (each name links to its deal). */
async function dealNames(page: Page, word: string): Promise<string[]> {
  return page.getByRole("table", { name: "Deals" }).getByRole("link", { name: word }).allInnerTexts();
}

const sortOf = (page: Page) => new URL(page.url()).searchParams.get("sort");

describeBrowser("sorting a list", () => {
  test("sort deals by value and by expected close with the column headers; the URL keeps the sort", async ({
    page,
  }) => {
    await signIn(page, "manager");
    const word = uniqueName("Sortable");
    const deals = [
      { name: `${word} Atlas`, value: "300.00", expectedCloseDate: "2031-05-01" },
      { name: `${word} Birch`, value: "100.00", expectedCloseDate: null },
      { name: `${word} Cedar`, value: "200.00", expectedCloseDate: "2031-02-01" },
      { name: `${word} Delta`, value: "100.00", expectedCloseDate: "2031-02-01" },
    ];
    for (const deal of deals) await api(page, "POST", "/deals", deal);

    await page.goto(`/deals?q=${word}`);
    await waitForSettled(page);
    const table = page.getByRole("table", { name: "Deals" });
    await table.getByRole("link", { name: `${word} Delta` }).waitFor();
    await page.getByRole("status").filter({ hasText: "4 deals" }).waitFor();

    const valueHeader = table.getByRole("columnheader", { name: /Value/ });
    expect(await valueHeader.getAttribute("aria-sort")).toBe("none");
    await table.getByRole("button", { name: "Value", exact: true }).click();
    await page.waitForURL((url) => url.searchParams.get("sort") === "value");
    await expect
      .poll(() => dealNames(page, word))
      .toEqual([`${word} Birch`, `${word} Delta`, `${word} Cedar`, `${word} Atlas`]);
    expect(await valueHeader.getAttribute("aria-sort")).toBe("ascending");

    // Again, from the keyboard: largest first, ties newest first.
    await table.getByRole("button", { name: "Value", exact: true }).press("Enter");
    await page.waitForURL((url) => url.searchParams.get("sort") === "-value");
    await expect
      .poll(() => dealNames(page, word))
      .toEqual([`${word} Atlas`, `${word} Cedar`, `${word} Delta`, `${word} Birch`]);
    expect(await valueHeader.getAttribute("aria-sort")).toBe("descending");

    // Expected close: soonest first, the deal without a date last.
    await table.getByRole("button", { name: "Expected close", exact: true }).click();
    await page.waitForURL((url) => url.searchParams.get("sort") === "expectedCloseDate");
    await expect
      .poll(() => dealNames(page, word))
      .toEqual([`${word} Cedar`, `${word} Delta`, `${word} Atlas`, `${word} Birch`]);
    expect(await valueHeader.getAttribute("aria-sort")).toBe("none");
    await auditPage(page, "deals-sorted");

    // The URL alone reopens the list in that order.
    const url = page.url();
    await page.goto(url);
    await waitForSettled(page);
    expect(sortOf(page)).toBe("expectedCloseDate");
    await expect
      .poll(() => dealNames(page, word))
      .toEqual([`${word} Cedar`, `${word} Delta`, `${word} Atlas`, `${word} Birch`]);
  });
});
