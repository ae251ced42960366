import { Readable } from "node:stream";
import type { Cell, ExportColumn } from "./exports.columns.ts";
import { writeVCard } from "./vcard.ts";

type Item = Record<string, unknown>;

/** A row as a JSON object of the chosen columns: ISO 8601 instants, money as decimal strings. */
function jsonText(names: string[], row: Cell[]): string {
  const object: Record<string, unknown> = {};
  for (let i = 0; i < names.length; i++) {
    const cell = row[i] ?? null;
    object[names[i] as string] = cell instanceof Date ? cell.toISOString() : cell;
  }
  return JSON.stringify(object);
}

/** `format=json`: one JSON array, written record by record. */
export function jsonStream(pages: AsyncIterable<Cell[][]>, columns: ExportColumn[]): Readable {
  const names = columns.map((column) => column.name);
  return Readable.from(
    (async function* () {
      let separator = "[\n";
      for await (const page of pages) {
        if (page.length === 0) continue;
        let text = "";
        for (const row of page) {
          text += separator + jsonText(names, row);
          separator = ",\n";
        }
        yield text;
      }
      yield separator === "[\n" ? "[]\n" : "\n]\n";
    })(),
    { objectMode: false },
  );
}

/** `format=ndjson`: one JSON object a line (newline-delimited JSON), for tools that read line by line. */
export function ndjsonStream(pages: AsyncIterable<Cell[][]>, columns: ExportColumn[]): Readable {
  const names = columns.map((column) => column.name);
  return Readable.from(
    (async function* () {
      for await (const page of pages) {
        let text = "";
        for (const row of page) text += `${jsonText(names, row)}\n`;
        if (text) yield text;
      }
    })(),
    { objectMode: false },
  );
}

/** `format=vcf` (contacts): one vCard 4.0 per contact, its company's name as ORG. */
export function vcardStream(pages: AsyncIterable<Item[]>): Readable {
  return Readable.from(
    (async function* () {
      for await (const page of pages) {
        if (page.length === 0) continue;
        yield page
          .map((item) =>
            writeVCard({
              firstName: String(item.firstName ?? ""),
              lastName: String(item.lastName ?? ""),
              email: (item.email as string | null) ?? null,
              phone: (item.phone as string | null) ?? null,
              jobTitle: (item.jobTitle as string | null) ?? null,
              company: ((item.company as { name?: string } | null)?.name ?? null) || null,
              note: null,
              tags: (item.tags as string[] | undefined) ?? [],
              uid: String(item.id),
              updatedAt: item.updatedAt instanceof Date ? item.updatedAt : undefined,
            }),
          )
          .join("");
      }
    })(),
    { objectMode: false },
  );
}
