import type { FastifyInstance } from "fastify";
import type { FastifyPluginAsyncZod, ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { IdParamsSchema } from "../../../shared/schemas/common.ts";
import {
  CompanyDuplicateCheckQuerySchema,
  CompanyMergeRequestSchema,
  CompanyMergeResultSchema,
  ContactDuplicateCheckQuerySchema,
  ContactMergeRequestSchema,
  ContactMergeResultSchema,
  DuplicateGroupPageSchema,
  DuplicateGroupsQuerySchema,
  MergeUndoResultSchema,
  nameSimilarityThreshold,
  PossibleDuplicatesSchema,
} from "../../../shared/schemas/merge.ts";
import { contextOf } from "../../http/authentication.ts";
import { problemResponses, readProblems, versionedWriteProblems } from "../../http/record-routes.ts";
import { expectedVersion } from "../../http/versioning.ts";
import { findPossibleDuplicates, listDuplicateGroups } from "./duplicates.service.ts";
import { companyMerge, contactMerge, type MergeKind } from "./merge.kinds.ts";
import { mergeRecords } from "./merge.service.ts";
import { undoMerge } from "./merge.undo.ts";

const detection =
  `Exact e-mail (case-insensitive, high confidence), domain (high), phone (medium) and similar names ` +
  `(trigram similarity ≥ ${nameSimilarityThreshold}, low), among live records. Paged by cursor over groups; ` +
  "a page may hold fewer groups than `limit` (even none) while `nextCursor` is not null.";

const mergeHelp =
  "All or nothing, in one transaction: the merged records' related rows move to the survivor, the survivor " +
  "keeps the values of `fields` (others its own) and every record's tags, the merged records are deleted " +
  "with `mergedIntoId` pointing to the survivor. Needs update on the survivor and delete. If-Match applies " +
  "to the survivor. Undo with POST /merges/{mergeId}/undo.";

const headers = z.looseObject({
  "if-match": z.string().optional().describe("The survivor's version you last read; 412 when it changed since."),
  "idempotency-key": z.string().optional().describe("Replays the first answer for 24 hours."),
});

/** Duplicate detection and merge of contacts and companies, and the undo of a merge. */
export const mergeRoutes: FastifyPluginAsyncZod = async (app) => {
  registerFor(app, { path: "/contacts", tag: "Contacts", many: "Contacts", kind: contactMerge });
  registerFor(app, { path: "/companies", tag: "Companies", many: "Companies", kind: companyMerge });

  app.post(
    "/merges/:id/undo",
    {
      schema: {
        operationId: "undoMerge",
        tags: ["Merges"],
        summary: "Undo a merge of contacts or companies",
        description:
          "Restores the state before the merge: related rows back on their records, the survivor's values, the " +
          "merged records restored. 409 once undone, or when a record the merge touched changed since.",
        params: IdParamsSchema,
        response: { 200: MergeUndoResultSchema, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => undoMerge(contextOf(request), request.params.id),
  );
};

function registerFor(
  app: FastifyInstance,
  options: { path: string; tag: string; many: string; kind: MergeKind },
): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { path, kind, many } = options;
  const tags = [options.tag];
  const isContact = kind.resource === "contact";

  api.get(
    `${path}/duplicates`,
    {
      schema: {
        operationId: `list${many}Duplicates`,
        tags,
        summary: `Groups of likely duplicate ${path.slice(1)}`,
        description: detection,
        querystring: DuplicateGroupsQuerySchema,
        response: { 200: DuplicateGroupPageSchema, ...readProblems },
      },
    },
    async (request) => listDuplicateGroups(contextOf(request), kind.resource, request.query),
  );

  api.get(
    `${path}/possible-duplicates`,
    {
      schema: {
        operationId: `check${many}Duplicates`,
        tags,
        summary: `Live ${path.slice(1)} a draft would likely duplicate`,
        description: "For forms, as the user types: at most five matches, the most certain first.",
        querystring: isContact ? ContactDuplicateCheckQuerySchema : CompanyDuplicateCheckQuerySchema,
        response: { 200: PossibleDuplicatesSchema, ...readProblems },
      },
    },
    async (request) => ({ data: await findPossibleDuplicates(contextOf(request), kind.resource, request.query) }),
  );

  api.post(
    `${path}/merge`,
    {
      schema: {
        operationId: `merge${many}`,
        tags,
        summary: `Merge ${path.slice(1)} into one`,
        description: mergeHelp,
        headers,
        body: isContact ? ContactMergeRequestSchema : CompanyMergeRequestSchema,
        response: { 200: isContact ? ContactMergeResultSchema : CompanyMergeResultSchema, ...versionedWriteProblems },
      },
    },
    // The survivor is of the kind's record type: the response schema of the same kind serialises it.
    async (request) => (await mergeRecords(contextOf(request), kind, request.body, expectedVersion(request))) as never,
  );
}
