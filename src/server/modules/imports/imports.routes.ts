import { Readable } from "node:stream";
import multipart from "@fastify/multipart";
import { stringify } from "csv-stringify";
import type { FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { IdParamsSchema, pageOf } from "../../../shared/schemas/common.ts";
import {
  ImportErrorsQuerySchema,
  ImportListQuerySchema,
  ImportSchema,
  importResources,
  RowErrorSchema,
  UpdateImportSchema,
  UploadedImportSchema,
  type ImportResource,
} from "../../../shared/schemas/import.ts";
import { ProblemSchema } from "../../../shared/schemas/problem.ts";
import { contextOf } from "../../http/authentication.ts";
import { problemResponses, readProblems, writeProblems } from "../../http/record-routes.ts";
import { AppError } from "../../lib/errors.ts";
import { neutralise } from "../exports/exports.csv.ts";
import { failingRows, listImportErrors } from "./imports.errors.ts";
import { dryRunQueue, importQueue } from "./imports.jobs.ts";
import {
  cancelImport,
  getImport,
  importLimits,
  listImports,
  startDryRun,
  startImport,
  updateImportSettings,
  uploadImport,
} from "./imports.service.ts";
import { undoImport } from "./imports.undo.ts";

// Listed with the background jobs until openapi.ts declares an "Imports" tag (Redocly wants each declared).
const tags = ["Imports"];
const uploadProblems = { ...writeProblems, 413: ProblemSchema, 415: ProblemSchema };
const tooLarge = () =>
  new AppError("payload-too-large", `The file is larger than ${importLimits.maxFileBytes} bytes.`, [
    { path: "file", message: `At most ${importLimits.maxFileBytes} bytes` },
  ]);

/**
 * Form fields an upload may carry. The parser is told one more, since past its limit it drops
 * fields silently and still passes the file on: a resource sent after too many others would
 * otherwise read as missing.
 */
const maxUploadFields = 10;

const tooManyFields = () =>
  new AppError("validation", `The upload has more than ${maxUploadFields} form fields.`, [
    { path: "file", message: "Too many form fields" },
  ]);

/** The multipart parser's errors (no or too long a boundary, a body cut short): the client's fault, not ours. */
const isMalformedMultipart = (error: unknown) =>
  error instanceof Error &&
  !(error instanceof AppError) &&
  /^(Multipart: Boundary not found|Unexpected end of multipart data|The needle cannot)|terminated early due to unexpected end of multipart data$/.test(
    error.message,
  );

/**
 * The multipart upload: `resource` first, then `file`, which is handed on as it arrives (never
 * held whole in memory). Past the size limit the stream ends early and the upload answers 413.
 */
async function receiveUpload(request: FastifyRequest) {
  if (!request.isMultipart()) {
    throw new AppError("unsupported-media-type", "Send the file as multipart/form-data.");
  }
  let resource: ImportResource | null = null;
  let fieldsSeen = 0;
  try {
    for await (const part of request.parts({ limits: { fileSize: importLimits.maxFileBytes, files: 1 } })) {
      if (part.type === "field") {
        fieldsSeen += 1;
        if (fieldsSeen > maxUploadFields) throw tooManyFields();
        if (part.fieldname !== "resource") continue;
        if (resource !== null) {
          throw new AppError("validation", "Send the resource field once.", [
            { path: "resource", message: "Sent twice" },
          ]);
        }
        const parsed = z.enum(importResources).safeParse(part.value);
        if (!parsed.success) {
          throw new AppError("validation", `Unknown resource "${String(part.value)}".`, [
            { path: "resource", message: `Must be one of ${importResources.join(", ")}` },
          ]);
        }
        resource = parsed.data;
        continue;
      }
      if (!resource) {
        throw new AppError("validation", "Send the resource field before the file.", [
          { path: "resource", message: "Required, before file" },
        ]);
      }
      const file = part.file;
      async function* bytes() {
        for await (const chunk of file) yield chunk as Buffer;
        if (file.truncated) throw tooLarge();
      }
      return await uploadImport(contextOf(request), {
        resource,
        fileName: part.filename || "import.csv",
        bytes: bytes(),
      });
    }
  } catch (error) {
    if (error instanceof Error && "code" in error && error.code === "FST_REQ_FILE_TOO_LARGE") throw tooLarge();
    if (error instanceof Error && "code" in error && error.code === "FST_FIELDS_LIMIT") throw tooManyFields();
    if (isMalformedMultipart(error)) {
      throw new AppError("validation", "The multipart/form-data body is malformed.", [
        { path: "file", message: "Unreadable upload" },
      ]);
    }
    throw error;
  }
  throw new AppError("validation", "The upload has no file.", [
    ...(resource ? [] : [{ path: "resource", message: "Required" }]),
    { path: "file", message: "Required" },
  ]);
}

/** errors.csv: one line per failing row: its line, its messages, then the row as the file had it. */
function errorsCsv(rows: ReturnType<typeof failingRows>): Readable {
  async function* records() {
    let columns: string[] = [];
    let current: { line: number; messages: string[]; raw: Record<string, string> } | null = null;
    const flush = () => [
      String(current!.line),
      current!.messages.join("; "),
      ...columns.map((c) => neutralise(current!.raw[c] ?? "")),
    ];
    for await (const item of rows) {
      if ("columns" in item) {
        columns = item.columns ?? [];
        yield ["line", "errors", ...columns];
        continue;
      }
      const { error } = item;
      if (current && current.line !== error.line) yield flush();
      if (!current || current.line !== error.line) current = { line: error.line, messages: [], raw: error.raw };
      current.messages.push(error.column ? `${error.column}: ${error.message}` : error.message);
    }
    if (current) yield flush();
  }
  return Readable.from(records()).pipe(stringify({ bom: true, record_delimiter: "\r\n" }));
}

/** /imports: upload a file, map its columns, dry-run, start (a job), follow, cancel, undo. */
export const importsRoutes: FastifyPluginAsyncZod = async (app) => {
  // Only this plugin takes multipart bodies; the file streams into the database in slices.
  await app.register(multipart, {
    limits: { fileSize: importLimits.maxFileBytes, files: 1, fields: maxUploadFields + 1 },
  });

  app.post(
    "/imports",
    {
      schema: {
        operationId: "uploadImport",
        tags,
        summary: "Upload a CSV or XLSX file to import",
        description:
          "multipart/form-data with `resource` (contacts, companies, leads, deals, activities, tasks) and then " +
          "`file`. Detects XLSX, the CSV delimiter (, ; tab |) and encoding (UTF-8 with or without BOM, else " +
          "Windows-1252). Answers the columns, the first 5 rows and a suggested mapping. 413 past the size limit.",
        response: { 201: UploadedImportSchema, ...uploadProblems },
      },
    },
    async (request, reply) => reply.code(201).send(await receiveUpload(request)),
  );

  app.get(
    "/imports",
    {
      schema: {
        operationId: "listImports",
        tags,
        summary: "List imports, newest first",
        description: "Agents see the imports they started; viewers none.",
        querystring: ImportListQuerySchema,
        response: { 200: pageOf(ImportSchema), ...readProblems },
      },
    },
    async (request) => listImports(contextOf(request), request.query),
  );

  app.get(
    "/imports/:id",
    {
      schema: {
        operationId: "getImport",
        tags,
        summary: "Get an import and its progress",
        params: IdParamsSchema,
        response: { 200: ImportSchema, ...readProblems },
      },
    },
    async (request) => getImport(contextOf(request), request.params.id),
  );

  app.patch(
    "/imports/:id",
    {
      schema: {
        operationId: "updateImport",
        tags,
        summary: "Change an import's mapping, duplicate policy or options",
        description:
          "Before it starts, and not while a dry run validates it (409: wait for it to end, or cancel it). A " +
          "mapping to a field the resource cannot import answers 400 naming the header.",
        params: IdParamsSchema,
        body: UpdateImportSchema,
        response: { 200: ImportSchema, ...writeProblems },
      },
    },
    async (request) => updateImportSettings(contextOf(request), request.params.id, request.body),
  );

  app.post(
    "/imports/:id/dry-run",
    {
      schema: {
        operationId: "dryRunImport",
        tags,
        summary: "Validate every row without writing anything (runs as a background job)",
        description:
          "202 with the import `validating`; the `imports.dry-run` job then writes each batch of 1,000 rows " +
          "in a transaction that is rolled back: the API's schemas and rules, duplicates and related records " +
          "exactly as the import would see them. Follow it with GET /imports/:id (`rowsDone`, `rowsPerSecond`, " +
          "`eta`, and `dryRun` with the counts so far); it ends `uploaded` with `dryRun` { rowsTotal, " +
          "wouldCreate, wouldUpdate, wouldSkip, failed }, or with `errorSummary` and no counts when it failed. " +
          "The errors: GET /imports/:id/errors and errors.csv. Sent again while validating, it starts over; " +
          "cancel stops it. While it validates, the import cannot be changed or started (409).",
        params: IdParamsSchema,
        response: { 202: ImportSchema, ...writeProblems },
      },
    },
    async (request, reply) => {
      const ctx = contextOf(request);
      const validating = await startDryRun(ctx, request.params.id);
      try {
        await app.jobs.send(dryRunQueue, { workspaceId: ctx.workspaceId, importId: validating.id });
      } catch (error) {
        // No job will check the rows: the import goes back to uploaded rather than wait for one.
        await cancelImport(ctx, validating.id).catch(() => undefined);
        throw error;
      }
      return reply.code(202).send(validating);
    },
  );

  app.post(
    "/imports/:id/start",
    {
      schema: {
        operationId: "startImport",
        tags,
        summary: "Start an import (runs as a background job)",
        description: "From `uploaded`: while a dry run validates the import, 409 (wait for it to end, or cancel it).",
        params: IdParamsSchema,
        response: { 202: ImportSchema, ...writeProblems },
      },
    },
    async (request, reply) => {
      const ctx = contextOf(request);
      const started = await startImport(ctx, request.params.id);
      await app.jobs.send(importQueue, { workspaceId: ctx.workspaceId, importId: started.id });
      return reply.code(202).send(started);
    },
  );

  app.post(
    "/imports/:id/cancel",
    {
      schema: {
        operationId: "cancelImport",
        tags,
        summary: "Cancel an import; what it wrote so far stays (undo takes it back)",
        description:
          "An uploaded or running import becomes `cancelled` (a running one stops at its next batch). A " +
          "validating import is not cancelled: its dry run stops at its next batch and the import is " +
          "`uploaded` again, without the dry run's counts or errors, ready to be changed, checked or started.",
        params: IdParamsSchema,
        response: { 200: ImportSchema, ...writeProblems },
      },
    },
    async (request) => cancelImport(contextOf(request), request.params.id),
  );

  app.post(
    "/imports/:id/undo",
    {
      schema: {
        operationId: "undoImport",
        tags,
        summary: "Undo an import: delete what it created, restore what it updated",
        description: "One transaction. Created records are soft-deleted (restorable); admins and managers.",
        params: IdParamsSchema,
        response: { 200: ImportSchema, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => undoImport(contextOf(request), request.params.id),
  );

  app.get(
    "/imports/:id/errors",
    {
      schema: {
        operationId: "listImportErrors",
        tags,
        summary: "The errors of the dry run or the run, by line",
        description:
          "Keyset pages (`limit`, `cursor` = the previous page's `nextCursor`), by line and then by the " +
          "error's place on the line: errors.csv without the rows' cells. While validating, those found so far.",
        params: IdParamsSchema,
        querystring: ImportErrorsQuerySchema,
        response: { 200: pageOf(RowErrorSchema), ...readProblems },
      },
    },
    async (request) => listImportErrors(contextOf(request), request.params.id, request.query),
  );

  app.get(
    "/imports/:id/errors.csv",
    {
      schema: {
        operationId: "downloadImportErrors",
        tags,
        summary: "The failing rows as CSV: line, messages, then the row",
        params: IdParamsSchema,
        response: { 200: z.string().describe("CSV"), ...readProblems },
      },
    },
    async (request, reply) => {
      const rows = failingRows(contextOf(request), request.params.id);
      const first = await rows.next(); // checks access before the answer starts
      async function* again() {
        if (!first.done) yield first.value;
        yield* rows;
      }
      return reply
        .type("text/csv; charset=utf-8")
        .header("content-disposition", `attachment; filename="import-${request.params.id}-errors.csv"`)
        .send(errorsCsv(again() as ReturnType<typeof failingRows>) as unknown as string);
    },
  );
};
