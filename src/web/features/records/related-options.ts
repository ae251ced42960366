/** "a, b" ⇄ ["a", "b"] for tags edited as text. */
export function tagsFromText(text: string): string[] {
  return text
    .split(",")
    .map((tag) => tag.trim())
    .filter(Boolean);
}
