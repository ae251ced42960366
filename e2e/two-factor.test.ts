/**
 * A new user turns on two-factor sign-in on their profile (QR code and key, a code from the "app",
 * backup codes shown once), signs out, and signs in again with password and code; then with a
 * backup code; finally turns it off. The app's codes are computed here with otpauth, as a phone would.
 */
import { Secret, TOTP } from "otpauth";
import type { Page } from "playwright-core";
import { accountMenuFor, newAccount, signInWithPassword, signUpAndVerify } from "./support/accounts.ts";
import { allowConsoleErrors, describeBrowser, expect, test } from "./support/fixtures.ts";
import { auditPage, expectNoAxeViolations, expectUrl, waitForSettled } from "./support/helpers.ts";
import { waitForMail } from "./support/mailbox.ts";

/** The code an authenticator app shows `steps` 30-second steps from now. */
function codeOf(secret: string, steps = 0): string {
  return TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: Date.now() + steps * 30_000 });
}

async function signOut(page: Page, name: string): Promise<void> {
  await accountMenuFor(page, name).click();
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await expectUrl(page, "/sign-in");
}

describeBrowser("two-factor sign-in", () => {
  test("turn it on in the profile, then sign in with a code, with a backup code, and turn it off", async ({ page }) => {
    // Wrong codes are answered 401 on purpose below.
    allowConsoleErrors(page, /status of 401 .*\/api\/v1\/auth\/two-factor$/);
    const account = newAccount("twofactor");
    await signUpAndVerify(page, account);
    await signInWithPassword(page, account);
    await accountMenuFor(page, account.name).waitFor();

    await page.goto("/settings/profile");
    await page.getByRole("heading", { level: 1, name: "Profile" }).waitFor();
    await waitForSettled(page);
    const section = page.getByRole("region", { name: "Two-factor sign-in" });
    await section.getByText("Off.").waitFor();
    await section.getByRole("button", { name: "Turn on" }).click();

    const setup = page.getByRole("dialog", { name: "Turn on two-factor sign-in" });
    await setup.getByRole("img", { name: /QR code/ }).waitFor();
    expect(await setup.getByRole("img", { name: /QR code/ }).getAttribute("src")).toMatch(/^data:image\/svg\+xml/);
    await auditPage(page, "two-factor-setup");
    const secret = (await setup.getByLabel("Key for typing by hand").inputValue()).replaceAll(" ", "");
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await setup.getByLabel("Code from your app").fill(codeOf(secret));
    await setup.getByRole("button", { name: "Turn on" }).click();

    const saved = page.getByRole("dialog", { name: "Save your backup codes" });
    await saved.getByText("shown only this once").waitFor();
    const backupCodes = await saved.getByRole("list", { name: "Backup codes" }).getByRole("listitem").allTextContents();
    expect(backupCodes).toHaveLength(10);
    for (const code of backupCodes) expect(code).toMatch(/^[a-z2-7]{5}-[a-z2-7]{5}$/);
    await auditPage(page, "two-factor-backup-codes");
    await saved.getByRole("button", { name: "Done" }).click();
    await saved.waitFor({ state: "hidden" });
    await section.getByText("10 backup codes left.").waitFor();
    await expectNoAxeViolations(page, "the profile with two-factor sign-in on");

    // Password, then a code: the app's next code (the one that turned it on is spent).
    await signOut(page, account.name);
    await signInWithPassword(page, account);
    await page.getByRole("heading", { level: 1, name: "Two-factor sign-in" }).waitFor();
    const code = page.getByLabel("Code from your app");
    expect(await code.getAttribute("autocomplete")).toBe("one-time-code");
    expect(await code.getAttribute("inputmode")).toBe("numeric");
    await auditPage(page, "sign-in-two-factor");
    const right = new Set([-1, 0, 1, 2].map((steps) => codeOf(secret, steps)));
    const wrong = ["000000", "111111", "222222", "333333", "444444"].find((c) => !right.has(c)) ?? "555555";
    await code.fill(wrong);
    await page.getByRole("button", { name: "Continue" }).click();
    await page.getByRole("alert").filter({ hasText: "Wrong code" }).waitFor();
    expect(await code.getAttribute("aria-invalid")).toBe("true");
    await code.fill(codeOf(secret, 1));
    await page.getByRole("button", { name: "Continue" }).click();
    await accountMenuFor(page, account.name).waitFor();
    await expectUrl(page, "/");

    // Password, then a backup code.
    await signOut(page, account.name);
    await signInWithPassword(page, account);
    await page.getByRole("button", { name: "Use a backup code instead" }).click();
    await page.getByLabel("Backup code").fill(backupCodes[0] ?? "");
    await auditPage(page, "sign-in-backup-code");
    await page.getByRole("button", { name: "Continue" }).click();
    await accountMenuFor(page, account.name).waitFor();

    // Turned off with the password and a backup code: an alert e-mail, and the password alone signs in.
    await page.goto("/settings/profile");
    await section.getByText("9 backup codes left.").waitFor();
    await section.getByRole("button", { name: "Turn off" }).click();
    const off = page.getByRole("dialog", { name: "Turn off two-factor sign-in?" });
    await off.getByLabel("Password").fill(account.password);
    await off.getByLabel("Code from your app, or a backup code").fill(backupCodes[1] ?? "");
    await expectNoAxeViolations(page, "the turn-off dialog");
    await off.getByRole("button", { name: "Turn off" }).click();
    await page.getByText("Two-factor sign-in is off.").waitFor();
    await section.getByText("Off.").waitFor();
    const alert = await waitForMail(account.email, "Two-factor sign-in was turned off");
    expect(alert.text).toContain("turned off");
    await signOut(page, account.name);
    await signInWithPassword(page, account);
    await accountMenuFor(page, account.name).waitFor();
  });

  test("the sign-in page leads to single sign-on, a forgotten password and a new account", async ({ page }) => {
    for (const [name, path] of [
      ["Sign in with single sign-on", "/sso"],
      ["Forgot your password?", "/forgot-password"],
      ["Create an account", "/sign-up"],
    ] as const) {
      await page.goto("/sign-in");
      await page.getByRole("link", { name }).click();
      await expectUrl(page, path);
    }
  });
});
