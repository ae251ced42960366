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
 * Characters of a part's XML read without the parser reaching the end of a tag or text: a cell of
 * Excel holds at most 32,767 characters (with its XML escapes a few times that), so a longer run is
 * a workbook built to fill memory. A few hundred kilobytes of zip can inflate into a cell of
 * hundreds of megabytes, which the parser would otherwise hold whole before handing it on.
 */
const longestRun = 1_000_000;

/**
 * lib/utils/parse-sax.js of exceljs 4.4.0, decoding the part's bytes as one stream, and refusing
 * a run of text longer than `longestRun`.
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
  let run = 0;
  const feed = (text: string) => {
    parser.write(text);
    if (error) throw error;
    run = events.length > 0 ? 0 : run + text.length;
    if (run > longestRun) {
      throw new AppError("validation", "A cell of the workbook holds more than a million characters.", [
        { path: "file", message: "A cell is too long" },
      ]);
    }
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
