/**
 * A member chooses German in their profile: the navigation and the page speak German at once,
 * `<html lang>` says so, and a reload keeps it (the choice is stored with the account). The
 * profile page is axe-clean in German in both themes, and the server's refusal of a wrong password
 * reads in German. "Browser default" brings back the browser's
 * language (English here). The demo account's language is put back afterwards: other journeys
 * sign in with it and expect English.
 */
import type { Page } from "playwright-core";
import { allowConsoleErrors, describeBrowser, expect, test } from "./support/fixtures.ts";
import { demoPassword } from "../src/server/modules/seed/demo-accounts.ts";
import {
  accountMenu,
  api,
  auditPage,
  demoUser,
  expectAbsent,
  expectUrl,
  signIn,
  waitForSettled,
} from "./support/helpers.ts";

type Me = { user: { locale: "en" | "de" | null } };

/** Chooses an option of the language select by its visible name; resolves with the answer of PATCH /me. */
async function chooseLanguage(page: Page, selectLabel: string, option: string): Promise<Me> {
  const saved = page.waitForResponse((r) => r.url().endsWith("/api/v1/me") && r.request().method() === "PATCH");
  await page.getByLabel(selectLabel, { exact: true }).selectOption({ label: option });
  const response = await saved;
  expect(response.status()).toBe(200);
  return (await response.json()) as Me;
}

const htmlLang = (page: Page) => page.evaluate(() => document.documentElement.lang);

describeBrowser("interface language", () => {
  test("choose Deutsch in the profile, keep it over a reload, then go back to the browser's language", async ({
    page,
  }) => {
    await signIn(page, "agent");
    try {
      await waitForSettled(page);
      expect(await htmlLang(page)).toBe("en");
      await accountMenu(page, "agent").click();
      await page.getByRole("menuitem", { name: "Settings" }).click();
      await expectUrl(page, "/settings/profile");
      await page.getByRole("heading", { level: 1, name: "Profile", exact: true }).waitFor();
      await waitForSettled(page);

      const chosen = await chooseLanguage(page, "Interface language", "Deutsch");
      expect(chosen.user.locale).toBe("de");

      // The page and the navigation around it, in German at once.
      await page.getByRole("heading", { level: 1, name: "Profil", exact: true }).waitFor();
      await page.getByText("Sprache gespeichert.").waitFor();
      await expectGerman(page);

      // Stored with the account: a reload (which starts in the browser's language) comes back German.
      await page.reload();
      await page.getByRole("heading", { level: 1, name: "Profil", exact: true }).waitFor();
      await waitForSettled(page);
      await expectGerman(page);
      expect(await page.getByLabel("Sprache der Oberfläche", { exact: true }).inputValue()).toBe("de");
      // In both themes (auditPage).
      await auditPage(page, "settings-profile-de");

      // The server's refusal (it answers in English) is shown in German too, beside its field.
      allowConsoleErrors(page, /status of 400 .*\/api\/v1\/me\/password$/);
      await page.getByLabel("Aktuelles Passwort", { exact: true }).fill("not the password");
      await page.getByLabel("Neues Passwort", { exact: true }).fill("Quiet harbour lanterns 2026");
      const refused = page.waitForResponse((r) => r.url().endsWith("/api/v1/me/password"));
      await page.getByRole("button", { name: "Passwort ändern", exact: true }).click();
      expect((await refused).status()).toBe(400);
      await page.getByText("Falsches Passwort.").waitFor();
      await expectAbsent(page.getByText("Wrong password"), "the server's English words");

      // Signed out, the browser's language (English); signing in again brings the chosen one back
      // at once, without a reload (signing in replaces the cached account the shell follows).
      await page.context().clearCookies();
      await page.goto("/sign-in");
      await page.getByLabel("E-mail").fill(demoUser("agent").email);
      await page.getByLabel("Password").fill(demoPassword);
      await page.getByRole("button", { name: "Sign in", exact: true }).click();
      await page.getByRole("link", { name: "Kontakte", exact: true }).first().waitFor();
      expect(await htmlLang(page)).toBe("de");
      await page.goto("/settings/profile");
      await page.getByRole("heading", { level: 1, name: "Profil", exact: true }).waitFor();
      await waitForSettled(page);

      // "Browser default" follows the browser again: English (the browser speaks en-US).
      const reset = await chooseLanguage(page, "Sprache der Oberfläche", "Browser-Standard");
      expect(reset.user.locale).toBeNull();
      await page.getByRole("heading", { level: 1, name: "Profile", exact: true }).waitFor();
      expect(await htmlLang(page)).toBe("en");
      await page.getByRole("link", { name: "Contacts", exact: true }).first().waitFor();
      expect(await page.getByLabel("Interface language", { exact: true }).inputValue()).toBe("");
    } finally {
      await api(page, "PATCH", "/me", { locale: null });
    }
  });
});

/** German around and on the profile page: `<html lang>`, the sidebar, the settings list, the sections. */
async function expectGerman(page: Page): Promise<void> {
  await expect.poll(() => htmlLang(page)).toBe("de");
  await page.getByRole("link", { name: "Kontakte", exact: true }).first().waitFor();
  const settings = page.getByRole("navigation", { name: "Einstellungen" });
  await settings.getByRole("link", { name: "Profil", exact: true }).waitFor();
  await page.getByRole("heading", { level: 2, name: "Sprache", exact: true }).waitFor();
  await page.getByRole("heading", { level: 2, name: "Passwort", exact: true }).waitFor();
  await page.getByRole("list", { name: "Meine Sitzungen" }).waitFor();
  expect(await page.getByRole("link", { name: "Contacts", exact: true }).count()).toBe(0);
}
