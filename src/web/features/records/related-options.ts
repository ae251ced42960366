import type { Option } from "../../components/Field.tsx";

/**
 * Options of a related-record select: "none", the first page of choices, and the current record
 * even when it is not on that page (so the select never shows a wrong value).
 */
export function relatedOptions(noneLabel: string, choices: readonly Option[], current: Option | null): Option[] {
  const options = [{ value: "", label: noneLabel }, ...choices];
  if (current && !choices.some((c) => c.value === current.value)) options.push(current);
  return options;
}

/** "a, b" ⇄ ["a", "b"] for tags edited as text. */
export function tagsFromText(text: string): string[] {
  return text
    .split(",")
    .map((tag) => tag.trim())
    .filter(Boolean);
}
