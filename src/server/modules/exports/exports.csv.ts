import { Readable } from "node:stream";
import type { Cell, ExportColumn } from "./exports.columns.ts";
import type { CsvText } from "./exports.read.ts";

/** Characters that make a spreadsheet read a cell as a formula (or hide what follows). */
const formulaStart = /^[=+\-@\t\r]/;
/** What a money cell always holds; anything else in one is treated as text. */
const decimal = /^-?\d+(\.\d+)?$/;
const isoDate = /^\d{4}-\d{2}-\d{2}$/;
/** A field holding one of these is quoted (RFC 4180). */
const needsQuotes = /[",\r\n]/;

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
  if (column.kind === "date" && isoDate.test(text)) return text;
  return neutralise(text);
}

/** A field as RFC 4180 writes it: quoted, its quotes doubled, when it holds a comma, a quote or a line break. */
export function csvField(text: string): string {
  return needsQuotes.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One page of rows as CSV records, each ended by CRLF, in one string (one write per page). */
function csvPage(columns: ExportColumn[], rows: Cell[][]): string {
  let text = "";
  const width = columns.length;
  for (const row of rows) {
    let line = "";
    for (let i = 0; i < width; i++) {
      if (i > 0) line += ",";
      line += csvField(csvCell(columns[i] as ExportColumn, row[i] ?? null));
    }
    text += `${line}\r\n`;
  }
  return text;
}

/**
 * The export as RFC 4180 CSV: the header row (the API's field names), then each record, CRLF
 * after every record, fields quoted when they hold a comma, a quote or a line break; optionally a
 * UTF-8 byte order mark so Excel reads UTF-8. The stream pulls one page when the client has taken
 * the last, so backpressure runs all the way back to the page reads: a slow client slows the
 * export down instead of filling memory.
 */
export function csvStream(
  pages: AsyncIterable<Cell[][] | CsvText>,
  columns: ExportColumn[],
  options: { bom: boolean },
): Readable {
  return Readable.from(
    (async function* () {
      const header = columns.map((column) => csvField(column.name)).join(",");
      yield `${options.bom ? "\uFEFF" : ""}${header}\r\n`;
      for await (const page of pages) {
        // The fast read's pages come written (exports.read.ts); the others as cells.
        if (Array.isArray(page)) {
          if (page.length > 0) yield csvPage(columns, page);
        } else if (page.text) yield page.text;
      }
    })(),
    { objectMode: false },
  );
}
