/** An expired session sends the user to sign-in, and signing in again returns to the page they wanted. */
import { allowConsoleErrors, describeBrowser, expect, test } from "./support/fixtures.ts";
import { expectUrl, firstRecord, signIn, waitForSettled } from "./support/helpers.ts";

type Contact = { id: string; firstName: string; lastName: string | null };
const nameOf = (c: Contact) => [c.firstName, c.lastName].filter(Boolean).join(" ");

describeBrowser("session expiry", () => {
  test("opening a page without a session: sign in, then back on that page", async ({ page, context }) => {
    await signIn(page, "agent");
    const contact = await firstRecord<Contact>(page, "contacts", "sort=lastName");
    // The dashboard's requests finish first: one in flight when the cookie goes would get a 401.
    await waitForSettled(page);
    await context.clearCookies();

    await page.goto(`/contacts/${contact.id}?tab=details`);
    await expectUrl(page, "/sign-in");
    await page.getByText("Sign in to continue where you were.").waitFor();
    await signIn(page, "agent");
    await expectUrl(page, `/contacts/${contact.id}`);
    await page.getByRole("heading", { level: 1, name: nameOf(contact) }).waitFor();
  });

  test("the session ends while using the app: the next request leads to sign-in and back", async ({
    page,
    context,
  }) => {
    // The API answers 401 to the requests made after the cookie is gone.
    allowConsoleErrors(page, /status of 401 \(Unauthorized\) http:\/\/[^/]+\/api\/v1\//);
    await signIn(page, "manager");
    await waitForSettled(page);
    await context.clearCookies();

    // In-app navigation (no page load): the list's request gets the 401.
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Contacts" }).click();
    await expectUrl(page, "/sign-in");
    expect(new URL(page.url()).searchParams.get("redirect")).toMatch(/^\/contacts/);
    await signIn(page, "manager");
    await expectUrl(page, "/contacts");
    await page.getByRole("heading", { level: 1, name: "Contacts" }).waitFor();
  });
});
