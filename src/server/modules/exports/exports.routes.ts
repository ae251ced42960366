import type { Readable } from "node:stream";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { IdSchema, ListQuerySchema } from "../../../shared/schemas/common.ts";
import { ProblemSchema } from "../../../shared/schemas/problem.ts";
import { readProblems, writeProblems } from "../../http/record-routes.ts";
import { contextOf } from "../../http/authentication.ts";
import { AppError } from "../../lib/errors.ts";
import { csvStream } from "./exports.csv.ts";
import { jsonStream, ndjsonStream, vcardStream } from "./exports.formats.ts";
import { exportResources, exportTargets, type ExportResource } from "./exports.resources.ts";
import { auditedPages, prepareExport, type PreparedExport } from "./exports.stream.ts";
import { importVCards, maxVCardBytes } from "./exports.vcards.ts";
import { xlsxStream } from "./exports.xlsx.ts";

export const exportFormats = ["csv", "xlsx", "json", "ndjson", "vcf"] as const;
type ExportFormat = (typeof exportFormats)[number];

const fileTypes: Record<ExportFormat, { contentType: string; extension: string }> = {
  csv: { contentType: "text/csv; charset=utf-8", extension: "csv" },
  xlsx: { contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", extension: "xlsx" },
  json: { contentType: "application/json; charset=utf-8", extension: "json" },
  ndjson: { contentType: "application/x-ndjson; charset=utf-8", extension: "ndjson" },
  vcf: { contentType: "text/vcard; charset=utf-8", extension: "vcf" },
};

const ExportQuerySchema = z.looseObject({
  format: z.enum(exportFormats).default("csv").describe("csv (default), xlsx, json (an array), ndjson, vcf (contacts)"),
  columns: z.string().max(2000).optional().describe("Comma-separated column names, in order; every column without it"),
  bom: z.enum(["true", "false"]).optional().describe("CSV: start with a UTF-8 byte order mark (default true)"),
  sort: ListQuerySchema.shape.sort,
  q: ListQuerySchema.shape.q,
});

/** Besides the list's problems, 429 once the caller is over the export rate limit. */
const exportProblems = { ...readProblems, 429: ProblemSchema };

/** `contacts-2026-12-04.csv`. */
function fileNameOf(resource: ExportResource, format: ExportFormat): string {
  return `${resource}-${new Date().toISOString().slice(0, 10)}.${fileTypes[format].extension}`;
}

function streamOf(prepared: PreparedExport, format: ExportFormat, bom: boolean): Readable {
  const pages = auditedPages(prepared);
  switch (format) {
    case "csv":
      return csvStream(pages, prepared.columns, { bom });
    case "xlsx":
      return xlsxStream(pages, prepared.columns, prepared.target.resource);
    case "json":
      return jsonStream(pages, prepared.columns);
    case "ndjson":
      return ndjsonStream(pages, prepared.columns);
    case "vcf":
      return vcardStream(pages);
  }
}

/**
 * `GET /<resource>/export` for every exportable list, and `POST /contacts/vcards`. Exports count
 * against the export rate limit, not the API's.
 */
export const exportsRoutes: FastifyPluginAsyncZod = async (app) => {
  for (const resource of exportResources) {
    const target = exportTargets[resource];
    const Many = resource.charAt(0).toUpperCase() + resource.slice(1);
    app.get(
      `/${resource}/export`,
      {
        config: { rateLimitPolicy: "export" },
        // A HEAD would run (and audit) the whole export only to drop its body.
        exposeHeadRoute: false,
        schema: {
          operationId: `export${Many}`,
          tags: [Many],
          summary: `Export the ${resource} list as a file`,
          description:
            `The whole list with the same filter[…], q and sort as GET /${resource}, streamed (CSV, XLSX, JSON, ` +
            `NDJSON${resource === "contacts" ? ", vCard 4.0" : ""}). CSV text cells starting with = + - @ tab or CR ` +
            "get a leading ' so spreadsheets never run them. Rate-limited and audited with its row count.",
          querystring: ExportQuerySchema,
          response: { 200: z.string().describe("The file, as an attachment"), ...exportProblems },
        },
      },
      async (request, reply) => {
        const ctx = contextOf(request);
        const { format, columns, bom, ...listParameters } = request.query;
        if (format === "vcf" && resource !== "contacts") {
          throw new AppError("validation", "vCard is for contacts only.", [
            { path: "format", message: "vcf exports contacts only" },
          ]);
        }
        const prepared = prepareExport(ctx, target, listParameters, {
          columns: format === "vcf" ? undefined : columns,
          format,
          extraIncludes: format === "vcf" ? ["company"] : [],
        });
        const file = streamOf(prepared, format, bom !== "false");
        // A stream is sent as it is (never serialized); the 200 schema only documents the file.
        return reply
          .header("content-type", fileTypes[format].contentType)
          .header("content-disposition", `attachment; filename="${fileNameOf(resource, format)}"`)
          .send(file as unknown as string);
      },
    );
  }

  app.addContentTypeParser(
    ["text/vcard", "text/x-vcard", "text/directory"],
    { parseAs: "string", bodyLimit: maxVCardBytes },
    (_request, body, done) => done(null, body),
  );
  app.post(
    "/contacts/vcards",
    {
      schema: {
        operationId: "importContactVCards",
        tags: ["Contacts"],
        summary: "Create contacts from vCards",
        description:
          "Body: text/vcard (vCard 4.0 or 3.0), at most 1 MB and 1,000 cards. All or nothing: every card becomes " +
          "a contact through the same checks as POST /contacts, or none does; errors name the card " +
          "(`cards.<n>.<PROPERTY>`, counted from 1).",
        body: z.string().describe("One or more vCards"),
        response: {
          201: z.object({ created: z.number().int(), ids: z.array(IdSchema) }),
          ...writeProblems,
        },
      },
    },
    async (request, reply) => reply.code(201).send(await importVCards(contextOf(request), request.body)),
  );
};
