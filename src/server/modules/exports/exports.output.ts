import type { Readable } from "node:stream";
import { csvStream } from "./exports.csv.ts";
import { jsonStream, ndjsonStream, vcardStream } from "./exports.formats.ts";
import type { ExportResource } from "./exports.resources.ts";
import { audited, exportCsvPages, exportPages, listItemPages, type PreparedExport } from "./exports.stream.ts";
import { xlsxStream } from "./exports.xlsx.ts";

/** The formats an export writes. */
export const exportFormats = ["csv", "xlsx", "json", "ndjson", "vcf"] as const;
export type ExportFormat = (typeof exportFormats)[number];

/** Each format's media type and file extension, and whether gzip shrinks it (XLSX is zipped already). */
export const fileTypes: Record<ExportFormat, { contentType: string; extension: string; isText: boolean }> = {
  csv: { contentType: "text/csv; charset=utf-8", extension: "csv", isText: true },
  xlsx: {
    contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    extension: "xlsx",
    isText: false,
  },
  json: { contentType: "application/json; charset=utf-8", extension: "json", isText: true },
  ndjson: { contentType: "application/x-ndjson; charset=utf-8", extension: "ndjson", isText: true },
  vcf: { contentType: "text/vcard; charset=utf-8", extension: "vcf", isText: true },
};

/** `contacts-2026-12-04.csv`. */
export function fileNameOf(resource: ExportResource, format: ExportFormat): string {
  return `${resource}-${new Date().toISOString().slice(0, 10)}.${fileTypes[format].extension}`;
}

/** The export as a file in `format`, audited when it ends (vCards from the list's items, the rest as cells). */
export function streamOf(prepared: PreparedExport, format: ExportFormat, bom: boolean): Readable {
  if (format === "vcf") return vcardStream(audited(prepared, listItemPages(prepared)));
  if (format === "csv") return csvStream(audited(prepared, exportCsvPages(prepared)), prepared.columns, { bom });
  const pages = audited(prepared, exportPages(prepared));
  switch (format) {
    case "xlsx":
      return xlsxStream(pages, prepared.columns, prepared.target.resource);
    case "json":
      return jsonStream(pages, prepared.columns);
    case "ndjson":
      return ndjsonStream(pages, prepared.columns);
  }
}
