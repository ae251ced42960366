import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { languages } from "../../shared/languages.ts";
import { formatNumber } from "../lib/format.ts";
import { i18next, setLanguage, t } from "./i18n.ts";

const here = path.dirname(fileURLToPath(import.meta.url));
const webRoot = path.resolve(here, "..");

type Words = { [key: string]: string | Words };

/** Every key of a language's words, "feature.path.to.key", with their values. */
function flatten(words: Words, prefix = ""): Map<string, string> {
  const keys = new Map<string, string>();
  for (const [key, value] of Object.entries(words)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (typeof value === "string") keys.set(name, value);
    else for (const [inner, text] of flatten(value, name)) keys.set(inner, text);
  }
  return keys;
}

function wordsOf(language: string): Map<string, string> {
  const folder = path.join(here, "locales", language);
  const words: Words = {};
  for (const file of readdirSync(folder).filter((name) => name.endsWith(".json"))) {
    words[file.replace(/\.json$/, "")] = JSON.parse(readFileSync(path.join(folder, file), "utf8")) as Words;
  }
  return flatten(words);
}

/** The web app's source files (not tests). */
function sourceFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const file = path.join(folder, name);
    if (statSync(file).isDirectory()) return sourceFiles(file);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [file] : [];
  });
}

const pluralSuffixes = ["", "_zero", "_one", "_two", "_few", "_many", "_other"];

describe("the interface's words", () => {
  const english = wordsOf("en");

  it.each(languages.filter((language) => language !== "en"))(
    "has every English key in %s, and no other",
    (language) => {
      const other = wordsOf(language);
      // German and English both plural with _one/_other: the same keys.
      expect([...other.keys()].sort()).toEqual([...english.keys()].sort());
      for (const [key, value] of other) expect(value.trim(), key).not.toBe("");
    },
  );

  it("has a word for every key the source names", () => {
    const missing: string[] = [];
    const keyPattern = /(?:\bt|i18nKey=)\(?\s*["'`]([A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)+)["'`]/g;
    for (const file of sourceFiles(webRoot)) {
      for (const match of readFileSync(file, "utf8").matchAll(keyPattern)) {
        const key = match[1] ?? "";
        if (!pluralSuffixes.some((suffix) => english.has(`${key}${suffix}`))) {
          missing.push(`${path.relative(webRoot, file)}: ${key}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it("keeps placeholders the same in every language", () => {
    for (const language of languages) {
      for (const [key, value] of wordsOf(language)) {
        const placeholders = (text: string) => [...text.matchAll(/\{\{\s*(\w+)/g)].map((m) => m[1]).sort();
        expect(placeholders(value), `${language} ${key}`).toEqual(placeholders(english.get(key) ?? ""));
      }
    }
  });
});

describe("setLanguage", () => {
  afterEach(() => setLanguage("en"));

  it("switches the words, <html lang> and the numbers' grouping", async () => {
    await setLanguage("de");
    expect(document.documentElement.lang).toBe("de");
    expect(i18next.language).toBe("de");
    expect(t("common.save")).toBe("Speichern");
    expect(formatNumber(12500.5)).toBe("12.500,5");
    await setLanguage("en");
    expect(document.documentElement.lang).toBe("en");
    expect(t("common.save")).toBe("Save");
    expect(formatNumber(12500.5)).toBe("12,500.5");
  });
});
