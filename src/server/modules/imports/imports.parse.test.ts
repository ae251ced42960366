import { createRequire } from "node:module";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { loadExcelJs } from "../../lib/exceljs.ts";
import { fileRows } from "./imports.parse.ts";

describe("XLSX rows", () => {
  it("reads text whose characters straddle the chunks of a workbook's parts unchanged", async () => {
    // 2,000 rows of two-, three- and four-byte characters: the shared strings and the sheet are
    // inflated in 16 KiB chunks, and dozens of characters fall across a chunk's end.
    const names = Array.from({ length: 2_000 }, (_, i) => [`${"ü".repeat(40)}${i}`, `${"漢🙂".repeat(13)}${i}`]);
    const workbook = new (await loadExcelJs()).Workbook();
    const sheet = workbook.addWorksheet("People");
    sheet.addRow(["First Name", "Last Name"]);
    for (const row of names) sheet.addRow(row);
    const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
    const rows = [];
    for await (const row of fileRows(Readable.from([bytes]), { format: "xlsx", delimiter: null, encoding: null }))
      rows.push(row.cells);
    expect(rows[0]).toEqual(["First Name", "Last Name"]);
    expect(rows.slice(1).filter((cells) => cells.join("").includes("\ufffd"))).toEqual([]);
    expect(rows.slice(1)).toEqual(names);
  });

  it("reads a long cell whole, within what Excel holds and more", async () => {
    const workbook = new (await loadExcelJs()).Workbook();
    const long = "é".repeat(200_000);
    workbook.addWorksheet("Long").addRow(["Notes", long]);
    const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
    const rows = [];
    for await (const row of fileRows(Readable.from([bytes]), { format: "xlsx", delimiter: null, encoding: null }))
      rows.push(row.cells);
    expect(rows).toEqual([["Notes", long]]);
  });

  it("refuses a cell of millions of characters split by comments, which exceljs joins into one", async () => {
    const workbook = new (await loadExcelJs()).Workbook();
    workbook.addWorksheet("Split").addRow(["Notes", "PLACEHOLDER"]);
    // exceljs writes text escaped: the comments go in through its zip library (jszip).
    const JSZip = createRequire(createRequire(import.meta.url).resolve("exceljs"))("jszip") as {
      loadAsync(data: Buffer): Promise<{
        file(name: string): { async(type: "string"): Promise<string> } | null;
        file(name: string, data: string): void;
        generateAsync(options: { type: "nodebuffer"; compression: "DEFLATE" }): Promise<Buffer>;
      }>;
    };
    const zip = await JSZip.loadAsync(Buffer.from(await workbook.xlsx.writeBuffer()));
    const part = "xl/sharedStrings.xml";
    const xml = await zip.file(part)!.async("string");
    zip.file(part, xml.replace("PLACEHOLDER", Array.from({ length: 4 }, () => "x".repeat(400_000)).join("<!---->")));
    const bytes = await zip.generateAsync({ type: "nodebuffer", compression: "DEFLATE" });
    const read = async () => {
      for await (const row of fileRows(Readable.from([bytes]), { format: "xlsx", delimiter: null, encoding: null }))
        void row;
    };
    await expect(read()).rejects.toMatchObject({ errors: [{ path: "file", message: "A cell is too long" }] });
  });
});
