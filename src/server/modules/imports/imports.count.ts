import { AppError } from "../../lib/errors.ts";

const quote = 0x22;
const lineFeed = 0x0a;
const carriageReturn = 0x0d;
const bom = [0xef, 0xbb, 0xbf];

type RecordEnd = "\n" | "\r" | "\r\n";

/**
 * Counts the records of a CSV file as `csvRows` (csv-parse with `relax_quotes` and
 * `skip_empty_lines`) reads them, from its bytes and without building a cell: an upload counts its
 * rows this way, so a file of a million rows does not pass through the parser (and the garbage
 * collector) twice. A quote opens a quoted field only at the field's start, `""` inside one is a
 * quote, the first line ending in the file (LF, CR or CRLF) is the one that ends records, and
 * empty lines are not records. Works on the bytes of UTF-8 and Windows-1252 alike: the quote,
 * the delimiter and the line endings are ASCII and never part of another character's bytes.
 */
export class CsvRecordCounter {
  private readonly delimiter: number;
  private records = 0;
  /** How much of a UTF-8 byte order mark the file began with (the parser drops it). */
  private bomBytesRead = 0;
  private inQuotes = false;
  /** Inside quotes, a quote was just read: a second one makes it literal, anything else closes. */
  private quoteInQuotes = false;
  private atFieldStart = true;
  private lineHasContent = false;
  private recordEnd: RecordEnd | null = null;
  /** An unquoted CR was just read: what follows says whether it ended a record. */
  private carriageReturnPending = false;

  constructor(delimiter: string) {
    this.delimiter = delimiter.charCodeAt(0);
  }

  feed(bytes: Uint8Array): void {
    for (const byte of bytes) {
      if (this.bomBytesRead < bom.length) {
        if (byte === bom[this.bomBytesRead]) {
          this.bomBytesRead++;
          continue;
        }
        if (this.bomBytesRead > 0) this.data(); // the start of a BOM that was not one
        this.bomBytesRead = bom.length;
      }
      this.read(byte);
    }
  }

  /** The number of records; a quoted field still open at the end is an error, as in the parser. */
  finish(): number {
    if (this.inQuotes && !this.quoteInQuotes) {
      throw new AppError("validation", "The file is not valid CSV: a quoted field is never closed.", [
        { path: "file", message: "A quoted field is never closed" },
      ]);
    }
    if (this.carriageReturnPending) {
      this.carriageReturnPending = false;
      if (this.recordEnd === "\r\n") this.lineHasContent = true;
      else this.endRecord();
    }
    if (this.lineHasContent) this.endRecord();
    return this.records;
  }

  private read(byte: number): void {
    if (this.inQuotes) {
      if (this.quoteInQuotes) {
        this.quoteInQuotes = false;
        if (byte === quote) return;
        this.inQuotes = false; // closed: the byte is read as outside quotes
      } else {
        if (byte === quote) this.quoteInQuotes = true;
        return;
      }
    }
    if (this.carriageReturnPending) {
      this.carriageReturnPending = false;
      if (byte === lineFeed && this.recordEnd !== "\r") {
        this.recordEnd = "\r\n";
        this.endRecord();
        return;
      }
      if (this.recordEnd === "\r\n") {
        this.data(); // a lone CR in a file whose records end with CRLF
      } else {
        this.recordEnd = "\r";
        this.endRecord();
      }
    }
    if (byte === carriageReturn && this.recordEnd !== "\n") {
      this.carriageReturnPending = true;
    } else if (byte === lineFeed && (this.recordEnd ?? "\n") === "\n") {
      this.recordEnd = "\n";
      this.endRecord();
    } else if (byte === this.delimiter) {
      this.lineHasContent = true;
      this.atFieldStart = true;
    } else if (byte === quote && this.atFieldStart) {
      this.data();
      this.inQuotes = true;
    } else {
      this.data();
    }
  }

  private data(): void {
    this.lineHasContent = true;
    this.atFieldStart = false;
  }

  private endRecord(): void {
    if (this.lineHasContent) this.records++;
    this.lineHasContent = false;
    this.atFieldStart = true;
  }
}
