import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { IdSchema } from "../../../shared/schemas/common.ts";
import { ProblemSchema } from "../../../shared/schemas/problem.ts";
import { readProblems, writeProblems } from "../../http/record-routes.ts";
import { contextOf } from "../../http/authentication.ts";
import { utf8Text } from "../../http/json-body.ts";
import { exportResources, exportTargets } from "./exports.resources.ts";
import { exportFilesRoutes, refuseHead } from "./exports.files.routes.ts";
import { assertFormatFits, ExportQuerySchema } from "./exports.query.ts";
import { fileNameOf, fileTypes, streamOf } from "./exports.output.ts";
import { prepareExport } from "./exports.stream.ts";
import { importVCards, maxVCardBytes } from "./exports.vcards.ts";

/** Besides the list's problems, 429 once the caller is over the export rate limit. */
export const exportProblems = { ...readProblems, 429: ProblemSchema };

/**
 * `GET /<resource>/export` for every exportable list, the exports run as jobs
 * (exports.files.routes.ts), and `POST /contacts/vcards`. Exports count
 * against the export rate limit, not the API's.
 */
export const exportsRoutes: FastifyPluginAsyncZod = async (app) => {
  await app.register(exportFilesRoutes);
  for (const resource of exportResources) {
    const target = exportTargets[resource];
    const Many = resource.charAt(0).toUpperCase() + resource.slice(1);
    refuseHead(app, `/${resource}/export`);
    app.get(
      `/${resource}/export`,
      {
        config: { rateLimitPolicy: "export" },
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
        assertFormatFits(resource, format);
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
    { parseAs: "buffer", bodyLimit: maxVCardBytes },
    (_request, body, done) => {
      try {
        done(null, utf8Text(body as Buffer));
      } catch (error) {
        done(error as Error, undefined);
      }
    },
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
        consumes: ["text/vcard"],
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
