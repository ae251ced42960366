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
});
