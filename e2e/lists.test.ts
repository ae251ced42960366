/**
 * A manager works a list: filters contacts by a company picked by typing, narrows to "My records",
 * widens a column (mouse and keyboard; the width is remembered), edits a phone number in its cell
 * (and is told in place when someone else changed the contact meanwhile), and on a phone sees the
 * lists as cards that never pan sideways. axe-clean at 1280 and 375 px. While a list loads, its
 * placeholders pulse only for those whose system does not ask for less motion.
 */
import type { Page } from "playwright-core";
import { allowConsoleErrors, describeBrowser, expect, phoneViewport, test } from "./support/fixtures.ts";
import { api, expectNoAxeViolations, signIn, signInThroughApi, uniqueName, waitForSettled } from "./support/helpers.ts";

type Contact = { id: string; version: number; firstName: string; lastName: string; phone: string | null };

const overflowOf = (page: Page) =>
  page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));

/** The page itself never scrolls sideways: wide tables scroll inside their own container. */
async function expectNoPageOverflow(page: Page, what: string): Promise<void> {
  const { scrollWidth, innerWidth } = await overflowOf(page);
  expect(scrollWidth, `${what}: page ${scrollWidth} px wide in a ${innerWidth} px window`).toBeLessThanOrEqual(
    innerWidth,
  );
}

