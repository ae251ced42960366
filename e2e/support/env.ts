/** Where the browser tests find Chromium, and how they launch it (STACK.md §8). */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

// eslint-disable-next-line n/no-process-env -- the browser tests' one setting: another Chromium binary
export const chromiumPath = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
export const hasChromium = existsSync(chromiumPath);
export const skipMessage = `Browser tests skipped: Chromium not found at ${chromiumPath} (apt-get install -y chromium)`;

/** Never let Playwright download browsers; these flags keep Debian's Chromium quiet and offline. */
export const chromiumArgs = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
/** Screenshots and the server log go here (gitignored). */
export const resultsDir = fileURLToPath(new URL("../../test-results/", import.meta.url));
