/**
 * Create, edit, delete (with confirmation) and restore a contact: Undo toast, Restore on the
 * deleted record, and the list's Deleted preset (the trash).
 */
import type { Page } from "playwright-core";
import { allowConsoleErrors, describeBrowser, expect, test } from "./support/fixtures.ts";
import { api, expectAbsent, expectUrl, openAs, signIn, uniqueName, waitForSettled } from "./support/helpers.ts";

async function openContactFromList(page: Page, name: string): Promise<void> {
  await page.goto("/contacts");
  await page.getByRole("searchbox", { name: "Search contacts" }).fill(name);
  // Click once the search has run, not on a row that its results are about to replace.
  await page.waitForURL((url) => url.searchParams.get("q") === name);
  await waitForSettled(page);
  const table = page.getByRole("table", { name: "Contacts" });
  await table.getByRole("link", { name }).click();
  await page.getByRole("heading", { level: 1, name }).waitFor();
}

describeBrowser("contacts", () => {
  test("a deleted contact is listed under Deleted and restored from there", async ({ page }) => {
    await signIn(page, "manager");
    const lastName = uniqueName("Trashed");
    const contact = await api<{ id: string }>(page, "POST", "/contacts", { firstName: "Tilda", lastName });
    await api(page, "DELETE", `/contacts/${contact.id}`);

    await page.goto("/contacts");
    await waitForSettled(page);
    await page.getByRole("searchbox", { name: "Search contacts" }).fill(lastName);
    await page.waitForURL((url) => url.searchParams.get("q") === lastName);
    await waitForSettled(page);
    const table = page.getByRole("table", { name: "Contacts" });
    await expectAbsent(table.getByRole("link", { name: `Tilda ${lastName}` }), "a deleted contact in the list");

    await page.getByRole("group", { name: "Presets" }).getByRole("button", { name: "Deleted" }).click();
    await table.getByRole("link", { name: `Tilda ${lastName}` }).waitFor();
    await page.getByRole("checkbox", { name: "Select row 1", exact: true }).check();
    const bulk = page.getByRole("region", { name: "Bulk actions" });
    await expectAbsent(bulk.getByRole("button", { name: "Delete selected" }), "Delete in the trash");
    await bulk.getByRole("button", { name: "Restore" }).click();
    await page.getByText("Restored 1 record").first().waitFor();
    await expectAbsent(table.getByRole("link", { name: `Tilda ${lastName}` }), "a restored contact in the trash");

    await page.getByText("Showing deleted records.").waitFor();
    await page.getByRole("button", { name: "Show records in use" }).click();
    await table.getByRole("link", { name: `Tilda ${lastName}` }).waitFor();
    await expectAbsent(page.getByText("Showing deleted records."), "the trash notice outside the trash");
    expect((await api<{ deletedAt: string | null }>(page, "GET", `/contacts/${contact.id}`)).deletedAt).toBeNull();
  });

  test("create, edit, delete with Undo, delete again and Restore on the record", async ({ page }) => {
    await signIn(page, "manager");
    const firstName = "Quentin";
    const lastName = uniqueName("Testperson");
    const fullName = `${firstName} ${lastName}`;

    // Create from the list.
    await page.goto("/contacts");
    await waitForSettled(page);
    await page.getByRole("button", { name: "New contact" }).click();
    const createDialog = page.getByRole("dialog", { name: "New contact" });
    await createDialog.getByLabel("First name").fill(firstName);
    await createDialog.getByLabel("Last name").fill(lastName);
    await createDialog.getByLabel("E-mail").fill(`${lastName.toLowerCase()}@example.test`);
    await createDialog.getByRole("button", { name: "Create contact" }).click();
    await expectUrl(page, /^\/contacts\/[^/]+$/);
    await page.getByRole("heading", { level: 1, name: fullName }).waitFor();
    const contactPath = new URL(page.url()).pathname;

    // Edit in the dialog.
    await page.getByRole("button", { name: "Edit", exact: true }).click();
    const editDialog = page.getByRole("dialog", { name: "Edit contact" });
    await editDialog.getByLabel("Job title").fill("Head of Admissions");
    await editDialog.getByRole("button", { name: "Save contact" }).click();
    await editDialog.waitFor({ state: "hidden" });
    await page.getByText("Head of Admissions").first().waitFor();

    // Edit one field in place.
    await page.getByRole("button", { name: "Edit Phone" }).click();
    await page.getByRole("textbox", { name: "Phone" }).fill("+4915112345678");
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await page.getByText("+4915112345678").waitFor();

    // The list shows the change.
    await openContactFromList(page, fullName);

    // Delete, confirm, then Undo from the toast.
    await page.getByRole("button", { name: "Delete", exact: true }).click();
    const confirm = page.getByRole("dialog", { name: `Delete “${fullName}”?` });
    await confirm.getByRole("button", { name: "Delete", exact: true }).click();
    await expectUrl(page, "/contacts");
    const toast = page.getByRole("listitem").filter({ hasText: `Deleted “${fullName}”.` });
    await toast.getByRole("button", { name: "Undo" }).click();
    await page.getByText("Undone.").waitFor();
    await openContactFromList(page, fullName);
    await expectAbsent(page.getByText("This record is deleted."), "deleted notice after Undo");

    // Delete again; the record page of a deleted contact offers Restore.
    await page.getByRole("button", { name: "Delete", exact: true }).click();
    await page
      .getByRole("dialog", { name: `Delete “${fullName}”?` })
      .getByRole("button", { name: "Delete", exact: true })
      .click();
    await expectUrl(page, "/contacts");
    await page.goto(contactPath);
    await page.getByText("This record is deleted.").waitFor();
    await page.getByRole("button", { name: "Restore" }).click();
    await page.getByText("This record is deleted.").waitFor({ state: "hidden" });
    await page.getByRole("button", { name: "Delete", exact: true }).waitFor();
    expect(new URL(page.url()).pathname).toBe(contactPath);
  });

  test("a row clicked while the search is still pending opens its record, without the list's search", async ({
    page,
  }) => {
    await openAs(page, "agent", "/contacts");
    const table = page.getByRole("table", { name: "Contacts" });
    const firstLink = table.getByRole("link").first();
    const name = (await firstLink.textContent()) ?? "";
    // The record page's code arrives only after the search pause has passed.
    await page.route("**/assets/*.js", async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 800));
      await route.continue();
    });
    await page.getByRole("searchbox", { name: "Search contacts" }).fill(name);
    await firstLink.click();
    await page.getByRole("heading", { level: 1, name }).waitFor();
    await expectUrl(page, /^\/contacts\/[^/]+$/);
    // The list's search stays with the list: the late search is neither followed nor copied here.
    expect(new URL(page.url()).search).toBe("");
  });

  test("the rows stay, marked busy, while a search loads: one clicked then opens its record", async ({ page }) => {
    await openAs(page, "agent", "/contacts");
    const table = page.getByRole("table", { name: "Contacts" });
    const firstLink = table.getByRole("link").first();
    const name = (await firstLink.textContent()) ?? "";
    // The search's answer is held back until the row has been clicked.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route(
      (url) => url.pathname === "/api/v1/contacts" && url.searchParams.has("q"),
      async (route) => {
        await held;
        await route.continue();
      },
    );
    await page.getByRole("searchbox", { name: "Search contacts" }).fill(name);
    await page.waitForURL((url) => url.searchParams.get("q") === name);
    await page.locator('table[aria-label="Contacts"][aria-busy="true"]').waitFor();
    await table.getByRole("link", { name }).first().click();
    await page.getByRole("heading", { level: 1, name }).waitFor();
    await expectUrl(page, /^\/contacts\/[^/]+$/);
    release();
  });

  test("validation from the shared schema before sending: a contact needs a first name", async ({ page }) => {
    await openAs(page, "agent", "/contacts");
    await page.getByRole("button", { name: "New contact" }).click();
    const dialog = page.getByRole("dialog", { name: "New contact" });
    await dialog.getByLabel("Last name").fill("Nofirstname");
    await dialog.getByRole("button", { name: "Create contact" }).click();
    await dialog.getByRole("alert").first().waitFor();
    expect(await dialog.getByLabel("First name").getAttribute("aria-invalid")).toBe("true");
    expect(new URL(page.url()).pathname).toBe("/contacts");
  });

  test("New contact: the duplicate check waits for valid fields, and Escape gives focus back", async ({ page }) => {
    await openAs(page, "agent", "/contacts");
    await waitForSettled(page);
    const checked: string[] = [];
    page.on("request", (request) => {
      if (request.url().includes("/possible-duplicates")) checked.push(new URL(request.url()).search);
    });
    await page.getByRole("button", { name: "New contact" }).click();
    const dialog = page.getByRole("dialog", { name: "New contact" });
    // The server refuses a name over 100 characters (400, a console error that fails the test).
    await dialog.getByLabel("First name").fill("A".repeat(101));
    await dialog.getByLabel("E-mail").fill("foo@");
    await page.waitForTimeout(800); // Longer than the check waits for a pause in typing (400 ms).
    expect(checked).toEqual([]);
    const answered = page.waitForResponse((response) => response.url().includes("/possible-duplicates"));
    await dialog.getByLabel("E-mail").fill("foo@example.test");
    await answered;
    expect(checked).toEqual(["?email=foo%40example.test"]);

    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    await page.waitForFunction(() => document.activeElement?.textContent === "New contact");
  });

  test("a contact that does not exist says so, with a way back to the list", async ({ page }) => {
    allowConsoleErrors(page, /status of 404 .*\/api\/v1\/contacts\/[\w-]+\?include=company%2Cowner$/);
    await openAs(page, "agent", "/contacts/0190f6c2-0000-7000-8000-00000000dead");
    await page.getByText("This contact does not exist or was deleted.").waitFor();
    await expectAbsent(page.getByRole("button", { name: "Try again" }), "Try again for a missing record");
    await page.getByRole("link", { name: "Back to contacts" }).click();
    await expectUrl(page, "/contacts");
  });
});
