/**
 * Setup of the "web" Vitest project (happy-dom): every test starts from an empty document, with
 * no React tree, fake timers, stubbed globals or stored state left over from the test before.
 */
import { cleanup } from "@testing-library/react";
import { afterEach, vi } from "vitest";

// Tells React that updates in tests run inside act(), so it does not warn about them.
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

afterEach(() => {
  cleanup();
  vi.useRealTimers();
  // mockApi stubs fetch per test.
  vi.unstubAllGlobals();
  localStorage.clear();
  sessionStorage.clear();
});

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
