/**
 * The account pages of Settings: an admin changes a member's role (and cannot demote the last
 * admin); the profile lists the person's sessions with this one marked and signs another out; the
 * admin's sign-in history and outbox; and axe on every account page at 1280 px and 375 px.
 */
import type { Page } from "playwright-core";
import { allowConsoleErrors, describeBrowser, expect, test } from "./support/fixtures.ts";
import { accountMenuFor, newAccount, signInWithPassword, signUpAndVerify } from "./support/accounts.ts";
import { accountMenu, api, auditPage, demoUser, signIn, waitForSettled, type Page1 } from "./support/helpers.ts";

type Member = { id: string; name: string; role: string };

async function members(page: Page): Promise<Member[]> {
  return (await api<Page1<Member>>(page, "GET", "/users?limit=200")).data;
}

async function openSettings(page: Page, path: string, heading: string): Promise<void> {
  await page.goto(path);
  await page.getByRole("heading", { level: 1, name: heading }).waitFor();
  await waitForSettled(page);
}

describeBrowser("account administration", () => {
  test("an admin changes a member's role on the Users page; the member's next sign-in has it", async ({
    page,
    newPage,
  }) => {
    allowConsoleErrors(page, /status of 422 .*\/api\/v1\/users\/[\w-]+$/);
    const viewer = demoUser("viewer");
    await signIn(page, "admin");
    const vera = (await members(page)).find((m) => m.name === viewer.name);
    if (!vera) throw new Error("The demo viewer is not a member");
    try {
      await openSettings(page, "/settings/users", "Users");
      const role = page.getByLabel(`Role of ${viewer.name}`);
      expect(await role.inputValue()).toBe("viewer");
      await role.selectOption("agent");
      await page.getByText(`${viewer.name} is now agent.`).waitFor();
      expect((await members(page)).find((m) => m.id === vera.id)?.role).toBe("agent");
      await page.reload();
      await waitForSettled(page);
      expect(await page.getByLabel(`Role of ${viewer.name}`).inputValue()).toBe("agent");

      // The member sees their new role.
      const member = await newPage();
      await signIn(member, "viewer");
      await accountMenu(member, "viewer").click();
      expect(await member.getByRole("menu").textContent()).toMatch(/· Agent/);

      // The last admin cannot be demoted: the refusal is shown at that member, the role kept.
      const admin = demoUser("admin");
      await page.getByLabel(`Role of ${admin.name}`).selectOption("viewer");
      const refusal = page.getByRole("listitem").filter({ hasText: admin.email }).getByRole("alert");
      await refusal.waitFor();
      expect(await refusal.textContent()).toContain("last admin");
      expect(await page.getByLabel(`Role of ${admin.name}`).inputValue()).toBe("admin");
      await auditPage(page, "settings-users-refusal");

      await page.getByLabel(`Role of ${viewer.name}`).selectOption("viewer");
      await page.getByText(`${viewer.name} is now viewer.`).waitFor();
    } finally {
      // Other journeys sign in as the demo viewer and expect a viewer.
      await api(page, "PATCH", `/users/${vera.id}`, { role: "viewer" });
    }
  });

  test("the profile lists my sessions, this one marked; another is signed out from here", async ({ page, newPage }) => {
    const account = newAccount("profile");
    await signUpAndVerify(page, account);
    await signInWithPassword(page, account);
    await accountMenuFor(page, account.name).waitFor();
    const other = await newPage();
    await signInWithPassword(other, account);
    await accountMenuFor(other, account.name).waitFor();

    await openSettings(page, "/settings/profile", "Profile");
    const sessions = page.getByRole("list", { name: "My sessions" });
    await expect.poll(() => sessions.getByRole("listitem").count()).toBe(2);
    const current = sessions.getByRole("listitem").filter({ hasText: "This session" });
    expect(await current.count()).toBe(1);
    expect(await current.getByRole("button").count()).toBe(0);
    await page.getByRole("list", { name: "My sign-ins" }).getByText("Signed in").first().waitFor();
    await auditPage(page, "settings-profile");

    await sessions
      .getByRole("listitem")
      .filter({ hasNotText: "This session" })
      .getByRole("button", { name: /^Sign out / })
      .click();
    await page.getByText(/^Signed out .+\.$/).waitFor();
    await expect.poll(() => sessions.getByRole("listitem").count()).toBe(1);
    const response = await other.request.get("/api/v1/me");
    expect(response.status()).toBe(401);

    // The name is changed here, and the shell shows it at once.
    const renamed = `${account.name} Hopper`;
    await page.getByLabel("Name", { exact: true }).fill(renamed);
    await page.getByRole("button", { name: "Save name" }).click();
    await page.getByText("Name saved.").waitFor();
    await accountMenuFor(page, renamed).waitFor();
  });

  test("the admin's sign-in history narrows to one member, and the outbox explains itself", async ({
    page,
    newPage,
  }) => {
    const agent = demoUser("agent");
    await signIn(await newPage(), "agent");
    await signIn(page, "admin");
    await openSettings(page, "/settings/sign-ins", "Sign-in history");
    await page.getByLabel("Member").selectOption({ label: `${agent.name} (${agent.email})` });
    const list = page.getByRole("list", { name: "Sign-ins" });
    await list.getByText(agent.name).first().waitFor();
    const who = await list.getByRole("listitem").allTextContents();
    expect(who.length).toBeGreaterThan(0);
    expect(who.every((text) => text.includes(agent.email))).toBe(true);
    await auditPage(page, "settings-sign-ins");

    await openSettings(page, "/settings/outbox", "Mail outbox");
    await page.getByText(/^While no SMTP server is configured/).waitFor();
    await auditPage(page, "settings-outbox");
  });

  test("the signed-out account pages pass axe at both widths", async ({ page }) => {
    await page.goto("/forgot-password");
    await page.getByRole("heading", { level: 1, name: "Forgot your password?" }).waitFor();
    await auditPage(page, "forgot-password");

    await page.goto("/reset-password?token=not-a-real-token");
    await page.getByRole("heading", { level: 1, name: "Choose a new password" }).waitFor();
    await auditPage(page, "reset-password-form");

    await page.goto("/verify-email");
    await page.getByRole("heading", { level: 1, name: "This link does not work" }).waitFor();
    await auditPage(page, "verify-email-invalid");

    await page.goto("/sign-up");
    await page.getByRole("heading", { level: 1, name: "Create your account" }).waitFor();
    await auditPage(page, "sign-up-empty");
  });
});
