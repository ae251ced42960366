/**
 * A CSV import: an admin uploads a contacts file whose "Apellido" column (Spanish: last name) Keel does not recognise,
 * maps it by hand, checks the rows (the dry run, a job the page follows, lists the bad one), starts the import, follows it
 * to completion (the history too), downloads errors.csv (the bad row, with why) and undoes the import
 * after confirming. A vCard file makes its contacts at once.
 */
import { parse } from "csv-parse/sync";
import { describeBrowser, expect, test } from "./support/fixtures.ts";
import {
  api,
  downloadedText,
  expectNoAxeViolations,
  signIn,
  uniqueName,
  waitForSettled,
  type Page1,
} from "./support/helpers.ts";

describeBrowser("importing a CSV", () => {
  test("map an unknown column, see the errors, import, download errors.csv, undo", async ({ page }) => {
    await signIn(page, "admin");
    const word = uniqueName("Imported");
    const csv = [
      "First Name,Apellido,Email",
      `Ada,${word},ada.${word}@import.test`,
      `Bea,${word},bea.${word}@import.test`,
      `Cy,${word},not-an-email`,
    ].join("\n");

    await page.goto("/imports");
    await waitForSettled(page);
    await page.getByLabel("Import into").selectOption("contacts");
    await page.getByLabel("Choose a file").setInputFiles({
      name: `${word}.csv`,
      mimeType: "text/csv",
      buffer: Buffer.from(csv, "utf8"),
    });

    // The unknown header is not mapped; the known ones are.
    const apellido = page.getByRole("combobox", { name: "Field for column Apellido" });
    expect(await apellido.inputValue()).toBe("");
    expect(await page.getByRole("combobox", { name: "Field for column Email" }).inputValue()).toBe("email");
    await apellido.selectOption({ label: "Last name" });
    await expectNoAxeViolations(page, "the mapping step");

    // The dry run is a job: the page follows it until its report, then reads the first errors.
    await page.getByRole("button", { name: "Check rows (dry run)" }).click();
    const report = page.getByRole("status").filter({ hasText: "Would create 2" });
    await report.waitFor({ timeout: 60_000 });
    await report.getByText("Line 4, Email: Must be an e-mail address").waitFor();
    expect(await report.textContent()).toMatch(/1 row has errors/);
    expect(await report.getByRole("link", { name: "Download all errors" }).getAttribute("href")).toMatch(
      /\/imports\/[0-9a-f-]+\/errors\.csv$/,
    );
    await expectNoAxeViolations(page, "the dry run's errors");

    await page.getByRole("button", { name: "Start import" }).click();
    await page.getByRole("heading", { name: `${word}.csv: completed` }).waitFor({ timeout: 60_000 });
    const progress = page.getByRole("progressbar", { name: "Import progress" });
    expect(await progress.getAttribute("aria-valuenow")).toBe("100");
    const listed = await api<Page1<{ firstName: string }>>(page, "GET", `/contacts?filter[lastName][eq]=${word}`);
    expect(listed.data.map((c) => c.firstName).sort()).toEqual(["Ada", "Bea"]);
    await expectNoAxeViolations(page, "the completed import");

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Download errors" }).click(),
    ]);
    const text = await downloadedText(download);
    const [header = [], ...rows] = parse(text.replace(/^\uFEFF/, "")) as string[][];
    expect(header).toEqual(["line", "errors", "First Name", "Apellido", "Email"]);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.[0]).toBe("4");
    expect(rows[0]?.[1]).toMatch(/^Email: /);
    expect(rows[0]?.slice(2)).toEqual(["Cy", word, "not-an-email"]);

    // The history follows the import to its end (it listed it running when it started).
    const history = page.getByRole("region", { name: "History" });
    await history
      .getByRole("listitem")
      .filter({ hasText: `${word}.csv` })
      .filter({ hasText: "Completed" })
      .waitFor();

    // Undo asks first, saying what it will do.
    await page.getByRole("button", { name: "Undo import" }).click();
    const confirm = page.getByRole("dialog", { name: `Undo the import of “${word}.csv”?` });
    expect(await confirm.textContent()).toContain("The 2 records it created move to the trash.");
    await confirm.getByRole("button", { name: "Undo import" }).click();
    await page.getByRole("heading", { name: `${word}.csv: undone` }).waitFor();
    const after = await api<Page1<{ firstName: string }>>(page, "GET", `/contacts?filter[lastName][eq]=${word}`);
    expect(after.data).toEqual([]);
    await expectNoAxeViolations(page, "the undone import");
  });

  test("a vCard file becomes contacts at once, without a mapping", async ({ page }) => {
    await signIn(page, "manager");
    const word = uniqueName("Carded");
    const card = (first: string) =>
      `BEGIN:VCARD\r\nVERSION:4.0\r\nFN:${first} ${word}\r\nN:${word};${first};;;\r\n` +
      `EMAIL:${first.toLowerCase()}.${word.toLowerCase()}@vcard.test\r\nEND:VCARD\r\n`;
    await page.goto("/imports");
    await waitForSettled(page);
    await page.getByLabel("Choose a file").setInputFiles({
      name: `${word}.vcf`,
      mimeType: "text/vcard",
      buffer: Buffer.from(card("Ada") + card("Grace"), "utf8"),
    });
    await page.getByText("Created 2 contacts from the vCard file.").waitFor();
    const made = await api<Page1<{ firstName: string }>>(
      page,
      "GET",
      `/contacts?filter[lastName][eq]=${word}&sort=firstName`,
    );
    expect(made.data.map((contact) => contact.firstName)).toEqual(["Ada", "Grace"]);
    await expectNoAxeViolations(page, "the imports page after a vCard import");
    await page.getByRole("link", { name: "Open contacts" }).click();
    await page.waitForURL(/\/contacts$/);
  });
});
