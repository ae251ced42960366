/**
 * A visitor signs up on the page, follows the link of the verification e-mail (read from the run's
 * SMTP server), signs in, and lands in their new workspace as its admin.
 */
import { allowConsoleErrors, describeBrowser, expect, test } from "./support/fixtures.ts";
import {
  accountMenuFor,
  newAccount,
  signInWithPassword,
  signUpAndVerify,
  submitSignUp,
  verificationLink,
} from "./support/accounts.ts";
import { api, auditPage, expectUrl, waitForSettled } from "./support/helpers.ts";

type Me = { user: { email: string; name: string }; workspaces: { name: string; role: string }[]; role: string };

describeBrowser("sign-up", () => {
  test("sign up, verify the e-mail from its link, sign in: admin of the new workspace", async ({ page }) => {
    const account = newAccount("signup");
    await page.goto("/sign-up");
    await page.getByRole("heading", { level: 1, name: "Create your account" }).waitFor();
    await auditPage(page, "sign-up");

    // The strength meter rates the password as it is typed.
    const password = page.getByLabel("Password", { exact: true });
    await password.fill("password1234");
    await page.getByText("This is a commonly used password; choose another.").waitFor();
    await password.fill(account.password);
    await page.getByText("Strong enough.").waitFor();
    const score = await page.getByRole("meter", { name: "Password strength" }).getAttribute("aria-valuenow");
    expect(Number(score)).toBeGreaterThanOrEqual(3);
    await auditPage(page, "sign-up-strength");

    await submitSignUp(page, account);
    await page.getByText(account.email).waitFor();
    await auditPage(page, "sign-up-check-your-email");

    const link = await verificationLink(account.email);
    expect(link).toMatch(/^\/verify-email\?token=[\w-]+$/);
    await page.goto(link);
    await page.getByRole("heading", { level: 1, name: "Your e-mail is verified" }).waitFor();
    await auditPage(page, "verify-email-done");

    await page.getByRole("link", { name: "Sign in" }).click();
    await expectUrl(page, "/sign-in");
    await signInWithPassword(page, account);
    await accountMenuFor(page, account.name).waitFor();
    await expectUrl(page, "/");
    await waitForSettled(page);

    await accountMenuFor(page, account.name).click();
    const menu = page.getByRole("menu");
    await menu.getByText(`${account.workspaceName} · Admin`).waitFor();
    await page.keyboard.press("Escape");
    const me = await api<Me>(page, "GET", "/me");
    expect(me.user).toMatchObject({ email: account.email, name: account.name });
    expect(me.workspaces).toEqual([expect.objectContaining({ name: account.workspaceName, role: "admin" })]);
    expect(me.role).toBe("admin");

    // The link worked once: opened again, it says so.
    allowConsoleErrors(page, /status of 400 .*\/api\/v1\/auth\/verify-email$/);
    await page.goto(link);
    await page.getByRole("heading", { level: 1, name: "This link does not work" }).waitFor();
  });
});

describeBrowser("more workspaces", () => {
  test("a new admin opens a second workspace from the account menu, works in it, and switches back", async ({
    page,
  }) => {
    const account = newAccount("second-workspace");
    await signUpAndVerify(page, account);
    await signInWithPassword(page, account);
    await waitForSettled(page);

    await accountMenuFor(page, account.name).click();
    await page.getByRole("menuitem", { name: "New workspace…" }).click();
    const dialog = page.getByRole("dialog", { name: "New workspace" });
    await auditPage(page, "new-workspace");
    const second = `${account.workspaceName} (admissions)`;
    await dialog.getByLabel("Workspace name").fill(second);
    await dialog.getByRole("button", { name: "Create workspace" }).click();
    await page.getByText(`Workspace “${second}” created. You are working in it now.`).waitFor();
    await dialog.waitFor({ state: "detached" });
    expect((await api<Me>(page, "GET", "/me")).workspaces.map((w) => w.name).sort()).toEqual(
      [account.workspaceName, second].sort(),
    );

    // A contact in the new workspace: its dashboard counts it, the first workspace's does not.
    await api(page, "POST", "/contacts", { firstName: "Only", lastName: "Here" });
    await page.reload();
    const contactsFigure = (count: number) =>
      page.getByRole("region", { name: "Totals" }).getByRole("link", { name: `${count} Contacts` });
    await contactsFigure(1).waitFor();

    // The menu lists both and switches, as the header's switcher does (which a phone leaves out);
    // the dashboard on screen follows.
    await page.setViewportSize({ width: 375, height: 740 });
    await accountMenuFor(page, account.name).click();
    const menu = page.getByRole("menu");
    await menu.getByText(`${second} · Admin`).waitFor();
    await menu.getByRole("menuitemradio", { name: account.workspaceName, exact: true }).click();
    await contactsFigure(0).waitFor();
    await accountMenuFor(page, account.name).click();
    await page.getByRole("menu").getByText(`${account.workspaceName} · Admin`).waitFor();
    await page.getByRole("menu").getByRole("menuitemradio", { name: second, exact: true }).click();
    await contactsFigure(1).waitFor();
  });
});
