/** Convert a qualified lead (new company, new contact, a deal) and open the new deal. */
import { describeBrowser, expect, test } from "./support/fixtures.ts";
import { api, expectUrl, signIn, uniqueName, waitForSettled } from "./support/helpers.ts";

describeBrowser("lead conversion", () => {
  test("convert a lead from its record page: the dialog shows what it creates, then the new deal opens", async ({
    page,
  }) => {
    await signIn(page, "manager");
    const title = uniqueName("Scholarship enquiry ");
    const company = uniqueName("Harbour College ");
    const lastName = uniqueName("Convertson");
    const dealName = `${title} – enrolment`;
    const lead = await api<{ id: string }>(page, "POST", "/leads", { title, status: "qualified" });

    await page.goto(`/leads/${lead.id}`);
    await page.getByRole("heading", { level: 1, name: title }).waitFor();
    await waitForSettled(page);
    await page
      .getByRole("button", { name: /^Convert/ })
      .first()
      .click();

    const dialog = page.getByRole("dialog", { name: `Convert “${title}”` });
    await dialog.waitFor();
    await dialog.getByRole("radio", { name: "Create a new company" }).check();
    await dialog.getByLabel("Company name").fill(company);
    await dialog.getByRole("radio", { name: "Create a new contact" }).check();
    await dialog.getByLabel("First name").fill("Nora");
    await dialog.getByLabel("Last name").fill(lastName);
    await dialog.getByLabel("Deal name").fill(dealName);
    await dialog.getByLabel("Value", { exact: true }).fill("4800");

    // The summary says what will be created before anything is.
    const summary = dialog.getByRole("region", { name: "What happens" });
    await summary.getByText(`Creates the company “${company}”.`).waitFor();
    await summary.getByText(`Creates the contact “Nora ${lastName}”`, { exact: false }).waitFor();
    await summary.getByText(`Creates the deal “${dealName}”`, { exact: false }).waitFor();

    await dialog.getByRole("button", { name: "Convert", exact: true }).click();
    await expectUrl(page, /^\/deals\/[^/]+$/);
    await page.getByRole("heading", { level: 1, name: dealName }).waitFor();
    await waitForSettled(page);
    await page.getByText(company).first().waitFor();

    // The lead is converted and names its deal.
    const stored = await api<{ status: string }>(page, "GET", `/leads/${lead.id}`);
    expect(stored.status).toBe("converted");
  });
});
