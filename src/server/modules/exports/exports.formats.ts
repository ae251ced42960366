import { Readable } from "node:stream";
import { cellOf, type ExportColumn } from "./exports.columns.ts";
import { writeVCard } from "./vcard.ts";

type Item = Record<string, unknown>;

/** A record as a JSON object of the chosen columns: ISO 8601 instants, money as decimal strings. */
function jsonObject(columns: ExportColumn[], item: Item): Record<string, unknown> {
  return Object.fromEntries(
    columns.map((column) => {
      const cell = cellOf(column, item);
      return [column.name, cell instanceof Date ? cell.toISOString() : cell];
    }),
  );
}

/** `format=json`: one JSON array, written record by record. */
export function jsonStream(pages: AsyncIterable<Item[]>, columns: ExportColumn[]): Readable {
  return Readable.from(
    (async function* () {
      let separator = "[\n";
      for await (const page of pages) {
        for (const item of page) {
          yield separator + JSON.stringify(jsonObject(columns, item));
          separator = ",\n";
        }
      }
      yield separator === "[\n" ? "[]\n" : "\n]\n";
    })(),
    { objectMode: false },
  );
}

/** `format=ndjson`: one JSON object a line (newline-delimited JSON), for tools that read line by line. */
export function ndjsonStream(pages: AsyncIterable<Item[]>, columns: ExportColumn[]): Readable {
  return Readable.from(
    (async function* () {
      for await (const page of pages) {
        if (page.length > 0) yield page.map((item) => `${JSON.stringify(jsonObject(columns, item))}\n`).join("");
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
