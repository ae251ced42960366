/**
 * docs/benchmarks.md is written by two benchmarks: `npm run bench` (the API) regenerates the whole
 * file, `npm run bench:web` owns one marked section. Each keeps the other's part.
 */

const markers = (name: string) => [`<!-- ${name}:start -->`, `<!-- ${name}:end -->`] as const;

/** The marked section of a document, markers included, or "" when it has none. */
export function sectionOf(doc: string, name: string): string {
  const [start, end] = markers(name);
  const from = doc.indexOf(start);
  const to = doc.indexOf(end);
  return from >= 0 && to > from ? doc.slice(from, to + end.length) : "";
}

/** The document with its marked section replaced by `body` (appended when it has none). */
export function withSection(doc: string, name: string, body: string): string {
  const [start, end] = markers(name);
  const section = `${start}\n${body.trim()}\n${end}`;
  const existing = sectionOf(doc, name);
  return existing ? doc.replace(existing, section) : `${doc.trimEnd()}\n\n${section}\n`;
}