describeBrowser("working a list", () => {
  test("filter contacts by a company picked by typing, apply My records, resize a column, edit a cell", async ({
    page,
  }) => {
    allowConsoleErrors(page, /status of 412 \(Precondition Failed\) http:\/\/[^/]+\/api\/v1\/contacts\//);
    await signIn(page, "manager");
    const tag = uniqueName("");
    const company = await api<{ id: string; name: string }>(page, "POST", "/companies", {
      name: `Wombat Lists ${tag}`,
    });
    await api(page, "POST", "/companies", { name: `Elsewhere Lists ${tag}` });
    const mine = await api<Contact>(page, "POST", "/contacts", {
      firstName: "Mira",
      lastName: `Mine${tag}`,
      companyId: company.id,
    });
    await api<Contact>(page, "POST", "/contacts", {
      firstName: "Nell",
      lastName: `Nobody${tag}`,
      companyId: company.id,
      ownerId: null,
    });
    await api(page, "POST", "/contacts", { firstName: "Otto", lastName: `Other${tag}` });

    await page.goto("/contacts");
    await waitForSettled(page);
    const table = page.getByRole("table", { name: "Contacts" });
    await expectNoPageOverflow(page, "contacts at 1280 px");

    // Filter: Company is … picked by typing part of its name (the picker searches the server).
    await page.getByRole("button", { name: "Filter" }).click();
    await page.getByRole("button", { name: "+ Add filter" }).click();
    await page.getByRole("combobox", { name: "Filter 1 field" }).selectOption("companyId");
    const picker = page.getByRole("combobox", { name: "Filter 1 value" });
    await picker.click();
    await picker.pressSequentially(`wombat lists ${tag.slice(0, 6)}`, { delay: 20 });
    await page.getByRole("option", { name: company.name }).click();
    await page.getByRole("button", { name: "Apply" }).click();
    await page.waitForURL((url) => (url.searchParams.get("filters") ?? "").includes(company.id));
    const names = () => table.getByRole("link").allInnerTexts();
    // The previous rows stay on screen while the filtered ones load: wait for exactly these two.
    await expect.poll(async () => (await names()).sort()).toEqual([`Mira Mine${tag}`, `Nell Nobody${tag}`].sort());

    // "My records" narrows to the manager's own, shows as pressed, and is in the URL.
    const myRecords = page.getByRole("group", { name: "Presets" }).getByRole("button", { name: "My records" });
    await myRecords.click();
    await expect.poll(() => myRecords.getAttribute("aria-pressed")).toBe("true");
    await expect.poll(names).toEqual([`Mira Mine${tag}`]);
    expect(page.url()).toContain("ownerId");
    await expectNoAxeViolations(page, "the contacts list filtered by company and My records");

    // Resize the Phone column: drag its header's edge, then from the keyboard.
    const separator = table.getByRole("separator", { name: "Resize column Phone" });
    const before = Number(await separator.getAttribute("aria-valuenow"));
    const box = await separator.boundingBox();
    if (!box) throw new Error("The Phone column's edge is not on screen");
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 60, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    await expect.poll(async () => Number(await separator.getAttribute("aria-valuenow"))).toBe(before + 60);
    await separator.focus();
    await page.keyboard.press("ArrowRight");
    await expect.poll(async () => Number(await separator.getAttribute("aria-valuenow"))).toBe(before + 76);
    const phoneHeader = table.getByRole("columnheader", { name: "Phone" });
    expect(Math.round((await phoneHeader.boundingBox())?.width ?? 0)).toBe(before + 76);

    // The width is remembered for this list.
    await page.reload();
    await waitForSettled(page);
    await expect
      .poll(async () => Number(await separator.getAttribute("aria-valuenow")), { timeout: 5000 })
      .toBe(before + 76);

    // Edit the phone in its cell: double-click, type, Enter.
    const row = table.getByRole("row").filter({ hasText: `Mine${tag}` });
    const phoneCell = row.getByRole("cell").filter({
      has: page.getByRole("button", { name: `Edit Phone of Mira Mine${tag}` }),
    });
    await phoneCell.dblclick();
    const phone = page.getByRole("textbox", { name: `Phone of Mira Mine${tag}` });
    await phone.fill("+44 20 7946 0001");
    await phone.press("Enter");
    await row.getByRole("cell", { name: /\+44 ?20 ?7946 ?0001/ }).waitFor();
    const saved = await api<Contact>(page, "GET", `/contacts/${mine.id}`);
    expect(saved.phone?.replace(/\s/g, "")).toBe("+442079460001");
    expect(saved.version).toBe(mine.version + 1);

    // Someone else changes the contact while the cell is being edited: the save is refused in place,
    // the draft stays, and saving again applies it over their version.
    await row.getByRole("button", { name: `Edit Phone of Mira Mine${tag}` }).press("Enter");
    await phone.fill("+44 20 7946 0002");
    await api(page, "PATCH", `/contacts/${mine.id}`, { jobTitle: "Registrar" }, { "if-match": `"${saved.version}"` });
    await phone.press("Enter");
    await page.getByRole("alert").filter({ hasText: "Someone else changed this contact meanwhile" }).waitFor();
    expect(await phone.inputValue()).toBe("+44 20 7946 0002");
    await expectNoAxeViolations(page, "a cell edit refused as stale");
    await phone.press("Enter");
    await phone.waitFor({ state: "hidden" });
    await expect
      .poll(async () => (await api<Contact>(page, "GET", `/contacts/${mine.id}`)).phone?.replace(/\s/g, ""))
      .toBe("+442079460002");
    // Escape cancels an edit without saving.
    await phoneCell.dblclick();
    await phone.fill("999");
    await phone.press("Escape");
    await phone.waitFor({ state: "hidden" });
    expect((await api<Contact>(page, "GET", `/contacts/${mine.id}`)).version).toBe(saved.version + 2);
  });

  test("every list fits at 1280 px (wide tables scroll in their own box) and is cards on a phone", async ({ page }) => {
    await signIn(page, "manager");
    const lists = ["/contacts", "/companies", "/leads", "/deals", "/tasks", "/activities"];
    for (const path of lists) {
      await page.goto(path);
      await waitForSettled(page);
      await expectNoPageOverflow(page, `${path} at 1280 px`);
      const table = await page.getByTestId("data-table-scroll").evaluate((e) => [e.scrollWidth, e.clientWidth]);
      console.log(
        `lists: ${path} at 1280 px: page ${(await overflowOf(page)).scrollWidth} px, table ${table.join(" px in ")} px`,
      );
    }

    // On a phone every list is cards, and no page pans sideways.
    await page.setViewportSize(phoneViewport);
    for (const path of lists) {
      await page.goto(path);
      await waitForSettled(page);
      await page.getByRole("list", { name: new RegExp(`^${path.slice(1)}$`, "i") }).waitFor();
      await expectNoPageOverflow(page, `${path} at 375 px`);
    }
    await expectNoAxeViolations(page, "the activities list as cards at 375 px");
  });

  test("loading placeholders stay still when the system asks for less motion", async ({ page }) => {
    await signInThroughApi(page, "agent");
    // The list's rows are held back, so its placeholders stay on screen while they are checked.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route(
      (url) => url.pathname === "/api/v1/contacts",
      async (route) => {
        await held;
        await route.continue();
      },
    );
    await page.emulateMedia({ reducedMotion: "reduce" });
    await page.goto("/contacts");
    const placeholder = page.locator("[data-skeleton]").first();
    await placeholder.waitFor();
    const animation = () => placeholder.evaluate((element) => getComputedStyle(element).animationName);
    expect(await animation()).toBe("none");
    await page.emulateMedia({ reducedMotion: "no-preference" });
    expect(await animation()).toBe("pulse");
    release();
    await waitForSettled(page);
  });
});
