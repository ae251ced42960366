/**
 * Every action is hidden for roles that may not do it: an agent sees no Delete and no Export, a
 * viewer no create button, shortcut, command or Export.
 */
import { describeBrowser, test } from "./support/fixtures.ts";
import { api, expectAbsent, firstRecord, signIn, waitForSettled } from "./support/helpers.ts";

const lists = ["/contacts", "/companies", "/leads", "/deals", "/activities", "/tasks"];

describeBrowser("permissions in the UI", () => {
  test("an agent sees no Delete on a contact, not even on one they own, and no bulk delete", async ({ page }) => {
    await signIn(page, "agent");
    // A contact the agent owns: they may edit it, and still not delete it.
    const created = await api<{ id: string }>(page, "POST", "/contacts", {
      firstName: "Agnes",
      lastName: "Agentowned",
    });
    await page.goto(`/contacts/${created.id}`);
    await page.getByRole("heading", { level: 1, name: "Agnes Agentowned" }).waitFor();
    await waitForSettled(page);
    await page.getByRole("button", { name: "Edit", exact: true }).waitFor();
    await expectAbsent(page.getByRole("button", { name: "Delete", exact: true }), "Delete button for an agent");

    const someoneElses = await firstRecord<{ id: string }>(page, "contacts", "filter[ownerId][ne]=me");
    await page.goto(`/contacts/${someoneElses.id}`);
    await waitForSettled(page);
    await expectAbsent(page.getByRole("button", { name: "Delete", exact: true }), "Delete button for an agent");

    await page.goto("/contacts");
    await waitForSettled(page);
    // Agents may bulk-assign (their own records), so rows are selectable; bulk delete is not offered.
    await page.getByRole("checkbox", { name: "Select row 1", exact: true }).check();
    await page.getByRole("region", { name: "Bulk actions" }).waitFor();
    await expectAbsent(page.getByRole("button", { name: "Delete selected" }), "bulk Delete for an agent");
    // Agents read the lists but may not export them (PRODUCT.md §2).
    await expectAbsent(page.getByRole("button", { name: "Export", exact: true }), "Export menu for an agent");
  });

  test("a viewer sees no create button on any list, and no Edit or Delete on a record", async ({ page }) => {
    await signIn(page, "viewer");
    for (const list of lists) {
      await page.goto(list);
      await waitForSettled(page);
      await expectAbsent(
        page.getByRole("button", { name: /^(New|Create|Add|Log)\b/ }),
        `create button on ${list} for a viewer`,
      );
      await expectAbsent(page.getByRole("button", { name: "Export", exact: true }), `Export menu on ${list}`);
    }
    // Nor does the keyboard or the command palette lead to a form they would be refused at.
    await page.goto("/contacts");
    await waitForSettled(page);
    await page.keyboard.press("c");
    await page.getByText("There is nothing you can create on this page.").waitFor();
    await expectAbsent(page.getByRole("dialog", { name: /contact/i }), "a create form for a viewer");
    await page.keyboard.press("Control+k");
    const palette = page.getByRole("dialog", { name: "Command palette" });
    await palette.getByPlaceholder("Search records or type a command…").fill("create");
    await expectAbsent(palette.getByText("Create a record on this page"), "the palette's create command for a viewer");
    await page.keyboard.press("Escape");

    const contact = await firstRecord<{ id: string }>(page, "contacts");
    await page.goto(`/contacts/${contact.id}`);
    await waitForSettled(page);
    await expectAbsent(page.getByRole("button", { name: "Delete", exact: true }), "Delete for a viewer");
    await expectAbsent(page.getByRole("button", { name: /^Edit/ }), "Edit for a viewer");
  });
});
