import { pipeline } from "node:stream";
import { createGunzip } from "node:zlib";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import Negotiator from "negotiator";
import { z } from "zod";
import { IdParamsSchema } from "../../../shared/schemas/common.ts";
import { readProblems, writeProblems } from "../../http/record-routes.ts";
import { contextOf } from "../../http/authentication.ts";
import { AppError } from "../../lib/errors.ts";
import { ProblemSchema } from "../../../shared/schemas/problem.ts";
import { exportFileQueue } from "./exports.jobs.ts";
import { exportResources } from "./exports.resources.ts";
import { assertFormatFits, ExportQuerySchema } from "./exports.query.ts";
import { getExportFile, openExportDownload, requestExportFile } from "./exports.service.ts";
import { exportFileStatuses } from "./exports.table.ts";

/**
 * A HEAD of an export or of its download answers 405 with `Allow: GET`. Served as a GET, it would
 * run (and audit) the whole export, or audit a download, only to drop the body; left out, the path
 * would fall to a record's HEAD route (`/<resource>/:id`) and answer that `export` is no id.
 */
export function refuseHead(app: Parameters<FastifyPluginAsyncZod>[0], url: string): void {
  app.head(url, { schema: { hide: true }, config: { refusesMethod: true } }, async (_request, reply) => {
    reply.header("allow", "GET");
    throw new AppError("method-not-allowed", "Use GET: a HEAD of an export is not served.");
  });
}

/** An export run as a job, as GET /exports/:id answers it. */
const ExportFileSchema = z.object({
  id: z.uuid(),
  resource: z.enum(exportResources),
  format: z.string(),
  status: z.enum(exportFileStatuses),
  rowsTotal: z.number().int().nullable().describe("Counted when the job starts; null before"),
  rowsDone: z.number().int(),
  sizeBytes: z.number().int(),
  fileName: z.string(),
  error: z.string().nullable(),
  createdAt: z.date(),
  startedAt: z.date().nullable().describe("When the job began writing the file (its last attempt); null while queued"),
  finishedAt: z.date().nullable(),
  expiresAt: z.date().describe("After this the file is deleted and the links answer 404"),
  downloadUrl: z.string().nullable().describe("Set once completed"),
});

// The routes of an export job under the "Exports" tag openapi.ts declares (Redocly wants each declared);
// the POST that starts one sits with its list's routes.
const tags = ["Exports"];

/**
 * Exports too large to wait for (the web app uses these above 50,000 rows): `POST
 * /<resource>/exports` with the parameters of GET /<resource>/export in the query string starts
 * a job; `GET /exports/:id` tells its progress; `GET /exports/:id/download` streams the finished
 * file, for 24 hours, to the member who asked for it (or an admin).
 */
export const exportFilesRoutes: FastifyPluginAsyncZod = async (app) => {
  for (const resource of exportResources) {
    const Many = resource.charAt(0).toUpperCase() + resource.slice(1);
    app.post(
      `/${resource}/exports`,
      {
        config: { rateLimitPolicy: "export" },
        schema: {
          operationId: `start${Many}Export`,
          tags: [Many],
          summary: `Export the ${resource} list as a file, in the background`,
          description:
            `Takes the query parameters of GET /${resource}/export (format, columns, bom, filter[…], q, sort) and ` +
            "no body. Answers 202 with the export; follow it at GET /exports/{id} and download it from " +
            "GET /exports/{id}/download once completed. The file is kept 24 hours, then deleted. " +
            "Rate-limited as exports; audited when asked for, when written (with its row count) and when downloaded.",
          querystring: ExportQuerySchema,
          response: { 202: ExportFileSchema, ...writeProblems, 429: ProblemSchema },
        },
      },
      async (request, reply) => {
        const ctx = contextOf(request);
        const { format, columns, bom, ...parameters } = request.query;
        assertFormatFits(resource, format);
        const started = await requestExportFile(ctx, resource, { format, columns, bom: bom !== "false", parameters });
        await app.jobs.send(exportFileQueue, { workspaceId: ctx.workspaceId, exportId: started.id });
        return reply.code(202).header("location", `/api/v1/exports/${started.id}`).send(started);
      },
    );
  }

  app.get(
    "/exports/:id",
    {
      schema: {
        operationId: "getExport",
        tags,
        summary: "An export's progress",
        description: "Only the member who asked for it, or an admin, sees it; 404 once it has expired.",
        params: IdParamsSchema,
        response: { 200: ExportFileSchema, ...readProblems },
      },
    },
    async (request) => getExportFile(contextOf(request), request.params.id),
  );

  refuseHead(app, "/exports/:id/download");
  app.get(
    "/exports/:id/download",
    {
      exposeHeadRoute: false,
      schema: {
        operationId: "downloadExport",
        tags,
        summary: "Download a finished export's file",
        description:
          "Streams the file as an attachment, gzip-compressed (Content-Encoding) when the request's " +
          "Accept-Encoding takes gzip and the format is text. 409 while the export is not completed; 404 " +
          "for anyone but its requester or an admin, and once it has expired (24 hours after it finished).",
        params: IdParamsSchema,
        response: { 200: z.string().describe("The file, as an attachment"), ...readProblems, 409: ProblemSchema },
      },
    },
    async (request, reply) => {
      const download = await openExportDownload(contextOf(request), request.params.id);
      reply
        .header("content-type", download.contentType)
        .header("content-disposition", `attachment; filename="${download.fileName}"`);
      if (download.contentEncoding === "identity") {
        return reply.header("content-length", String(download.sizeBytes)).send(download.file as unknown as string);
      }
      // Stored compressed: sent as stored to a client that takes gzip (a browser saves it
      // decompressed), decompressed on the way to one that does not.
      const vary = reply.getHeader("vary");
      reply.header("vary", vary ? `${String(vary)}, accept-encoding` : "accept-encoding");
      if (new Negotiator(request).encoding(["gzip", "identity"]) === "gzip") {
        return reply
          .header("content-encoding", "gzip")
          .header("content-length", String(download.storedBytes))
          .send(download.file as unknown as string);
      }
      const decompressed = pipeline(download.file, createGunzip(), () => {});
      return reply.header("content-length", String(download.sizeBytes)).send(decompressed as unknown as string);
    },
  );
};
