import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  BulkOperationListQuerySchema,
  BulkOperationPageSchema,
  BulkOperationSchema,
  RefusedRecordSchema,
} from "../../../shared/schemas/bulk.ts";
import { IdParamsSchema } from "../../../shared/schemas/common.ts";
import { ProblemSchema } from "../../../shared/schemas/problem.ts";
import { contextOf } from "../../http/authentication.ts";
import { getBulkOperation, listBulkOperations } from "./records.bulk.operations.ts";
import { undoBulkOperation } from "./records.bulk.undo.ts";

const problems = (...statuses: (400 | 401 | 403 | 404 | 409)[]) =>
  Object.fromEntries(statuses.map((status) => [status, ProblemSchema])) as Record<
    400 | 401 | 403 | 404 | 409,
    typeof ProblemSchema
  >;

const BulkUndoResultSchema = z.object({
  operationId: z.string(),
  status: z.literal("undone"),
  reverted: z.number().int().describe("Records put back as they were"),
  refusedCount: z.number().int(),
  refused: z
    .array(RefusedRecordSchema)
    .describe("The first 100 records left as they are (changed since, or not yours)"),
});

/** Servers whose /bulk-operations routes exist: every bulk-capable collection asks, the first registers. */
const registered = new WeakSet<object>();

/**
 * `GET /bulk-operations`, `GET /bulk-operations/:id` and `POST /bulk-operations/:id/undo`:
 * registered with the first `POST /x/bulk` (record-routes.ts), under the same prefix.
 */
export function registerBulkOperationRoutes(app: FastifyInstance): void {
  if (registered.has(app.server)) return;
  registered.add(app.server);
  const api = app.withTypeProvider<ZodTypeProvider>();
  const tags = ["Bulk operations"];

  api.get(
    "/bulk-operations",
    {
      schema: {
        operationId: "listBulkOperations",
        tags,
        summary: "List bulk operations, newest first",
        description: "Admins and managers see the workspace's; everyone else their own.",
        querystring: BulkOperationListQuerySchema,
        response: { 200: BulkOperationPageSchema, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => listBulkOperations(contextOf(request), request.query),
  );

  api.get(
    "/bulk-operations/:id",
    {
      schema: {
        operationId: "getBulkOperation",
        tags,
        summary: "A bulk operation's progress and result",
        params: IdParamsSchema,
        response: { 200: BulkOperationSchema, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => getBulkOperation(contextOf(request), request.params.id),
  );

  api.post(
    "/bulk-operations/:id/undo",
    {
      schema: {
        operationId: "undoBulkOperation",
        tags,
        summary: "Undo a bulk operation (within 24 hours)",
        description:
          "Puts every record the operation changed back as it was; a record changed since by anyone is left as " +
          "it is and reported in `refused`. 409 while it runs, once undone, and after 24 hours.",
        params: IdParamsSchema,
        response: { 200: BulkUndoResultSchema, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => undoBulkOperation(contextOf(request), request.params.id),
  );
}
