import { i18next } from "../../i18n/i18n.ts";

/**
 * A list's title as a word inside a sentence ("Search deals", "No contacts yet."): lower case in
 * English, as it is (capitalised) in German, where nouns keep their capital letter.
 */
export function inSentence(title: string): string {
  return i18next.language === "de" ? title : title.toLowerCase();
}
