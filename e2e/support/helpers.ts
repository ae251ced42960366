/** What the journeys do again and again: sign in, wait for a page, check accessibility, take screenshots, call the API. */
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { Download, Locator, Page } from "playwright-core";
import { demoAccounts, demoPassword } from "../../src/server/modules/seed/demo-accounts.ts";
import { resultsDir } from "./env.ts";
import { desktopViewport, phoneViewport } from "./fixtures.ts";

export type Role = (typeof demoAccounts)[number]["role"];
export const roles: readonly Role[] = demoAccounts.map((a) => a.role);

export function demoUser(role: Role): (typeof demoAccounts)[number] {
  const account = demoAccounts.find((a) => a.role === role);
  if (!account) throw new Error(`No demo account has the role ${role}`);
  return account;
}

/** The account menu button of the shell: shown, at every width, once someone is signed in. */
export function accountMenu(page: Page, role: Role): Locator {
  return page.getByRole("button", { name: `Account menu for ${demoUser(role).name}` });
}

/**
 * Signs in as a demo user through the sign-in form, as a person would. Starts at /sign-in unless
 * the page is already there (e.g. sent there by an expired session).
 */
export async function signIn(page: Page, role: Role): Promise<void> {
  if (!new URL(page.url() === "about:blank" ? "http://x/" : page.url()).pathname.startsWith("/sign-in")) {
    await page.goto("/sign-in");
  }
  const account = demoUser(role);
  await page.getByLabel("E-mail").fill(account.email);
  await page.getByLabel("Password").fill(demoPassword);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await accountMenu(page, role).waitFor();
}

/**
 * Signs in as a demo user through the API: the session cookie lands in the page's context. For
 * journeys about something other than signing in, it spares them the sign-in page and the
 * dashboard it leads to.
 */
export async function signInThroughApi(page: Page, role: Role): Promise<void> {
  const response = await page.request.post("/api/v1/auth/sign-in", {
    data: { email: demoUser(role).email, password: demoPassword },
  });
  if (!response.ok()) throw new Error(`Signing in as ${role} answered ${response.status()}: ${await response.text()}`);
}

/** Signs in as a demo user through the API and opens `path` once the shell knows the user. */
export async function openAs(page: Page, role: Role, path: string): Promise<void> {
  await signInThroughApi(page, role);
  await page.goto(path);
  await accountMenu(page, role).waitFor();
}

