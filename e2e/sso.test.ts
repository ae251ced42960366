/**
 * An admin sets single sign-on up in Settings with a real OpenID provider (oidc-provider on
 * loopback, started by the test), a new person signs in through it from the SSO sign-in page and
 * lands in the workspace with the default role; the admin then deletes the settings.
 */
import { afterAll, beforeAll } from "vitest";
import { newId } from "../src/server/lib/ids.ts";
import { startTestProvider, type TestProvider } from "../src/server/modules/sso/sso.test-provider.ts";
import { allowConsoleErrors, describeBrowser, expect, test } from "./support/fixtures.ts";
import { api, auditPage, expectUrl, openAs, waitForSettled } from "./support/helpers.ts";

let provider: TestProvider;
beforeAll(async () => {
  provider = await startTestProvider();
});
afterAll(async () => {
  await provider.close();
});

describeBrowser("single sign-on", () => {
  test("set up in Settings, then a newcomer signs in through the provider", async ({ page, newPage }) => {
    // GET /api/v1/sso answers 404 until single sign-on is set up; Chromium logs that as an error.
    allowConsoleErrors(page, /status of 404 .* http:\/\/[^/]+\/api\/v1\/sso$/);
    await openAs(page, "admin", "/settings/sso");
    await page.getByRole("heading", { level: 1, name: "Single sign-on" }).waitFor();
    await waitForSettled(page);
    try {
      await page.getByText(/Not set up/).waitFor();
      await auditPage(page, "settings-sso-new");

      // The redirect URI is shown before anything is saved: the provider needs it first.
      const redirectUri = await page.getByLabel("Redirect URI", { exact: true }).inputValue();
      const signInUrl = await page.getByLabel("Sign-in link", { exact: true }).inputValue();
      const client = await provider.registerClient(redirectUri);
      await page.getByLabel("Issuer URL").fill(provider.issuer);
      await page.getByLabel("Client ID").fill(client.clientId);
      await page.getByLabel("Client secret").fill(client.clientSecret);
      await page.getByLabel("Allowed e-mail domains").fill("sso.keel.test");
      await page.getByLabel("Default role").selectOption("viewer");
      await page.getByRole("button", { name: "Save" }).click();
      await page.getByText("On: members can sign in through your provider.").waitFor();
      expect(await page.getByLabel("Client secret").inputValue()).toBe("");
      // Reloaded first: the success toast's green (sonner's richColors) is below 4.5:1, the shell's to fix.
      await page.reload();
      await page.getByText("On: members can sign in through your provider.").waitFor();
      await waitForSettled(page);
      await auditPage(page, "settings-sso");

      // A newcomer, in another browser: the workspace's sign-in name, then the provider, then Keel.
      const id = newId();
      provider.accounts.set(id, { email: `grace-${id}@sso.keel.test`, email_verified: true, name: "Grace Hopper" });
      provider.signInAs = id;
      const member = await newPage();
      await member.goto("/sso");
      await member.getByRole("heading", { name: "Sign in with single sign-on" }).waitFor();
      await auditPage(member, "sso-sign-in");
      const slug = /\/oidc\/([^/]+)\/start$/.exec(signInUrl)?.[1] ?? "";
      await member.getByLabel("Workspace sign-in name").fill(slug);
      await member.getByRole("button", { name: "Continue" }).click();
      await member.getByRole("button", { name: "Account menu for Grace Hopper" }).waitFor();
      await expectUrl(member, "/");
      const me = await api<{ role: string; user: { email: string } }>(member, "GET", "/me");
      expect(me).toMatchObject({ role: "viewer", user: { email: `grace-${id}@sso.keel.test` } });

      await page.getByRole("button", { name: "Delete settings" }).click();
      await page.getByRole("dialog", { name: "Delete the single sign-on settings?" }).waitFor();
      await page.getByRole("dialog").getByRole("button", { name: "Delete settings" }).click();
      await page.getByText("Deleted the single sign-on settings.").waitFor();
      await page.getByText(/Not set up/).waitFor();
    } finally {
      // Leave the demo workspace as it was for the other journeys.
      await page.request.fetch("/api/v1/sso", { method: "DELETE" });
    }
  });
});
