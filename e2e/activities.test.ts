/** Log an activity from the Activities page, linked to a contact picked in the dialog, and find it in the list. */
import { describeBrowser, expect, test } from "./support/fixtures.ts";
import { api, expectAbsent, expectNoAxeViolations, openAs, uniqueName, waitForSettled } from "./support/helpers.ts";

describeBrowser("activities", () => {
  test("log a call from the Activities page on a contact picked in the dialog: it is listed, linked to the contact", async ({
    page,
  }) => {
    await openAs(page, "agent", "/activities");
    const lastName = uniqueName("Quill");
    const contact = await api<{ id: string }>(page, "POST", "/contacts", { firstName: "Iris", lastName });
    const subject = uniqueName("Asked about the spring intake ");

    await page.getByRole("heading", { level: 1, name: "Activities" }).waitFor();
    await waitForSettled(page);
    await page.getByRole("button", { name: "Log activity" }).click();
    const dialog = page.getByRole("dialog", { name: "Log activity" });
    await dialog.getByRole("group", { name: "Type" }).getByText("Call", { exact: true }).click();
    await dialog.getByLabel("Subject").fill(subject);
    // Linked to nothing yet: the form asks for a record before anything is sent.
    await dialog.getByRole("button", { name: "Log activity" }).click();
    await dialog.getByText("Choose at least one record the activity is about").waitFor();
    await dialog.getByRole("combobox", { name: "Contact" }).fill(lastName);
    await dialog.getByRole("option", { name: new RegExp(lastName) }).click();
    await expectNoAxeViolations(page, "the Log activity dialog");
    const [answer] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith("/api/v1/activities") && r.request().method() === "POST"),
      dialog.getByRole("button", { name: "Log activity" }).click(),
    ]);
    expect(answer.status()).toBe(201);
    await page.getByText("Call logged.").waitFor();
    await dialog.waitFor({ state: "detached" });

    await page.getByRole("searchbox", { name: "Search activities" }).fill(subject);
    const row = page.getByRole("table", { name: "Activities" }).getByRole("row").filter({ hasText: subject });
    await row.waitFor();
    const contactLink = row.getByRole("link", { name: `Iris ${lastName} (contact)` });
    expect(await contactLink.getAttribute("href")).toBe(`/contacts/${contact.id}`);
  });

  test("a viewer sees no Log activity button", async ({ page }) => {
    await openAs(page, "viewer", "/activities");
    await page.getByRole("heading", { level: 1, name: "Activities" }).waitFor();
    await waitForSettled(page);
    await expectAbsent(page.getByRole("button", { name: "Log activity" }), "Log activity button");
  });
});
