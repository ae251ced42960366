/** The languages the interface is translated into (BCP 47 primary tags); English is the fallback. */
export const languages = ["en", "de"] as const;
export type Language = (typeof languages)[number];

/** Each language's name in itself, as a language picker offers it. */
export const languageNames: Record<Language, string> = { en: "English", de: "Deutsch" };

/** The first of a browser's preferred languages ("de-AT", "en-GB", …) that Keel speaks, else English. */
export function languageOf(preferred: readonly string[]): Language {
  for (const tag of preferred) {
    const primary = tag.toLowerCase().split("-")[0];
    const match = languages.find((language) => language === primary);
    if (match) return match;
  }
  return "en";
}
