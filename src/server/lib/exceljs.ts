import Module, { createRequire } from "node:module";
import type { PassThrough as PassThroughStream } from "node:stream";
import type ExcelJSModule from "exceljs";
import type { SaxesParser as SaxesParserClass } from "saxes";
import { AppError } from "./errors.ts";

type ExcelJS = typeof ExcelJSModule;
/** An old-style stream has `pipe` and no async iteration. */
type PartStream = AsyncIterable<Buffer | string> | { pipe<T>(destination: T): T };
type SaxEvent = { eventType: "opentag" | "text" | "closetag"; value: unknown };

// Resolved from exceljs itself: its own saxes and readable-stream, whatever npm hoisted.
const exceljsRequire = createRequire(createRequire(import.meta.url).resolve("exceljs"));

/**
 * exceljs, with its XML reading fixed. exceljs 4.4.0 decodes each chunk of a workbook part (a
 * sheet, the shared strings) on its own: lib/utils/parse-sax.js calls `TextDecoder.decode(chunk)`
 * without `{ stream: true }`, so a character whose UTF-8 bytes straddle two chunks becomes two
 * U+FFFD. Importing a workbook of accented names altered about one row in 200, without a word.
 * Before exceljs first loads that module, its place in Node's module cache is taken by the same
 * parser with one streaming decoder per part. Load exceljs only through this function: once
 * exceljs is loaded, its modules hold the parser they found, and this throws rather than read
 * text wrongly.
 */
export async function loadExcelJs(): Promise<ExcelJS> {
  installStreamingParser();
  const { default: excel } = await import("exceljs");
  return excel;
}

function installStreamingParser(): void {
  const path = exceljsRequire.resolve("./lib/utils/parse-sax.js");
  const cached = exceljsRequire.cache[path];
  if (cached?.exports === parseSax) return;
  if (cached) throw new Error("exceljs was loaded before its XML parser was fixed: load it through loadExcelJs()");
  const module = new Module(path);
  module.filename = path;
  module.loaded = true;
  module.exports = parseSax;
  exceljsRequire.cache[path] = module;
}

/**
 * The most text Keel reads into one cell (or shared string) and one row. A cell of Excel holds at
 * most 32,767 characters, so more is a workbook built to fill memory: a few kilobytes of zip can
 * inflate into hundreds of megabytes of text, which exceljs joins into one string.
 */
const mostPerCell = 1_000_000;
const mostPerRow = 10_000_000;
/** And in a whole part: exceljs keeps every shared string in memory while it reads the sheet. */
const mostPerPart = 200_000_000;

/**
 * Counts a part's text as exceljs will join it: a cell's (`c`), shared string's (`si`) or inline
 * string's (`is`) text events however its XML splits them (comments, rich-text runs), a row's
 * cells and the whole part, plus the text the parser holds before its next event. Throws past the
 * limits.
 */
class TextBudget {
  #cell = 0;
  #row = 0;
  #part = 0;
  #held = 0;

  spend(written: number, events: readonly SaxEvent[]): void {
    this.#held = events.length > 0 ? 0 : this.#held + written;
    for (const { eventType, value } of events) {
      if (eventType === "text") {
        const length = (value as string).length;
        this.#cell += length;
        this.#row += length;
        this.#part += length;
      } else if (eventType === "closetag") {
        // A tag's name without its namespace prefix (`x:c` → `c`).
        const name = (value as { name: string }).name.split(":").pop();
        if (name === "c" || name === "si" || name === "is") this.#cell = 0;
        if (name === "row") this.#row = 0;
      }
    }
    const held = this.#held;
    if (this.#cell + held > mostPerCell || this.#row + held > mostPerRow || this.#part + held > mostPerPart) {
      throw new AppError("validation", "A cell or row of the workbook holds more text than Keel reads.", [
        { path: "file", message: "A cell is too long" },
      ]);
    }
  }
}

/**
 * lib/utils/parse-sax.js of exceljs 4.4.0, decoding the part's bytes as one stream, and refusing
 * more text in a cell or a row than TextBudget allows.
 */
async function* parseSax(iterable: PartStream): AsyncGenerator<SaxEvent[]> {
  const { SaxesParser } = exceljsRequire("saxes") as { SaxesParser: typeof SaxesParserClass };
  const { PassThrough } = exceljsRequire("readable-stream") as { PassThrough: typeof PassThroughStream };
  // As exceljs does: a stream without async iteration is read through one that has it.
  const source: AsyncIterable<Buffer | string> =
    Symbol.asyncIterator in iterable ? iterable : iterable.pipe(new PassThrough());
  const parser = new SaxesParser();
  const decoder = new TextDecoder("utf-8");
  let error: Error | undefined;
  let events: SaxEvent[] = [];
  parser.on("error", (failure) => (error = failure));
  parser.on("opentag", (value) => events.push({ eventType: "opentag", value }));
  parser.on("text", (value) => events.push({ eventType: "text", value }));
  parser.on("closetag", (value) => events.push({ eventType: "closetag", value }));
  const budget = new TextBudget();
  const feed = (text: string) => {
    parser.write(text);
    if (error) throw error;
    budget.spend(text.length, events);
    const fed = events;
    events = [];
    return fed;
  };
  for await (const chunk of source) {
    yield feed(typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true }));
  }
  const rest = decoder.decode();
  if (rest) yield feed(rest);
}
