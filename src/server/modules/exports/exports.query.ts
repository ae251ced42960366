import { z } from "zod";
import { ListQuerySchema } from "../../../shared/schemas/common.ts";
import { AppError } from "../../lib/errors.ts";
import { exportFormats, type ExportFormat } from "./exports.output.ts";
import type { ExportResource } from "./exports.resources.ts";

/** What GET /<resource>/export and POST /<resource>/exports take: the list's parameters and the file's. */
export const ExportQuerySchema = z.looseObject({
  format: z.enum(exportFormats).default("csv").describe("csv (default), xlsx, json (an array), ndjson, vcf (contacts)"),
  columns: z.string().max(2000).optional().describe("Comma-separated column names, in order; every column without it"),
  bom: z.enum(["true", "false"]).optional().describe("CSV: start with a UTF-8 byte order mark (default true)"),
  sort: ListQuerySchema.shape.sort,
  q: ListQuerySchema.shape.q,
});

/** vCards are of contacts only: 400 for any other list. */
export function assertFormatFits(resource: ExportResource, format: ExportFormat): void {
  if (format === "vcf" && resource !== "contacts") {
    throw new AppError("validation", "vCard is for contacts only.", [
      { path: "format", message: "vcf exports contacts only" },
    ]);
  }
}
