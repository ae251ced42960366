/**
 * An admin edits a contact in its page, reads the change as "old → new" on the record's History
 * tab, then finds the same change in the audit log at /admin/audit-logs (filtered by the contact's
 * id and the action, in a shareable URL) and opens it to see old and new side by side.
 */
import { describeBrowser, expect, test } from "./support/fixtures.ts";
import {
  api,
  auditPage,
  demoUser,
  expectAbsent,
  expectNoAxeViolations,
  expectUrl,
  signIn,
  uniqueName,
  waitForSettled,
} from "./support/helpers.ts";

type Contact = { id: string; firstName: string; lastName: string };

describeBrowser("audit log", () => {
  test("an edit shows in the record's history and, filtered, in the audit log's side-by-side diff", async ({
    page,
  }) => {
    await signIn(page, "admin");
    const lastName = uniqueName("Audited");
    const contact = await api<Contact>(page, "POST", "/contacts", {
      firstName: "Hedy",
      lastName,
      jobTitle: "Engineer",
    });
    const fullName = `Hedy ${lastName}`;
    // Phone numbers are unique in a workspace, and the journeys share one: this one is the test's own.
    const phoneNumber = `+49151${String(Date.now()).slice(-8)}`;

    // Edit two fields in the page, in one save.
    await page.goto(`/contacts/${contact.id}`);
    await page.getByRole("heading", { level: 1, name: fullName }).waitFor();
    await page.getByRole("button", { name: "Edit", exact: true }).click();
    const editDialog = page.getByRole("dialog", { name: "Edit contact" });
    await editDialog.getByLabel("Job title").fill("Head of Admissions");
    await editDialog.getByLabel("Phone").fill(phoneNumber);
    await editDialog.getByRole("button", { name: "Save contact" }).click();
    await editDialog.waitFor({ state: "hidden" });
    await page.getByText("Head of Admissions").first().waitFor();

    // The History tab: newest first, each field's old → new.
    await page.getByRole("tab", { name: "History" }).click();
    const history = page.getByRole("list", { name: "Changes, newest first" });
    await history.waitFor();
    const edit = history.getByRole("listitem").filter({ hasText: "Contact updated" }).first();
    await edit.getByText("Job title: Engineer → Head of Admissions").waitFor();
    await edit.getByText(`Phone: — → ${phoneNumber}`).waitFor();
    expect(await edit.textContent()).toContain(`by ${demoUser("admin").name}`);
    await history.getByText("Contact created").waitFor();
    await auditPage(page, "record-history");

    // The audit log, from the settings area's side list.
    await page.goto("/settings");
    await expectUrl(page, "/settings/profile");
    await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Audit log" }).click();
    await expectUrl(page, "/admin/audit-logs");
    await page.getByRole("heading", { level: 1, name: "Audit log" }).waitFor();
    await waitForSettled(page);

    const filters = page.getByRole("search", { name: "Filter the audit log" });
    await filters.getByLabel("Resource id").fill(contact.id);
    await filters.getByLabel("Action").fill("contact.updated");
    await filters.getByRole("button", { name: "Apply filters" }).click();
    await expectUrl(page, new RegExp(`resourceId=${contact.id}`));
    expect(new URL(page.url()).searchParams.get("action")).toBe("contact.updated");

    // The filtered view is a link: opened again, it shows the same entries.
    await page.reload();
    await waitForSettled(page);
    expect(await filters.getByLabel("Resource id").inputValue()).toBe(contact.id);
    const table = page.getByRole("table", { name: "Audit log entries, newest first" });
    const rows = table.getByRole("row").filter({ hasText: "Contact updated" });
    await rows.first().waitFor();
    expect(await rows.count()).toBe(1);
    await expectAbsent(table.getByRole("row").filter({ hasText: "Contact created" }), "contact.created entries");
    await auditPage(page, "admin-audit-log");

    const hasSideScroll = async () =>
      page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
    expect(await hasSideScroll()).toBe(false);
    await page.setViewportSize({ width: 375, height: 812 });
    await page.getByRole("list", { name: "Audit log entries" }).waitFor();
    expect(await hasSideScroll()).toBe(false);
    await page.setViewportSize({ width: 1280, height: 800 });

    // The diff: field | old | new, side by side.
    await rows
      .first()
      .getByRole("button", { name: /^Details/ })
      .click();
    const dialog = page.getByRole("dialog", { name: "Contact updated" });
    const diff = dialog.getByRole("table", { name: "Field changes" });
    const jobTitle = diff.getByRole("row").filter({ has: page.getByRole("rowheader", { name: /^Job title/ }) });
    const [oldValue, newValue] = await jobTitle.getByRole("cell").allTextContents();
    expect(oldValue).toBe("Engineer");
    expect(newValue).toBe("Head of Admissions");
    const phone = diff.getByRole("row").filter({ has: page.getByRole("rowheader", { name: /^Phone/ }) });
    expect(await phone.getByRole("cell").allTextContents()).toEqual(["empty", phoneNumber]);
    await dialog.getByText(contact.id).waitFor();
    await expectNoAxeViolations(page, "the audit entry dialog");
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
  });
});
