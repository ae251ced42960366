/** A page whose code is slow to arrive shows a loading status instead of leaving the last page looking stuck. */
import { describeBrowser, test } from "./support/fixtures.ts";
import { expectUrl, openAs, waitForSettled } from "./support/helpers.ts";

describeBrowser("loading a page", () => {
  test("a slow page chunk shows the loading status until the page is there", async ({ page }) => {
    await openAs(page, "agent", "/");
    await waitForSettled(page);
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route(/\/assets\/ImportsPage-[\w-]+\.js$/, async (route) => {
      await held;
      await route.continue();
    });
    await page.getByRole("navigation", { name: "Main", exact: true }).getByRole("link", { name: "Imports" }).click();
    await page.getByRole("status", { name: "Loading" }).waitFor();
    release();
    await page.getByRole("heading", { level: 1, name: "Imports" }).waitFor();
    await expectUrl(page, "/imports");
    await waitForSettled(page);
  });
});
