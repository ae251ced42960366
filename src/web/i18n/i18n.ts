import i18next from "i18next";
import { initReactI18next } from "react-i18next";
import { languageOf, languages, type Language } from "../../shared/languages.ts";
import { setFormatLanguage } from "../lib/format.ts";

/**
 * The interface's words, in every language Keel speaks: one JSON file per feature and language
 * (`locales/<language>/<feature>.json`), each under its feature's name, so keys read
 * `t("<feature>.<key>")`. Plurals follow i18next's `_one` / `_other` suffixes. English, the
 * fallback, is bundled with the app; another language loads (one small chunk per feature) when it
 * is first spoken, so nobody downloads the words of languages they don't read.
 */
type Words = Record<string, unknown>;

const english = import.meta.glob<Words>("./locales/en/*.json", { eager: true, import: "default" });
const otherLanguages = import.meta.glob<Words>(["./locales/*/*.json", "!./locales/en/*.json"], {
  import: "default",
});

const featureOf = (file: string) => /\/([^/]+)\.json$/.exec(file)?.[1] ?? "";

/** The browser's preferred language when Keel speaks it (before sign-in, and for people who chose none). */
export function browserLanguage(): Language {
  const preferred =
    typeof navigator === "undefined" ? [] : navigator.languages?.length ? navigator.languages : [navigator.language];
  return languageOf(preferred.filter(Boolean));
}

/** Adds a language's words unless they are there already. */
async function loadWords(language: Language): Promise<void> {
  if (i18next.hasResourceBundle(language, "translation")) return;
  const files = Object.entries(otherLanguages).filter(([file]) => file.includes(`/locales/${language}/`));
  const features = await Promise.all(files.map(async ([file, load]) => [featureOf(file), await load()] as const));
  i18next.addResourceBundle(language, "translation", Object.fromEntries(features), true, true);
}

void i18next.use(initReactI18next).init({
  resources: {
    en: { translation: Object.fromEntries(Object.entries(english).map(([file, words]) => [featureOf(file), words])) },
  },
  lng: "en",
  fallbackLng: "en",
  supportedLngs: [...languages],
  // React escapes what it renders.
  interpolation: { escapeValue: false },
  // English is bundled: ready before the first render (main.tsx waits for the browser's language).
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
  await loadWords(language);
  await i18next.changeLanguage(language);
  applyLanguage(language);
}

/** The words outside React components (column definitions, messages); components use `useTranslation`. */
export const t = i18next.t.bind(i18next);

export { i18next };
