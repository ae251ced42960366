import { t } from "../../i18n/i18n.ts";

/** Browsers by the token that tells them apart, most specific first (Edge and Opera say "Chrome" too). */
const browsers: [RegExp, string][] = [
  [/\bEdg(?:e|A|iOS)?\//, "Edge"],
  [/\bOPR\/|\bOpera\b/, "Opera"],
  [/\bSamsungBrowser\//, "Samsung Internet"],
  [/\bFirefox\/|\bFxiOS\//, "Firefox"],
  [/\bCriOS\/|\b(?:Headless)?Chrom(?:e|ium)\//, "Chrome"],
  [/\bVersion\/[\d.]+.*\bSafari\//, "Safari"],
  [/^curl\//, "curl"],
  [/\bnode\b|undici/i, "Node.js"],
];

const systems: [RegExp, string][] = [
  [/\biPhone\b/, "iPhone"],
  [/\biPad\b/, "iPad"],
  [/\bAndroid\b/, "Android"],
  [/\bCrOS\b/, "ChromeOS"],
  [/\bWindows\b/, "Windows"],
  [/\bMac OS X\b|\bMacintosh\b/, "macOS"],
  [/\bLinux\b/, "Linux"],
];

/** "Firefox on Windows" from a User-Agent header; the raw header (shortened) when it is unknown. */
export function describeUserAgent(userAgent: string | null | undefined): string {
  if (!userAgent) return t("settings.userAgent.unknown");
  const browser = browsers.find(([pattern]) => pattern.test(userAgent))?.[1];
  const system = systems.find(([pattern]) => pattern.test(userAgent))?.[1];
  if (browser && system) return t("settings.userAgent.browserOn", { browser, system });
  if (browser) return browser;
  if (system) return t("settings.userAgent.aBrowserOn", { system });
  return userAgent.length > 60 ? `${userAgent.slice(0, 57)}…` : userAgent;
}
