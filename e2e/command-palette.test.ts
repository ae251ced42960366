/** Ctrl/⌘-K: find a record by name and open it with Enter; go to a page by name. */
import { describeBrowser, test } from "./support/fixtures.ts";
import { api, expectUrl, signIn, waitForSettled, type Page1 } from "./support/helpers.ts";

type Contact = { id: string; firstName: string; lastName: string | null };
const nameOf = (c: Contact) => [c.firstName, c.lastName].filter(Boolean).join(" ");

describeBrowser("command palette", () => {
  test("Ctrl+K, type a seeded contact's name, Enter: its record page", async ({ page }) => {
    await signIn(page, "agent");
    await waitForSettled(page);
    // A seeded contact whose full name no other contact has.
    const contacts = await api<Page1<Contact>>(page, "GET", "/contacts?limit=100&sort=lastName");
    const names = contacts.data.map(nameOf);
    const contact = contacts.data.find((c) => c.lastName && names.filter((n) => n === nameOf(c)).length === 1);
    if (!contact) throw new Error("The demo workspace has no contact with a unique name");
    const name = nameOf(contact);

    await page.keyboard.press("Control+k");
    const palette = page.getByRole("dialog", { name: "Command palette" });
    await palette.waitFor();
    await page.keyboard.type(name, { delay: 20 });
    const hit = palette.getByRole("option", { name: new RegExp(`^${name}\\b`) });
    await hit.waitFor();
    // The best hit is highlighted, so Enter opens it.
    await page.waitForFunction(
      (label) => document.querySelector('[cmdk-item][aria-selected="true"]')?.textContent?.startsWith(label) ?? false,
      name,
    );
    await page.keyboard.press("Enter");
    await expectUrl(page, `/contacts/${contact.id}`);
    await page.getByRole("heading", { level: 1, name }).waitFor();
    await palette.waitFor({ state: "hidden" });
  });

  test("go to a page from the palette", async ({ page }) => {
    await signIn(page, "viewer");
    await waitForSettled(page);
    await page.keyboard.press("Control+k");
    const palette = page.getByRole("dialog", { name: "Command palette" });
    await palette.getByRole("combobox").fill("Deals");
    await palette.getByRole("option", { name: /^Deals/ }).click();
    await expectUrl(page, "/deals");
  });
});
