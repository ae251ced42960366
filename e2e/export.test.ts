/**
 * Export of a filtered list: a manager searches and filters the contacts, exports CSV from the
 * Export menu, and the downloaded file holds exactly the rows the list shows, with its columns.
 */
import { parse } from "csv-parse/sync";
import { describeBrowser, expect, test } from "./support/fixtures.ts";
import { api, downloadedText, signIn, uniqueName, waitForSettled } from "./support/helpers.ts";

describeBrowser("exporting a list", () => {
  test("filter the contacts, export CSV, and the file holds exactly the filtered rows", async ({ page }) => {
    await signIn(page, "manager");
    const word = uniqueName("Exported");
    const contacts = [
      { firstName: "Ada", lastName: `${word} Alpha`, lifecycle: "customer" },
      { firstName: "Bea", lastName: `${word} Beta`, lifecycle: "lead" },
      { firstName: "=Cy", lastName: `${word} Gamma`, lifecycle: "customer" },
    ];
    for (const contact of contacts) await api(page, "POST", "/contacts", contact);

    await page.goto(`/contacts?q=${word}`);
    await waitForSettled(page);
    await page.getByRole("status").filter({ hasText: "3 contacts" }).waitFor();

    // Filter: lifecycle is Customer.
    await page.getByRole("button", { name: /^Filters?$/ }).click();
    await page.getByRole("button", { name: "+ Add filter" }).click();
    await page.getByRole("combobox", { name: "Filter 1 field" }).selectOption({ label: "Lifecycle" });
    await page.getByRole("combobox", { name: "Filter 1 value" }).selectOption({ label: "Customer" });
    await page.getByRole("button", { name: "Apply" }).click();
    await page.waitForURL((url) => url.search.includes("lifecycle"));
    await page.getByRole("status").filter({ hasText: "2 contacts" }).waitFor();

    await page.getByRole("button", { name: "Export", exact: true }).click();
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("menuitem", { name: "CSV" }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^contacts-\d{4}-\d{2}-\d{2}\.csv$/);
    const text = await downloadedText(download);
    expect(text.startsWith("\uFEFF")).toBe(true);
    const [header = [], ...rows] = parse(text.slice(1)) as string[][];
    // The shown columns, with the name column as its two parts.
    expect(header.slice(0, 3)).toEqual(["firstName", "lastName", "email"]);
    const lastName = header.indexOf("lastName");
    const firstName = header.indexOf("firstName");
    expect(rows.map((row) => row[lastName]).sort()).toEqual([`${word} Alpha`, `${word} Gamma`]);
    // A name that looks like a formula is written as text.
    expect(rows.map((row) => row[firstName]).sort()).toEqual(["'=Cy", "Ada"]);
  });

  test("an export run as a job downloads from its link as the CSV itself, though stored and sent compressed", async ({
    page,
  }) => {
    await signIn(page, "manager");
    const word = uniqueName("Jobexport");
    for (const firstName of ["Ada", "Bea"]) await api(page, "POST", "/contacts", { firstName, lastName: word });
    const started = await api<{ id: string }>(page, "POST", `/contacts/exports?format=csv&q=${word}`);
    let file = { status: "queued", downloadUrl: null as string | null };
    await expect
      .poll(async () => (file = await api(page, "GET", `/exports/${started.id}`)).status, { timeout: 30_000 })
      .toBe("completed");
    const downloadUrl = file.downloadUrl ?? "";
    // The server sends the stored gzip stream to a client that takes it…
    const encoded = await page.request.fetch(downloadUrl, { headers: { "accept-encoding": "gzip" } });
    expect(encoded.headers()["content-encoding"]).toBe("gzip");
    // …and the browser, downloading from a link as the Export menu's, saves the CSV itself.
    await page.evaluate((href) => {
      const link = Object.assign(document.createElement("a"), { href, download: "", textContent: "Download export" });
      document.body.append(link);
    }, downloadUrl);
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Download export" }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^contacts-\d{4}-\d{2}-\d{2}\.csv$/);
    const text = await downloadedText(download);
    const [header = [], ...rows] = parse(text.replace(/^\uFEFF/, "")) as string[][];
    const firstName = header.indexOf("firstName");
    expect(rows.map((row) => row[firstName]).sort()).toEqual(["Ada", "Bea"]);
  });
});
