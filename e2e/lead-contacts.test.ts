/** A lead's contacts edited on its page: add one by typing, make it primary, remove the other. */
import { describeBrowser, expect, test } from "./support/fixtures.ts";
import { api, expectNoAxeViolations, signIn, uniqueName, waitForSettled } from "./support/helpers.ts";

type Lead = { id: string; contacts: { contactId: string; isPrimary: boolean }[] };

describeBrowser("lead contacts", () => {
  test("add a contact to a lead, make it primary and remove the first one", async ({ page }) => {
    await signIn(page, "manager");
    const first = await api<{ id: string }>(page, "POST", "/contacts", {
      firstName: "Olga",
      lastName: uniqueName("Firstlink"),
    });
    const lastName = uniqueName("Secondlink");
    const second = await api<{ id: string }>(page, "POST", "/contacts", { firstName: "Piet", lastName });
    const title = uniqueName("Transfer enquiry ");
    const lead = await api<Lead>(page, "POST", "/leads", {
      title,
      contacts: [{ contactId: first.id, isPrimary: true }],
    });

    await page.goto(`/leads/${lead.id}`);
    await page.getByRole("heading", { level: 1, name: title }).waitFor();
    await waitForSettled(page);
    const adding = page.getByRole("combobox", { name: "Add a contact" });
    await adding.click();
    await adding.pressSequentially(lastName, { delay: 20 });
    await page.getByRole("option", { name: new RegExp(`Piet ${lastName}`) }).click();
    const list = page.getByRole("list", { name: "Contacts of this lead" });
    await list.getByRole("link", { name: `Piet ${lastName}` }).waitFor();

    const stored = async () =>
      (await api<Lead>(page, "GET", `/leads/${lead.id}`)).contacts.map(({ contactId, isPrimary }) => ({
        contactId,
        isPrimary,
      }));
    await list.getByRole("button", { name: `Make primary: Piet ${lastName}` }).click();
    // Removing Olga before the new primary is stored would send the version the change replaced.
    await expect.poll(async () => (await stored()).find((link) => link.isPrimary)?.contactId).toBe(second.id);
    // The page shows the saved lead: Olga can be made primary again.
    await list.getByRole("button", { name: /^Make primary: Olga/ }).waitFor();
    await list.getByRole("button", { name: /^Remove Olga/ }).click();
    await expect.poll(stored).toEqual([{ contactId: second.id, isPrimary: true }]);
    await expect.poll(() => list.getByRole("listitem").count()).toBe(1);
    await expectNoAxeViolations(page, "a lead page with its contacts editor");
  });
});
