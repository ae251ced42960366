import { PassThrough, type Readable } from "node:stream";
import { loadExcelJs } from "../../lib/exceljs.ts";
import type { Cell, ExportColumn } from "./exports.columns.ts";

/** Excel refuses longer text in a cell. */
const maxCellText = 32_767;

const formats: Partial<Record<ExportColumn["kind"], string>> = {
  money: "0.00",
  datetime: "yyyy-mm-dd hh:mm:ss",
  date: "yyyy-mm-dd",
};

/**
 * One cell as Excel keeps it: numbers and money as numbers (money has at most 14 significant
 * digits, exact in a double), instants and dates as date cells (UTC), text as text. Text is
 * written as a string cell, never a formula, so it needs no neutralising here.
 */
export function xlsxCell(column: ExportColumn, cell: Cell): string | number | Date | null {
  if (cell === null) return null;
  if (column.kind === "money" && typeof cell === "string") return Number(cell);
  if (column.kind === "date" && typeof cell === "string") return new Date(`${cell}T00:00:00Z`);
  // The fast read has the database write instants as ISO 8601 text.
  if (column.kind === "datetime" && typeof cell === "string") return new Date(cell);
  if (Array.isArray(cell)) return cell.join(";").slice(0, maxCellText);
  if (typeof cell === "string") return cell.slice(0, maxCellText);
  return cell;
}

/** Resolves when the stream can take more, or is closed (a client that left never drains it). */
function drainedOrClosed(stream: PassThrough): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off("drain", done);
      stream.off("close", done);
      resolve();
    };
    stream.on("drain", done);
    stream.on("close", done);
  });
}

/**
 * The export as an XLSX workbook through exceljs's streaming writer: each row is committed (and
 * leaves memory) as soon as it is added, one sheet named after the list, the header row bold.
 */
export function xlsxStream(pages: AsyncIterable<Cell[][]>, columns: ExportColumn[], sheetName: string): Readable {
  const output = new PassThrough();
  const write = async () => {
    // Loaded on the first XLSX export, not at start: exceljs and its zip libraries hold megabytes.
    const ExcelJS = await loadExcelJs();
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
      stream: output,
      useStyles: true,
      useSharedStrings: false,
    });
    const sheet = workbook.addWorksheet(sheetName);
    sheet.columns = columns.map((column) => ({
      key: column.name,
      width: Math.max(12, column.name.length + 2),
      ...(formats[column.kind] ? { style: { numFmt: formats[column.kind] } } : {}),
    }));
    const header = sheet.addRow(columns.map((column) => column.name));
    header.font = { bold: true };
    header.commit();
    for await (const page of pages) {
      // The client left: stop reading (leaving the loop ends the pages, which audits a partial export).
      if (output.destroyed) return;
      for (const row of page) sheet.addRow(columns.map((column, i) => xlsxCell(column, row[i] ?? null))).commit();
      // Wait for the client between pages, so a slow download does not pile the workbook up here.
      if (output.writableNeedDrain) await drainedOrClosed(output);
    }
    sheet.commit();
    await workbook.commit();
  };
  write().catch((error: unknown) => output.destroy(error as Error));
  return output;
}
