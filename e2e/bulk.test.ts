/**
 * Bulk actions from a list: an agent's selection with someone else's record reports that record as
 * refused, with the reason; a manager changes a whole filter at once, then undoes it from the toast,
 * and undoes another change later from Settings → Bulk changes.
 */
import { describeBrowser, expect, test } from "./support/fixtures.ts";
import { api, expectNoAxeViolations, signIn, uniqueName, waitForSettled } from "./support/helpers.ts";

type Contact = { id: string; firstName: string; lastName: string; ownerId: string | null; lifecycle: string };

describeBrowser("bulk actions", () => {
  test("an agent bulk-assigns a selection and sees the records that were not theirs", async ({ page }) => {
    const name = uniqueName("Bulkagent");
    await signIn(page, "admin");
    await api<Contact>(page, "POST", "/contacts", { firstName: name, lastName: "Theirs" });
    // Leave the app before dropping the admin's session, so no request of its dashboard is in flight.
    await page.goto("about:blank");
    await page.context().clearCookies();
    await signIn(page, "agent");
    for (const lastName of ["Mine One", "Mine Two"]) {
      await api<Contact>(page, "POST", "/contacts", { firstName: name, lastName });
    }

    await page.goto(`/contacts?q=${name}`);
    await waitForSettled(page);
    await page.getByRole("link", { name: `${name} Theirs` }).waitFor();
    for (const row of [1, 2, 3]) await page.getByRole("checkbox", { name: `Select row ${row}`, exact: true }).check();
    const bar = page.getByRole("region", { name: "Bulk actions" });
    const owner = bar.getByRole("combobox", { name: "Owner" });
    await owner.click();
    await owner.pressSequentially("Alex", { delay: 20 });
    await page.getByRole("option", { name: "Alex Agent" }).click();

    const refused = page.getByRole("list", { name: "Records left unchanged" });
    await refused.waitFor();
    expect(await refused.innerText()).toBe(
      `${name} Theirs: You can only update contact records you own or are assigned to.`,
    );
    await page.getByText("Changed 2 records of 3.").waitFor();
    await expectNoAxeViolations(page, "the list with a bulk result and refused records");
  });

  test("a manager updates every contact a search matches, then undoes it", async ({ page }) => {
    const name = uniqueName("Bulkmanager");
    await signIn(page, "manager");
    const made: Contact[] = [];
    for (const lastName of ["One", "Two", "Three"]) {
      made.push(await api<Contact>(page, "POST", "/contacts", { firstName: name, lastName, lifecycle: "lead" }));
    }

    await page.goto(`/contacts?q=${name}`);
    await waitForSettled(page);
    await page.getByRole("link", { name: `${name} One` }).waitFor();
    await page.getByRole("checkbox", { name: "Select row 1", exact: true }).check();
    const bar = page.getByRole("region", { name: "Bulk actions" });
    await bar.getByRole("button", { name: "Apply to all 3 matching" }).click();
    await bar.getByText("All 3 matching selected").waitFor();
    await bar.getByRole("button", { name: "Update field…" }).click();
    const dialog = page.getByRole("dialog", { name: "Update 3 records" });
    await dialog.getByLabel("Field").selectOption("lifecycle");
    await dialog.getByLabel("New value").selectOption("customer");
    await dialog.getByRole("button", { name: "Update" }).click();

    await page.getByText("Changed 3 records of 3.").waitFor();
    for (const contact of made) {
      expect((await api<Contact>(page, "GET", `/contacts/${contact.id}`)).lifecycle).toBe("customer");
    }
    await page.getByRole("button", { name: "Undo" }).click();
    await page.getByText("Undone: 3 put back.").waitFor();
    for (const contact of made) {
      expect((await api<Contact>(page, "GET", `/contacts/${contact.id}`)).lifecycle).toBe("lead");
    }
  });

  test("a bulk change is undone later from Settings → Bulk changes, after its toast is gone", async ({ page }) => {
    const name = uniqueName("Bulklater");
    await signIn(page, "manager");
    const made: Contact[] = [];
    for (const lastName of ["One", "Two"]) {
      made.push(await api<Contact>(page, "POST", "/contacts", { firstName: name, lastName, lifecycle: "lead" }));
    }
    const ids = made.map((contact) => contact.id);
    await api(page, "POST", "/contacts/bulk", { action: "addTags", ids, tags: ["later"] });
    await api(page, "POST", "/contacts/bulk", { action: "update", ids, fields: { lifecycle: "customer" } });

    await page.goto("/settings/bulk-operations");
    const changes = page.getByRole("list", { name: "Bulk changes" });
    const newest = changes.getByRole("listitem").first();
    await newest.getByText("Updated fields · Contacts").waitFor();
    await newest.getByText("2 of 2 records changed.").waitFor();
    await expectNoAxeViolations(page, "the bulk changes page");
    await newest.getByRole("button", { name: /^Undo “Updated fields · Contacts”/ }).click();
    const confirm = page.getByRole("dialog", { name: "Undo this bulk change?" });
    await confirm.getByRole("button", { name: "Undo" }).click();
    await page.getByText("Undone: 2 put back.").waitFor();
    await newest.getByText("Undone", { exact: true }).waitFor();
    for (const contact of made) {
      const now = await api<Contact & { tags: string[] }>(page, "GET", `/contacts/${contact.id}`);
      expect(now.lifecycle).toBe("lead");
      // Only the undone change went back: the tags added before it stay.
      expect(now.tags).toEqual(["later"]);
    }
  });
});
