/**
 * Forgot password: the reset e-mail's link, a new password, sign in with it; the old one is
 * refused, and the user is told by e-mail that their password changed.
 */
import { allowConsoleErrors, describeBrowser, expect, test } from "./support/fixtures.ts";
import { accountMenuFor, newAccount, signInWithPassword, signUpAndVerify } from "./support/accounts.ts";
import { auditPage, expectUrl } from "./support/helpers.ts";
import { linkIn, waitForMail } from "./support/mailbox.ts";

describeBrowser("password reset", () => {
  test("forgot → e-mailed link → new password → sign in with it; the old one no longer works", async ({ page }) => {
    // The old password's refusal, and the used link's.
    allowConsoleErrors(
      page,
      /status of 401 .*\/api\/v1\/auth\/sign-in$/,
      /status of 400 .*\/api\/v1\/auth\/reset-password$/,
    );
    const account = newAccount("reset");
    await signUpAndVerify(page, account);
    const newPassword = "harbour violet cinder 58";

    await page.goto("/forgot-password");
    await page.getByRole("heading", { level: 1, name: "Forgot your password?" }).waitFor();
    await page.getByLabel("E-mail").fill(account.email);
    await page.getByRole("button", { name: "Send reset link" }).click();
    await page.getByRole("heading", { level: 1, name: "Check your e-mail" }).waitFor();
    await page.getByText(`If an account exists for ${account.email}`).waitFor();
    await auditPage(page, "forgot-password-sent");

    const link = linkIn(await waitForMail(account.email, "Reset your Keel password"), "/reset-password");
    await page.goto(link);
    await page.getByRole("heading", { level: 1, name: "Choose a new password" }).waitFor();
    const field = page.getByLabel("New password", { exact: true });
    await field.fill(newPassword);
    await page.getByText("Strong enough.").waitFor();
    await auditPage(page, "reset-password");
    await page.getByRole("button", { name: "Set new password" }).click();
    await page.getByRole("heading", { level: 1, name: "Your password is changed" }).waitFor();
    await auditPage(page, "reset-password-done");

    const alert = await waitForMail(account.email, "Your Keel password was changed");
    expect(alert.text).toContain("with a password reset link");
    expect(alert.text).toMatch(/Address: \S+/);

    // The old password is refused.
    await page.getByRole("link", { name: "Sign in" }).click();
    await expectUrl(page, "/sign-in");
    await signInWithPassword(page, account);
    await page.getByRole("alert").waitFor();
    await expectUrl(page, "/sign-in");

    // The new one works.
    await signInWithPassword(page, { email: account.email, password: newPassword });
    await accountMenuFor(page, account.name).waitFor();

    // The link worked once.
    await page.goto(link);
    await page.getByLabel("New password", { exact: true }).fill("another harbour violet 91");
    await page.getByRole("button", { name: "Set new password" }).click();
    await page.getByRole("heading", { level: 1, name: "This link does not work" }).waitFor();
  });
});
