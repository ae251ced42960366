import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { AppError } from "../../lib/errors.ts";
import { CsvRecordCounter } from "./imports.count.ts";
import { countOf, fileRows } from "./imports.parse.ts";

/** The records the import's own parser reads from `bytes`, or the error it stops with. */
async function parsedCount(bytes: Buffer, delimiter: string): Promise<number | "error"> {
  try {
    return await countOf(fileRows(Readable.from([bytes]), { format: "csv", delimiter, encoding: "utf-8" }));
  } catch (error) {
    if (error instanceof AppError) return "error";
    throw error;
  }
}

/** The counter's answer for `bytes` fed in slices cut at `cuts`, or "error". */
function counted(bytes: Buffer, delimiter: string, cuts: number[] = []): number | "error" {
  const counter = new CsvRecordCounter(delimiter);
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    counter.feed(bytes.subarray(from, cut));
    from = cut;
  }
  try {
    return counter.finish();
  } catch (error) {
    if (error instanceof AppError) return "error";
    throw error;
  }
}

/** A small deterministic generator (mulberry32), so a failure can be replayed. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("counting a CSV file's records without parsing it", () => {
  const cases: [string, string][] = [
    ["header and two rows", "a,b\n1,2\n3,4\n"],
    ["no line ending at the end", "a,b\n1,2"],
    ["empty lines are not records", "a\n\n\nb\n\n"],
    ["CRLF", "a\r\nb\r\n\r\nc"],
    ["CR alone ends records when it is the file's first line ending", "a\rb\rc"],
    ["a CR in a file of LF lines is data", "a\nb\rc\n"],
    ["a line ending inside quotes is data", 'a\n"q""x\ny"\n'],
    ["quotes inside an unquoted field are data", 'x "y" z\nb'],
    ["a quote closed early makes the field unquoted", '"x"y,z\n"a" ,b\n'],
    ["a byte order mark before a quoted header", '\uFEFF"h\nh",b\n1,2'],
    ["whitespace-only and delimiter-only lines are records", "a\n  \n,,\n"],
    ["accents and emoji", "näme,ëmail\nZoë 😀,z@x.test\n"],
    ["a quoted field never closed", 'a,b\n"x,z\n'],
    ["only a header", "name"],
    ["nothing", ""],
  ];

  it.each(cases)("%s: as many as the parser reads", async (_name, text) => {
    const bytes = Buffer.from(text, "utf8");
    const expected = await parsedCount(bytes, ",");
    expect(counted(bytes, ",")).toBe(expected);
    // Cut anywhere (between CR and LF, inside the BOM, between two quotes): the same.
    for (let cut = 0; cut <= bytes.length; cut++) expect(counted(bytes, ",", [cut])).toBe(expected);
  });

  it("agrees with the parser on 3,000 random files of quotes, delimiters and line endings", async () => {
    const next = random(20261205);
    const pieces = ["a", "bc", " ", ",", ";", '"', '""', "\n", "\r", "\r\n", "é"];
    for (let file = 0; file < 3_000; file++) {
      const delimiter = next() < 0.5 ? "," : ";";
      const length = Math.floor(next() * 40);
      const bom = next() < 0.2 ? "\uFEFF" : "";
      const text = bom + Array.from({ length }, () => pieces[Math.floor(next() * pieces.length)]).join("");
      const bytes = Buffer.from(text, "utf8");
      const cuts = [Math.floor(next() * bytes.length)];
      const expected = await parsedCount(bytes, delimiter);
      expect({ text, delimiter, count: counted(bytes, delimiter, cuts) }).toEqual({ text, delimiter, count: expected });
    }
  });
});
