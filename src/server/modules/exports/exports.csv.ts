import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { stringify } from "csv-stringify";
import { cellOf, type Cell, type ExportColumn } from "./exports.columns.ts";

type Item = Record<string, unknown>;

/** Characters that make a spreadsheet read a cell as a formula (or hide what follows). */
const formulaStart = /^[=+\-@\t\r]/;
/** What a money cell always holds; anything else in one is treated as text. */
const decimal = /^-?\d+(\.\d+)?$/;

/**
 * Makes a text cell safe to open in Excel, LibreOffice or Google Sheets: one starting with `=`,
 * `+`, `-`, `@`, tab or CR gets a leading `'`, so it is shown as the text it is, never run as a
 * formula (OWASP "CSV injection"). Numbers and money are not text: `-12.50` stays a number.
 */
export function neutralise(text: string): string {
  return formulaStart.test(text) ? `'${text}` : text;
}

/** One cell as CSV text: ISO 8601 instants, decimal strings for money, `;` between list items. */
export function csvCell(column: ExportColumn, cell: Cell): string {
  if (cell === null) return "";
  if (cell instanceof Date) return cell.toISOString();
  if (typeof cell === "number") return String(cell);
  const text = Array.isArray(cell) ? cell.join(";") : cell;
  if (column.kind === "money" && decimal.test(text)) return text;
  if (column.kind === "date" && /^\d{4}-\d{2}-\d{2}$/.test(text)) return text;
  return neutralise(text);
}

/** The header row (the API's field names) and then each record's cells, page after page. */
async function* csvRecords(pages: AsyncIterable<Item[]>, columns: ExportColumn[]): AsyncGenerator<string[]> {
  yield columns.map((column) => column.name);
  for await (const page of pages) {
    for (const item of page) yield columns.map((column) => csvCell(column, cellOf(column, item)));
  }
}

/**
 * The export as RFC 4180 CSV through csv-stringify: CRLF between records, fields quoted when they
 * hold a comma, a quote or a line break; optionally a UTF-8 byte order mark so Excel reads UTF-8.
 * Backpressure runs all the way back to the page reads: a slow client slows the export down
 * instead of filling memory.
 */
export function csvStream(pages: AsyncIterable<Item[]>, columns: ExportColumn[], options: { bom: boolean }): Readable {
  const stringifier = stringify({ bom: options.bom, record_delimiter: "windows", quoted_match: /[\r\n]/ });
  pipeline(Readable.from(csvRecords(pages, columns)), stringifier).catch((error: unknown) =>
    stringifier.destroy(error as Error),
  );
  return stringifier;
}