/** Waits until the page shows no loading skeleton or "Loading" status and the main heading is there. */
export async function waitForSettled(page: Page): Promise<void> {
  await page.getByRole("heading", { level: 1 }).first().waitFor();
  await waitForNothingLoading(page);
  // One more frame so effects of the last render (virtual rows, focus) have run.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}

/**
 * Waits until no loading skeleton or "Loading" status is on the page, checking every 100 ms
 * (polling on every animation frame would keep Chromium painting while it waits).
 */
async function waitForNothingLoading(page: Page): Promise<void> {
  const loading = '[role="status"][aria-label="Loading"], [data-skeleton]';
  await page.waitForFunction((selector) => document.querySelectorAll(selector).length === 0, loading, {
    polling: 100,
  });
}

export async function expectUrl(page: Page, pathname: string | RegExp): Promise<void> {
  await page.waitForURL((url) =>
    typeof pathname === "string" ? url.pathname === pathname : pathname.test(url.pathname + url.search),
  );
}

/** Fails unless the locator matches nothing; call it once the page has settled. */
export async function expectAbsent(locator: Locator, what: string): Promise<void> {
  const count = await locator.count();
  if (count !== 0) throw new Error(`Expected no ${what}, found ${count}`);
}

// ---- API (same cookies as the page) ------------------------------------------------------------

export type Page1<T> = { data: T[]; nextCursor: string | null };

export async function api<T>(
  page: Page,
  method: "GET" | "POST" | "PATCH" | "DELETE",
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  const response = await page.request.fetch(`/api/v1${path}`, {
    method,
    headers: {
      accept: "application/json",
      ...(body === undefined ? {} : { "content-type": "application/json" }),
      ...headers,
    },
    ...(body === undefined ? {} : { data: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok()) throw new Error(`${method} /api/v1${path} answered ${response.status()}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

export async function firstRecord<T extends { id: string }>(page: Page, collection: string, query = ""): Promise<T> {
  const list = await api<Page1<T>>(page, "GET", `/${collection}?limit=1${query ? `&${query}` : ""}`);
  const record = list.data[0];
  if (!record) throw new Error(`No ${collection} matched ${query || "(no filter)"}`);
  return record;
}

/**
 * A finished download's content as text. Read as a stream: the tests' Chromium runs as a server
 * they connect to (global-setup.ts), where a download has no local path.
 */
export async function downloadedText(download: Download): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

let uniqueCounter = 0;
/** A name no seeded record has, so a test finds exactly what it created. */
export function uniqueName(prefix: string): string {
  uniqueCounter += 1;
  return `${prefix}${Date.now().toString(36)}${uniqueCounter}`;
}

// ---- Accessibility ------------------------------------------------------------------------------

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

type AxeNode = { target: unknown[]; html: string; failureSummary?: string };
type AxeViolation = { id: string; impact: string | null; help: string; helpUrl: string; nodes: AxeNode[] };

/**
 * Runs axe-core on the page as it is now and returns its violations, one readable block each.
 * axe is injected through the DevTools protocol (page.evaluate), which the app's strict CSP
 * (script-src 'self') does not block, so the page is tested with its real CSP in force.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  const isLoaded = await page.evaluate(() => "axe" in window);
  if (!isLoaded) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: unknown[] }> } }
    ).axe;
    const result = await axe.run(document, { resultTypes: ["violations"] });
    return result.violations;
  });
  return (violations as AxeViolation[]).map((v) => {
    const nodes = v.nodes
      .slice(0, 5)
      .map(
        (n) =>
          `    - ${n.target.join(" ")}\n      ${n.html.slice(0, 160)}\n      ${(n.failureSummary ?? "").replace(/\n\s*/g, " ")}`,
      )
      .join("\n");
    const more = v.nodes.length > 5 ? `\n    … and ${v.nodes.length - 5} more` : "";
    return `  ${v.id} (${v.impact ?? "?"}): ${v.help} — ${v.helpUrl}\n${nodes}${more}`;
  });
}

export async function expectNoAxeViolations(page: Page, label: string): Promise<void> {
  const violations = await axeViolations(page);
  if (violations.length > 0)
    throw new Error(`axe found ${violations.length} violation(s) on ${label}:\n${violations.join("\n")}`);
}

// ---- Screenshots --------------------------------------------------------------------------------

export const screenshotDir = join(resultsDir, "screenshots");

/** Screenshots of the page at 1280 px and at 375 px wide, into test-results/screenshots/NAME-WIDTH.png. */
export async function screenshot(page: Page, name: string): Promise<string[]> {
  mkdirSync(screenshotDir, { recursive: true });
  const files: string[] = [];
  for (const viewport of [desktopViewport, phoneViewport]) {
    await page.setViewportSize(viewport);
    await settleLayout(page);
    const file = join(screenshotDir, `${name}-${viewport.width}.png`);
    await screenshotTop(page, file);
    files.push(file);
  }
  await page.setViewportSize(desktopViewport);
  return files;
}

const isDark = (page: Page) => page.evaluate(() => document.documentElement.classList.contains("dark"));

/** Switches the emulated operating system's theme and waits until the app has followed it. */
async function useColorScheme(page: Page, dark: boolean): Promise<void> {
  await page.emulateMedia({ colorScheme: dark ? "dark" : "light" });
  await page.waitForFunction((wanted) => document.documentElement.classList.contains("dark") === wanted, dark, {
    timeout: 5_000,
    polling: 100,
  });
}

/**
 * The whole page, down to a height a reviewer reads: a phone's list of cards runs to tens of
 * thousands of pixels, and capturing all of them costs seconds per screenshot.
 */
async function screenshotTop(page: Page, file: string): Promise<void> {
  const { width, height } = await page.evaluate(() => ({
    width: document.documentElement.scrollWidth,
    height: document.documentElement.scrollHeight,
  }));
  await page.screenshot({ path: file, fullPage: true, clip: { x: 0, y: 0, width, height: Math.min(height, 4_000) } });
}

async function settleLayout(page: Page): Promise<void> {
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  await waitForNothingLoading(page);
}

/**
 * The check of every page: axe at 1280 px and at 375 px, in the light theme and in the dark one
 * (the operating system's, which the app follows while open), and a screenshot of each. Takes the
 * screenshots even when axe finds something, then fails with every violation found. Leaves the
 * page in the theme it found, at 1280 px.
 */
export async function auditPage(page: Page, name: string): Promise<void> {
  const failures: string[] = [];
  mkdirSync(screenshotDir, { recursive: true });
  const wasDark = await isDark(page);
  for (const dark of [wasDark, !wasDark]) {
    await useColorScheme(page, dark);
    for (const viewport of [desktopViewport, phoneViewport]) {
      await page.setViewportSize(viewport);
      await settleLayout(page);
      const violations = await axeViolations(page);
      const where = `at ${viewport.width} px in the ${dark ? "dark" : "light"} theme`;
      if (violations.length > 0)
        failures.push(`${where}, ${violations.length} violation(s):\n${violations.join("\n")}`);
      const file = `${name}${dark ? "-dark" : ""}-${viewport.width}.png`;
      await screenshotTop(page, join(screenshotDir, file));
    }
  }
  await useColorScheme(page, wasDark);
  await page.setViewportSize(desktopViewport);
  if (failures.length > 0) throw new Error(`axe on ${name} (${page.url()}):\n${failures.join("\n")}`);
}
