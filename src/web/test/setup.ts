/**
 * Setup of the "web" Vitest project (happy-dom): every test starts from an empty document, with
 * no React tree, fake timers, stubbed globals or stored state left over from the test before.
 */
import { cleanup } from "@testing-library/react";
import { toast } from "sonner";
import { afterAll, afterEach, vi } from "vitest";
// The interface's words, in English (happy-dom's navigator speaks en-US), as the app loads them.
import { setLanguage } from "../i18n/i18n.ts";
import { browserFormats, setFormatPreferences } from "../lib/format.ts";

// Tells React that updates in tests run inside act(), so it does not warn about them.
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

afterEach(async () => {
  cleanup();
  // A test that switched the language leaves English to the next.
  await setLanguage("en");
  vi.useRealTimers();
  // mockApi stubs fetch per test.
  vi.unstubAllGlobals();
  localStorage.clear();
  sessionStorage.clear();
  // The files of a worker share their modules (vitest.config.ts): nothing a test set may reach the
  // next file. Formats follow the workspace a rendered page loaded (workspace.api.ts); charts leave
  // a text-measuring element in the body, which they make again when missing.
  setFormatPreferences(browserFormats);
  toast.dismiss();
  document.body.replaceChildren();
});

// A dismissed toast (sonner) removes itself 200 ms later from a timer its unmount does not clear:
// let such timers run while the document still exists, not after the file's environment is gone
// (where React would throw "window is not defined" from the timer).
afterAll(() => new Promise<void>((resolve) => setTimeout(resolve, 250)));

// happy-dom 21 lacks HTMLSelectElement.size and HTMLOptionElement.defaultSelected, so
// react-hook-form would take every <select> for edited before mount and keep its first option
// instead of the form's default value. Browsers have both; give happy-dom the same.
if (document.createElement("select").size === undefined) {
  Object.defineProperty(HTMLSelectElement.prototype, "size", {
    configurable: true,
    get(this: HTMLSelectElement) {
      return Number(this.getAttribute("size") ?? 0);
    },
  });
  Object.defineProperty(HTMLOptionElement.prototype, "defaultSelected", {
    configurable: true,
    get(this: HTMLOptionElement) {
      return this.hasAttribute("selected");
    },
  });
}
