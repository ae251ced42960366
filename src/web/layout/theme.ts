export type Theme = "light" | "dark" | "system";

const storageKey = "keel-theme";

export function storedTheme(): Theme {
  const value = localStorage.getItem(storageKey);
  return value === "light" || value === "dark" ? value : "system";
}

/** Applies a theme to <html> and remembers it; "system" follows the operating system. */
export function applyTheme(theme: Theme): void {
  if (theme === "system") localStorage.removeItem(storageKey);
  else localStorage.setItem(storageKey, theme);
  const isDark = theme === "dark" || (theme === "system" && window.matchMedia("(prefers-color-scheme: dark)").matches);
  document.documentElement.classList.toggle("dark", isDark);
}

/**
 * Re-applies the stored theme when the operating system switches between light and dark, so
 * "system" follows it at once rather than at the next page load.
 */
export function followSystemTheme(): void {
  window.matchMedia("(prefers-color-scheme: dark)").addEventListener("change", () => applyTheme(storedTheme()));
}
