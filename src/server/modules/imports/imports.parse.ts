import { Transform, type Readable } from "node:stream";
import { parse } from "csv-parse";
import { AppError } from "../../lib/errors.ts";
import { loadExcelJs } from "../../lib/exceljs.ts";

/** One row of a file: its line (1 is the header) and its cells as text. */
export type FileRow = { line: number; cells: string[] };
export type ParseOptions = {
  format: "csv" | "xlsx";
  delimiter: string | null;
  encoding: string | null;
};

/**
 * Characters handed to the parser at a time. A stored slice is a megabyte: parsed at once, its
 * ten thousand rows would all wait in the parser's buffer, live long enough for the garbage
 * collector to move them to the old generation, and grow the heap by far more than the file.
 */
const parseSliceChars = 64 * 1024;

/** Where the slice of `text` from `at` ends: never between the two halves of a surrogate pair (an emoji). */
function sliceEnd(text: string, at: number): number {
  const end = Math.min(at + parseSliceChars, text.length);
  const last = text.charCodeAt(end - 1);
  return end < text.length && last >= 0xd800 && last <= 0xdbff ? end - 1 : end;
}

/** Bytes → text in the file's encoding, across slice boundaries (a character split in two). */
function decoding(encoding: string): Transform {
  const decoder = new TextDecoder(encoding);
  return new Transform({
    readableObjectMode: false,
    transform(chunk: Buffer, _encoding, done) {
      const text = decoder.decode(chunk, { stream: true });
      for (let at = 0; at < text.length;) {
        const end = sliceEnd(text, at);
        this.push(text.slice(at, end));
        at = end;
      }
      done();
    },
    flush(done) {
      done(null, decoder.decode());
    },
  });
}

async function* csvRows(source: Readable, options: ParseOptions): AsyncGenerator<FileRow> {
  const parser = parse({
    delimiter: options.delimiter ?? ",",
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    info: true,
  });
  const text = source.pipe(decoding(options.encoding ?? "utf-8"));
  source.on("error", (error) => text.destroy(error));
  text.pipe(parser);
  text.on("error", (error) => parser.destroy(error));
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      yield { line: info.lines, cells: record };
    }
  } catch (error) {
    if (error instanceof Error && "code" in error && String(error.code).startsWith("CSV_")) {
      throw new AppError("validation", `The file is not valid CSV: ${error.message}`, [
        { path: "file", message: error.message },
      ]);
    }
    throw error;
  }
}

/** A cell of a spreadsheet as the text a CSV export of it would hold. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date) {
    const iso = value.toISOString();
    // A date without a time of day (Excel stores dates as UTC midnights).
    return iso.endsWith("T00:00:00.000Z") ? iso.slice(0, 10) : iso;
  }
  if (typeof value === "object") {
    const cell = value as { text?: unknown; result?: unknown; richText?: { text: string }[]; hyperlink?: string };
    if (cell.richText) return cell.richText.map((part) => part.text).join("");
    if (cell.result !== undefined) return cellText(cell.result);
    if (cell.text !== undefined) return cellText(cell.text);
    return "";
  }
  return String(value);
}

async function* xlsxRows(source: Readable): AsyncGenerator<FileRow> {
  // Loaded on the first XLSX import, not at start: exceljs and its zip libraries hold megabytes.
  const ExcelJS = await loadExcelJs();
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(source, {
    sharedStrings: "cache",
    worksheets: "emit",
    hyperlinks: "ignore",
    styles: "cache",
  });
  try {
    // The first sheet only: a workbook's other sheets are usually notes or lookups.
    for await (const sheet of reader) {
      for await (const row of sheet) {
        const values = Array.isArray(row.values) ? row.values.slice(1) : [];
        const cells = Array.from(values, cellText);
        if (cells.every((cell) => cell.trim() === "")) continue;
        yield { line: row.number, cells };
      }
      return;
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError("validation", "The file is not a readable XLSX workbook.", [
      { path: "file", message: "Not a readable XLSX workbook" },
    ]);
  }
}

/** The rows of a stored file, header first, parsed as they stream (memory holds a slice). */
export function fileRows(source: Readable, options: ParseOptions): AsyncGenerator<FileRow> {
  return options.format === "xlsx" ? xlsxRows(source) : csvRows(source, options);
}

/** How many rows an async iterable of them yields, read to its end. */
export async function countOf(rows: AsyncIterable<unknown>): Promise<number> {
  const iterator = rows[Symbol.asyncIterator]();
  let count = 0;
  while (!(await iterator.next()).done) count++;
  return count;
}

/**
 * Header names: trimmed, blank ones named after their position, repeated ones numbered. A header
 * "__proto__" gets its position too: no JSON body the API accepts may have that key
 * (input-guard.ts), and a mapping is sent back keyed by header.
 */
export function headersOf(cells: string[]): string[] {
  const seen = new Map<string, number>();
  return cells.map((cell, index) => {
    const trimmed = cell.trim();
    const base =
      trimmed === "" ? `Column ${index + 1}` : trimmed === "__proto__" ? `__proto__ (column ${index + 1})` : trimmed;
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    return count === 1 ? base : `${base} (${count})`;
  });
}
