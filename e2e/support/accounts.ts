/**
 * Accounts made the way a visitor makes one: the sign-up page, the verification e-mail (read from
 * the run's SMTP server), its link. Journeys that need a fresh account of their own (one whose
 * password they may change, or whose two-factor sign-in they may turn on) start here.
 *
 *   const account = newAccount("reset");
 *   await signUpAndVerify(page, account);
 *   await signInWithPassword(page, account);
 */
import type { Page } from "playwright-core";
import { linkIn, waitForMail } from "./mailbox.ts";
import { uniqueName } from "./helpers.ts";

export type NewAccount = { name: string; email: string; password: string; workspaceName: string };

/** A strong password (zxcvbn score 4, not common): the server takes it. */
export const strongPassword = "lantern orbit meadow 74";

/** Details for a new account nobody has used: a unique e-mail address and workspace name. */
export function newAccount(label = "signup"): NewAccount {
  const id = uniqueName(label).toLowerCase();
  return {
    name: `Grace ${id}`,
    email: `${id}@e2e.keel.test`,
    password: strongPassword,
    workspaceName: `Workspace ${id}`,
  };
}

/** Fills and sends the sign-up form, then waits for "Check your e-mail". */
export async function submitSignUp(page: Page, account: NewAccount): Promise<void> {
  await page.goto("/sign-up");
  await page.getByLabel("Your name").fill(account.name);
  await page.getByLabel("E-mail").fill(account.email);
  await page.getByLabel("Password", { exact: true }).fill(account.password);
  await page.getByLabel("Workspace name").fill(account.workspaceName);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.getByRole("heading", { level: 1, name: "Check your e-mail" }).waitFor();
}

/** The verification link of the newest sign-up e-mail to `email`, as a path with its query. */
export async function verificationLink(email: string): Promise<string> {
  return linkIn(await waitForMail(email, "Confirm your e-mail"), "/verify-email");
}

/**
 * Signs up through the page, opens the link of the verification e-mail and waits until the page
 * says the address is verified: the account and its workspace (the person is its admin) exist.
 * The page is left signed out, on the verified page.
 */
export async function signUpAndVerify(page: Page, account: NewAccount): Promise<void> {
  await submitSignUp(page, account);
  await page.goto(await verificationLink(account.email));
  await page.getByRole("heading", { level: 1, name: "Your e-mail is verified" }).waitFor();
}

/**
 * Fills the sign-in form with an e-mail and password and sends it; does not wait for what comes
 * next (the app, a two-factor challenge, or an error). Starts at /sign-in unless already there.
 */
export async function signInWithPassword(page: Page, account: { email: string; password: string }): Promise<void> {
  if (!new URL(page.url() === "about:blank" ? "http://x/" : page.url()).pathname.startsWith("/sign-in")) {
    await page.goto("/sign-in");
  }
  await page.getByLabel("E-mail").fill(account.email);
  await page.getByLabel("Password", { exact: true }).fill(account.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

/** The account menu button of the shell for a person by name: there once they are signed in. */
export function accountMenuFor(page: Page, name: string) {
  return page.getByRole("button", { name: `Account menu for ${name}` });
}
