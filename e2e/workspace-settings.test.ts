/**
 * An admin opens Settings → Workspace from the command palette, changes the workspace's currency
 * and adds an activity type, then logs an activity of that type on a deal's timeline. The page is
 * axe-clean in both themes. The admin also turns on, and off again, that agents see only their
 * own records. The workspace's settings are put back afterwards: other journeys share the demo
 * workspace.
 */
import { describeBrowser, expect, test } from "./support/fixtures.ts";
import { api, auditPage, expectUrl, signIn, uniqueName, waitForSettled } from "./support/helpers.ts";

type Settings = {
  baseCurrency: string;
  activityTypes: { key: string; label: string }[];
  agentsSeeOwnRecordsOnly: boolean;
  version: number;
};

describeBrowser("workspace settings", () => {
  test("change the currency and add an activity type, then log an activity of that type", async ({ page }) => {
    await signIn(page, "admin");
    const before = await api<Settings>(page, "GET", "/workspace");
    const currency = before.baseCurrency === "GBP" ? "CHF" : "GBP";
    const typeLabel = uniqueName("Campus visit ");
    try {
      await waitForSettled(page);
      await page.keyboard.press("Control+k");
      const palette = page.getByRole("dialog", { name: "Command palette" });
      await page.keyboard.type("Workspace", { delay: 20 });
      await palette.getByRole("option", { name: "Settings: Workspace" }).click();
      await expectUrl(page, "/settings/workspace");
      await page.getByRole("heading", { level: 1, name: "Workspace" }).waitFor();
      await waitForSettled(page);
      await auditPage(page, "settings-workspace");

      await page.getByLabel("Default currency").selectOption(currency);
      const newType = page.getByRole("textbox", { name: "New activity type" });
      await newType.fill(typeLabel);
      await newType.press("Enter");
      const types = page.getByRole("list", { name: "Activity types" });
      await types.getByRole("textbox", { name: "Activity type 5" }).waitFor();
      expect(await types.getByRole("textbox", { name: "Activity type 5" }).inputValue()).toBe(typeLabel);

      const saved = page.waitForResponse(
        (r) => r.url().endsWith("/api/v1/workspace") && r.request().method() === "PATCH",
      );
      await page.getByRole("button", { name: "Save settings" }).click();
      expect((await saved).status()).toBe(200);
      const settings = (await (await saved).json()) as Settings;
      expect(settings.baseCurrency).toBe(currency);
      const added = settings.activityTypes.find((type) => type.label === typeLabel);
      expect(added?.key).toMatch(/^campus_visit_/);
      await page.getByText("Saved the workspace's settings.").waitFor();

      // After a reload, with the new type in its list, in both themes (auditPage).
      await page.reload();
      await waitForSettled(page);
      await page
        .getByRole("list", { name: "Activity types" })
        .getByRole("textbox", { name: "Activity type 5" })
        .waitFor();
      await auditPage(page, "settings-workspace-saved");

      // A new deal is in the new currency; on its timeline, the new type is offered and logged.
      const deal = await api<{ id: string; currency: string }>(page, "POST", "/deals", {
        name: uniqueName("Visit day "),
      });
      expect(deal.currency).toBe(currency);
      await page.goto(`/deals/${deal.id}`);
      await waitForSettled(page);
      await page.getByRole("tab", { name: "Timeline" }).click();
      await page.getByRole("button", { name: "Log activity" }).click();
      const dialog = page.getByRole("dialog", { name: "Log activity" });
      await dialog.getByRole("group", { name: "Type" }).getByText(typeLabel, { exact: true }).click();
      await dialog.getByLabel("Subject").fill("Toured the library");
      const logged = page.waitForResponse(
        (r) => r.url().endsWith("/api/v1/activities") && r.request().method() === "POST",
      );
      await dialog.getByRole("button", { name: "Log activity" }).click();
      expect((await logged).status()).toBe(201);
      expect(((await (await logged).json()) as { type: string }).type).toBe(added?.key);
      await page.getByText(`${typeLabel} logged.`).waitFor();
      await page.getByRole("article", { name: `${typeLabel}: Toured the library` }).waitFor();
    } finally {
      const now = await api<Settings>(page, "GET", "/workspace");
      await api(
        page,
        "PATCH",
        "/workspace",
        {
          baseCurrency: before.baseCurrency,
          activityTypes: before.activityTypes,
        },
        { "if-match": `"${now.version}"` },
      );
    }
  });

  test("agents see only their own records: turned on, saved, still on after a reload, then off again", async ({
    page,
  }) => {
    await signIn(page, "admin");
    const before = await api<Settings>(page, "GET", "/workspace");
    try {
      if (before.agentsSeeOwnRecordsOnly) {
        await api(
          page,
          "PATCH",
          "/workspace",
          { agentsSeeOwnRecordsOnly: false },
          { "if-match": `"${before.version}"` },
        );
      }
      await page.goto("/settings/workspace");
      await page.getByRole("heading", { level: 1, name: "Workspace" }).waitFor();
      await waitForSettled(page);
      const rule = page.getByRole("checkbox", { name: /^Agents see only their own records/ });
      await page
        .getByText(
          "Agents then see only the contacts, companies, leads, deals, activities and tasks they own or are assigned.",
        )
        .waitFor();
      expect(await rule.isChecked()).toBe(false);

      /** Saves the form: only the rule is sent, and the server stores it. */
      const save = async (isOn: boolean) => {
        const saved = page.waitForResponse(
          (r) => r.url().endsWith("/api/v1/workspace") && r.request().method() === "PATCH",
        );
        await page.getByRole("button", { name: "Save settings" }).click();
        const response = await saved;
        expect(response.status()).toBe(200);
        expect(response.request().postDataJSON()).toEqual({ agentsSeeOwnRecordsOnly: isOn });
        expect(((await response.json()) as Settings).agentsSeeOwnRecordsOnly).toBe(isOn);
      };

      await rule.check();
      await save(true);
      await page.reload();
      await waitForSettled(page);
      expect(await rule.isChecked()).toBe(true);
      expect((await api<Settings>(page, "GET", "/workspace")).agentsSeeOwnRecordsOnly).toBe(true);

      await rule.uncheck();
      await save(false);
      await page.reload();
      await waitForSettled(page);
      expect(await rule.isChecked()).toBe(false);
    } finally {
      const now = await api<Settings>(page, "GET", "/workspace");
      if (now.agentsSeeOwnRecordsOnly !== before.agentsSeeOwnRecordsOnly) {
        await api(
          page,
          "PATCH",
          "/workspace",
          { agentsSeeOwnRecordsOnly: before.agentsSeeOwnRecordsOnly },
          { "if-match": `"${now.version}"` },
        );
      }
    }
  });
});
