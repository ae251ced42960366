/**
 * An admin creates an API key in Settings, an integration (Node's fetch, no cookies) uses it within
 * its scopes and is refused beyond them, and revoking it in the page ends it at once.
 */
import { describeBrowser, expect, test } from "./support/fixtures.ts";
import {
  accountMenu,
  auditPage,
  expectAbsent,
  expectNoAxeViolations,
  expectUrl,
  openAs,
  signIn,
  uniqueName,
  waitForSettled,
} from "./support/helpers.ts";

type Problem = { status: number; detail?: string };

describeBrowser("API keys", () => {
  test("create a contacts:read key, use it, hit its limit, revoke it", async ({ page, baseUrl }) => {
    await signIn(page, "admin");
    await waitForSettled(page);
    await accountMenu(page, "admin").click();
    await page.getByRole("menuitem", { name: "Settings" }).click();
    await expectUrl(page, "/settings/profile");
    await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "API keys" }).click();
    await expectUrl(page, "/settings/api-keys");
    await page.getByRole("heading", { level: 1, name: "API keys" }).waitFor();
    await waitForSettled(page);

    // A fresh server has no keys: the empty state, which says what a key is for, is checked too.
    if (await page.getByText("No API keys yet").isVisible()) await auditPage(page, "settings-api-keys-empty");

    const name = uniqueName("E2E key ");
    await page.getByRole("button", { name: "Create key" }).first().click();
    const form = page.getByRole("dialog", { name: "Create API key" });
    await form.getByLabel("Name").fill(name);
    await form.getByRole("checkbox", { name: "Read contacts", exact: true }).check();
    await auditPage(page, "settings-api-key-create");
    await form.getByRole("button", { name: "Create key" }).click();

    const shown = page.getByRole("dialog", { name: "Copy your new API key" });
    await shown.getByText("you won’t see it again").waitFor();
    const key = await shown.getByLabel(`Key “${name}”`).inputValue();
    expect(key).toMatch(/^keel_[A-Za-z0-9_-]{43}$/);
    await expectNoAxeViolations(page, "the new key dialog");
    await shown.getByRole("button", { name: "Done" }).click();
    await shown.waitFor({ state: "hidden" });
    await expectAbsent(page.getByText(key), "the key after Done");

    // The integration: Node's fetch with the key, no cookies.
    const call = (method: "GET" | "POST", body?: unknown) =>
      fetch(`${baseUrl}/api/v1/contacts${method === "GET" ? "?limit=1" : ""}`, {
        method,
        headers: {
          authorization: `Bearer ${key}`,
          accept: "application/json",
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    const read = await call("GET");
    expect(read.status).toBe(200);
    expect(((await read.json()) as { data: unknown[] }).data).toHaveLength(1);
    const write = await call("POST", { firstName: "Keyed", lastName: "Integration" });
    expect(write.status).toBe(403);
    expect(((await write.json()) as Problem).detail).toContain("contacts:write");

    // The list shows the key, its use and its status; then the page revokes it.
    const row = page.getByRole("row").filter({ hasText: name });
    await page.reload();
    await waitForSettled(page);
    await row.getByText("Active").waitFor();
    await row.getByText("contacts: read").waitFor();
    await auditPage(page, "settings-api-keys");
    const hasSideScroll = async () =>
      page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
    await page.setViewportSize({ width: 375, height: 812 });
    await page.getByRole("list", { name: "API keys" }).waitFor();
    expect(await hasSideScroll()).toBe(false);
    await page.setViewportSize({ width: 1280, height: 800 });

    await row.getByRole("button", { name: `Revoke ${name}` }).click();
    const confirm = page.getByRole("dialog", { name: `Revoke “${name}”?` });
    await confirm.getByRole("button", { name: "Revoke key" }).click();
    await page.getByText(`Revoked “${name}”.`).waitFor();
    await row.getByText("Revoked", { exact: true }).waitFor();

    const afterRevoke = await call("GET");
    expect(afterRevoke.status).toBe(401);
  });

  test("/settings opens the first settings page an admin may see; the palette goes there too", async ({ page }) => {
    await openAs(page, "admin", "/settings");
    await expectUrl(page, "/settings/profile");
    await page.goto("/");
    await waitForSettled(page);
    await page.keyboard.press("Control+k");
    const palette = page.getByRole("dialog", { name: "Command palette" });
    await page.keyboard.type("API keys", { delay: 20 });
    await palette.getByRole("option", { name: "Settings: API keys" }).click();
    await expectUrl(page, "/settings/api-keys");
  });

  test("a manager's settings hold their profile but no API keys", async ({ page }) => {
    await signIn(page, "manager");
    await waitForSettled(page);
    await accountMenu(page, "manager").click();
    await page.getByRole("menuitem", { name: "Settings" }).click();
    await expectUrl(page, "/settings/profile");
    const settingsNav = page.getByRole("navigation", { name: "Settings" });
    await settingsNav.getByRole("link", { name: "Profile" }).waitFor();
    await expectAbsent(settingsNav.getByRole("link", { name: "API keys" }), "API keys for a manager");
  });
});
