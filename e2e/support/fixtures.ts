/**
 * The browser test API: `test` gives each test a fresh browser context and page on the run's one
 * server, and fails the test when the page logs a console error or throws; `describeBrowser`
 * skips a journey (honestly, as skipped) when Chromium is not installed.
 *
 *   describeBrowser("contacts", () => {
 *     test("create a contact", async ({ page }) => { … });
 *   });
 */
import { chromium, type Browser, type BrowserContext, type ConsoleMessage, type Page } from "playwright-core";
import { describe, inject, test as base } from "vitest";
import { hasChromium } from "./env.ts";

export const describeBrowser = describe.skipIf(!hasChromium);

/** The first width every page is checked at; screenshots add the narrow one. */
export const desktopViewport = { width: 1280, height: 800 };
export const phoneViewport = { width: 375, height: 812 };
const actionTimeoutMs = 15_000;

type Watch = { problems: string[]; allowed: RegExp[]; failedApiCalls: Promise<string>[] };
const watches = new WeakMap<Page, Watch>();

/**
 * Expected by design: the app asks GET /api/v1/me to learn whether someone is signed in, and it
 * answers 401 when nobody is; Chromium logs that response as a console error.
 */
const alwaysAllowed = [
  /^Failed to load resource: the server responded with a status of 401 .* http:\/\/[^/]+\/api\/v1\/me$/,
];

function describeConsole(message: ConsoleMessage): string {
  const { url } = message.location();
  return url ? `${message.text()} ${url}` : message.text();
}

/** Records console errors and uncaught errors of a page; checked when the test ends. */
export function watchPage(page: Page): Page {
  const watch: Watch = { problems: [], allowed: [...alwaysAllowed], failedApiCalls: [] };
  watches.set(page, watch);
  // The answers of failed API calls, to explain console errors about them.
  page.on("response", (response) => {
    if (response.status() < 400 || !new URL(response.url()).pathname.startsWith("/api/")) return;
    const call = `${response.status()} ${response.request().method()} ${response.url()}`;
    watch.failedApiCalls.push(
      response.text().then(
        (body) => `${call}: ${body.slice(0, 400)}`,
        () => call,
      ),
    );
  });
  page.on("console", (message) => {
    if (message.type() === "error") watch.problems.push(describeConsole(message));
  });
  page.on("pageerror", (error) => watch.problems.push(`Uncaught ${error.name}: ${error.message}`));
  page.on("crash", () => watch.problems.push("The page crashed"));
  return page;
}

/** Lets a test expect console errors (e.g. the 412 of a conflicting save); matched against "text url". */
export function allowConsoleErrors(page: Page, ...patterns: RegExp[]): void {
  watches.get(page)?.allowed.push(...patterns);
}

/** Throws when the page logged console errors or threw, other than allowed ones. */
export async function assertNoPageProblems(page: Page, name = "page"): Promise<void> {
  const watch = watches.get(page);
  if (!watch) return;
  const unexpected = watch.problems.filter((p) => !watch.allowed.some((pattern) => pattern.test(p)));
  if (unexpected.length > 0) {
    const calls = await Promise.all(watch.failedApiCalls);
    const answers = calls.length > 0 ? `\nFailed API calls of this page:\n- ${calls.join("\n- ")}` : "";
    throw new Error(
      `The ${name} logged ${unexpected.length} console error(s) or uncaught error(s):\n- ${unexpected.join("\n- ")}${answers}`,
    );
  }
}

function serverUrl(): string {
  const run = inject("e2e");
  if (run.state === "ready") return run.baseUrl;
  throw new Error(run.message);
}

async function newContext(browser: Browser, baseUrl: string): Promise<BrowserContext> {
  const context = await browser.newContext({
    baseURL: baseUrl,
    viewport: desktopViewport,
    locale: "en-US",
    timezoneId: "UTC",
    reducedMotion: "reduce",
  });
  context.setDefaultTimeout(actionTimeoutMs);
  context.setDefaultNavigationTimeout(30_000);
  return context;
}

type Fixtures = {
  /** The origin of the run's Keel server. */
  baseUrl: string;
  /** The run's one Chromium (global-setup.ts), connected once per test file. */
  browser: Browser;
  /** A fresh context (no cookies, no storage) per test. */
  context: BrowserContext;
  page: Page;
  /** Another signed-out browser context and page, e.g. a second user editing at the same time. */
  newPage: () => Promise<Page>;
};

export const test = base.extend<Fixtures>({
  baseUrl: [
    // eslint-disable-next-line no-empty-pattern -- Vitest reads fixture dependencies from this pattern
    async ({}, use) => {
      await use(serverUrl());
    },
    { scope: "file" },
  ],
  browser: [
    async ({ baseUrl }, use) => {
      void baseUrl; // No browser when there is no server.
      const browser = await chromium.connect(inject("browserEndpoint"));
      try {
        await use(browser);
      } finally {
        await browser.close();
      }
    },
    { scope: "file" },
  ],
  context: async ({ browser, baseUrl }, use) => {
    const context = await newContext(browser, baseUrl);
    try {
      await use(context);
    } finally {
      await context.close();
    }
  },
  page: async ({ context }, use) => {
    const page = watchPage(await context.newPage());
    await use(page);
    await assertNoPageProblems(page);
  },
  newPage: async ({ browser, baseUrl }, use) => {
    const opened: { context: BrowserContext; page: Page }[] = [];
    try {
      await use(async () => {
        const context = await newContext(browser, baseUrl);
        const page = watchPage(await context.newPage());
        opened.push({ context, page });
        return page;
      });
      for (const [i, { page }] of opened.entries())
        await assertNoPageProblems(page, `page of browser context ${i + 2}`);
    } finally {
      await Promise.all(opened.map(({ context }) => context.close()));
    }
  },
});

export { expect } from "vitest";
