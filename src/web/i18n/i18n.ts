import i18next from "i18next";
import { initReactI18next } from "react-i18next";
import { languageOf, languages, type Language } from "../../shared/languages.ts";
import { setFormatLanguage } from "../lib/format.ts";

/**
 * The interface's words, in every language Keel speaks: one JSON file per feature and language
 * (`locales/<language>/<feature>.json`), each under its feature's name, so keys read
 * `t("<feature>.<key>")`. Plurals follow i18next's `_one` / `_other` suffixes. Bundled with the
 * app (a few kilobytes), so the first render already has them.
 */
const files = import.meta.glob<Record<string, unknown>>("./locales/*/*.json", { eager: true, import: "default" });

type Words = Record<string, unknown>;
const resources: Record<string, { translation: Words }> = {};
for (const [file, words] of Object.entries(files)) {
  const [, language = "", feature = ""] = /locales\/([^/]+)\/([^/]+)\.json$/.exec(file) ?? [];
  resources[language] ??= { translation: {} };
  resources[language].translation[feature] = words;
}

/** The browser's preferred language when Keel speaks it (before sign-in, and for people who chose none). */
export function browserLanguage(): Language {
  const preferred =
    typeof navigator === "undefined" ? [] : navigator.languages?.length ? navigator.languages : [navigator.language];
  return languageOf(preferred.filter(Boolean));
}

void i18next.use(initReactI18next).init({
  resources,
  lng: browserLanguage(),
  fallbackLng: "en",
  supportedLngs: [...languages],
  // React escapes what it renders.
  interpolation: { escapeValue: false },
  // Resources are bundled: ready before the first render.
  initAsync: false,
  returnNull: false,
});
// `{{label, lowercase}}`: English lowercases a noun inside a sentence ("Delete call “…”",
// "Choose the company from the list"); German keeps its capitals, so only English words ask for it.
i18next.services.formatter?.add("lowercase", (value: unknown) => String(value).toLowerCase());
applyLanguage(i18next.language as Language);

function applyLanguage(language: Language): void {
  if (typeof document !== "undefined") document.documentElement.lang = language;
  setFormatLanguage(language);
}

/** Speaks `language` from now on: the words, `<html lang>`, and dates and numbers where the workspace says "auto". */
export async function setLanguage(language: Language): Promise<void> {
  if (i18next.language === language) return;
  await i18next.changeLanguage(language);
  applyLanguage(language);
}

/** The words outside React components (column definitions, messages); components use `useTranslation`. */
export const t = i18next.t.bind(i18next);

export { i18next };
