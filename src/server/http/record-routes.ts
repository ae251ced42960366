import type { FastifyInstance, FastifyRequest, onResponseAsyncHookHandler } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { Resource } from "../../shared/permissions.ts";
import {
  BulkOperationSchema,
  BulkQueuedSchema,
  bulkRequestSchema,
  type BulkRequest,
} from "../../shared/schemas/bulk.ts";
import { CountQuerySchema, CountSchema, IdParamsSchema, ListQuerySchema, pageOf } from "../../shared/schemas/common.ts";
import { ProblemSchema } from "../../shared/schemas/problem.ts";
import { parseInclude, parseListRequest, type ListRequest, type ListSpec, type RowCount } from "../db/listing.ts";
import type { RequestContext } from "../lib/context.ts";
import { AppError } from "../lib/errors.ts";
import { AuditPageSchema, HistoryQuerySchema } from "../../shared/schemas/audit.ts";
import { recordHistory, runBulkAction, type BulkTarget, type RecordType } from "../modules/records/index.ts";
import { bulkRunQueue, markFailed } from "../modules/records/records.bulk.ts";
import { registerBulkOperationRoutes } from "../modules/records/records.bulk.routes.ts";
import { bulkTargetOf } from "../modules/records/records.bulk.targets.ts";
import { contextOf } from "./authentication.ts";
import { expectedVersion, withETag } from "./versioning.ts";

/** The use cases behind the standard endpoints of a record type. */
export type RecordService<TRecord extends { id: string; version: number }, TCreate, TUpdate> = {
  list: (ctx: RequestContext, request: ListRequest) => Promise<{ data: TRecord[]; nextCursor: string | null }>;
  count: (ctx: RequestContext, request: ListRequest) => Promise<RowCount>;
  get: (ctx: RequestContext, id: string, include: string[]) => Promise<TRecord>;
  create: (ctx: RequestContext, input: TCreate) => Promise<TRecord>;
  update: (ctx: RequestContext, id: string, input: TUpdate, expectedVersion?: number) => Promise<TRecord>;
  delete: (ctx: RequestContext, id: string, expectedVersion?: number) => Promise<void>;
  restore: (ctx: RequestContext, id: string, expectedVersion?: number) => Promise<TRecord>;
};

type ProblemStatus = 400 | 401 | 403 | 404 | 409 | 412 | 422;

/** Response schemas for the problems a route can answer; openapi.ts describes each status. */
export function problemResponses<S extends ProblemStatus>(...statuses: S[]): Record<S, typeof ProblemSchema> {
  return Object.fromEntries(statuses.map((status) => [status, ProblemSchema])) as Record<S, typeof ProblemSchema>;
}

/** Any workspace request: invalid input, not signed in, a role that may not, no such record or workspace. */
export const readProblems = problemResponses(400, 401, 403, 404);
/** A write may also meet a duplicate or a concurrent request (409), or break a rule (422). */
export const writeProblems = problemResponses(400, 401, 403, 404, 409, 422);
/** A write that honours If-Match also answers 412 when the record changed since. */
export const versionedWriteProblems = problemResponses(400, 401, 403, 404, 409, 412, 422);

const countHelp =
  "Exact up to 10,000; a larger count is estimated (never a scan of every match) and answered with `isEstimate: true`.";
const IncludeQuerySchema = z.strictObject({ include: ListQuerySchema.shape.include });
const versionHeaders = z.looseObject({
  "if-match": z.string().optional().describe("The version you last read; 412 when the record changed since."),
});
const idempotencyHeaders = z.looseObject({
  "idempotency-key": z.string().optional().describe("Replays the first answer for 24 hours."),
});

/** "saved view" → "SavedView": the noun as it appears inside an operationId. */
function pascalCase(words: string): string {
  return words
    .split(/[\s-]+/)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join("");
}

/**
 * Registers list, count, create, get, patch, delete and restore for one record type, all with
 * the same contract: keyset lists, problem+json errors, If-Match and Idempotency-Key. With `bulk`,
 * also `POST /x/bulk`: an action on a selection or a whole filter, through the same rules.
 * Operation ids come from `noun` and `plural` (listContacts, getContact…): generated clients name
 * their methods after them, so changing either breaks those clients.
 */
export function registerRecordRoutes<TRecord extends { id: string; version: number }, TCreate, TUpdate>(
  app: FastifyInstance,
  options: {
    path: string;
    tag: string;
    /** One record, lower case: "contact". */
    noun: string;
    /** Several records, lower case: "contacts". */
    plural: string;
    listSpec: ListSpec;
    schemas: { record: z.ZodType; create: z.ZodType; update: z.ZodType };
    service: RecordService<TRecord, TCreate, TUpdate>;
    /** The permission resource, and the field `assign` sets (null: the records have no owner). */
    bulk?: { resource: Resource; assignField: BulkTarget["assignField"] };
    /** With the record type: `GET /x/:id/history`, the record's entries of the audit log. */
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any record type's rows
    history?: RecordType<any, any, any, any>;
  },
): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { path, noun, plural, service, schemas, listSpec } = options;
  const tags = [options.tag];
  const one = pascalCase(noun);
  const many = pascalCase(plural);
  const filterHelp = `Filters: ${Object.keys(listSpec.fields)
    .map((f) => `filter[${f}]`)
    .join(", ")}. Sortable: ${Object.entries(listSpec.fields)
    .filter(([, f]) => f.sortable)
    .map(([name]) => name)
    .join(", ")}.${listSpec.includes?.length ? ` Includes: ${listSpec.includes.join(", ")}.` : ""}`;

  api.get(
    path,
    {
      schema: {
        operationId: `list${many}`,
        tags,
        summary: `List ${plural}`,
        description: filterHelp,
        querystring: ListQuerySchema,
        response: { 200: pageOf(schemas.record), ...readProblems },
      },
    },
    async (request) => {
      const ctx = contextOf(request);
      return service.list(ctx, parseListRequest(listSpec, request.query, ctx.actor.userId));
    },
  );

  api.get(
    `${path}/count`,
    {
      schema: {
        operationId: `count${many}`,
        tags,
        summary: `Count ${plural} matching the list filters`,
        description: `${countHelp} ${filterHelp}`,
        querystring: CountQuerySchema,
        response: { 200: CountSchema, ...readProblems },
      },
    },
    async (request) => {
      const ctx = contextOf(request);
      return service.count(ctx, parseListRequest(listSpec, request.query, ctx.actor.userId, "count"));
    },
  );

  api.post(
    path,
    {
      schema: {
        operationId: `create${one}`,
        tags,
        summary: `Create a ${noun}`,
        headers: idempotencyHeaders,
        body: schemas.create,
        response: { 201: schemas.record, ...writeProblems },
      },
    },
    async (request, reply) => {
      const record = await service.create(contextOf(request), request.body as TCreate);
      return withETag(reply.code(201).header("location", `/api/v1${path}/${record.id}`), record);
    },
  );

  api.get(
    `${path}/:id`,
    {
      schema: {
        operationId: `get${one}`,
        tags,
        summary: `Get a ${noun} (also a deleted one)`,
        params: IdParamsSchema,
        querystring: IncludeQuerySchema,
        response: { 200: schemas.record, ...readProblems },
      },
    },
    async (request, reply) => {
      const include = includeOf(listSpec, request.query.include);
      return withETag(reply, await service.get(contextOf(request), request.params.id, include));
    },
  );

  api.patch(
    `${path}/:id`,
    {
      schema: {
        operationId: `update${one}`,
        tags,
        summary: `Update some fields of a ${noun}`,
        params: IdParamsSchema,
        headers: versionHeaders.merge(idempotencyHeaders),
        body: schemas.update,
        response: { 200: schemas.record, ...versionedWriteProblems },
      },
    },
    async (request, reply) => {
      const record = await service.update(
        contextOf(request),
        request.params.id,
        request.body as TUpdate,
        expectedVersion(request),
      );
      return withETag(reply, record);
    },
  );

  api.delete(
    `${path}/:id`,
    {
      schema: {
        operationId: `delete${one}`,
        tags,
        summary: `Delete a ${noun} (soft: it can be restored)`,
        params: IdParamsSchema,
        headers: versionHeaders,
        response: { 204: z.null().describe("Deleted"), ...versionedWriteProblems },
      },
    },
    async (request, reply) => {
      await service.delete(contextOf(request), request.params.id, expectedVersion(request));
      return reply.code(204).send(null);
    },
  );

  api.post(
    `${path}/:id/restore`,
    {
      schema: {
        operationId: `restore${one}`,
        tags,
        summary: `Restore a deleted ${noun}`,
        params: IdParamsSchema,
        headers: versionHeaders,
        response: { 200: schemas.record, ...versionedWriteProblems },
      },
    },
    async (request, reply) => {
      return withETag(reply, await service.restore(contextOf(request), request.params.id, expectedVersion(request)));
    },
  );

  const historyType = options.history;
  if (historyType) {
    api.get(
      `${path}/:id/history`,
      {
        schema: {
          operationId: `get${one}History`,
          tags,
          summary: `The change history of a ${noun}`,
          description:
            "The record's audit entries, newest first: who changed which fields from what to what, when and from " +
            "where. Managers and admins; agents for records they own.",
          params: IdParamsSchema,
          querystring: HistoryQuerySchema,
          response: { 200: AuditPageSchema, ...readProblems },
        },
      },
      async (request) => recordHistory(contextOf(request), historyType, request.params.id, request.query),
    );
  }

  if (options.bulk) {
    const table = listSpec.table;
    if (!table.deletedAt) throw new Error(`${path}: bulk actions need soft-deletable records`);
    const target = bulkTargetOf(plural);
    if (!target) throw new Error(`${path}: no bulk target for ${plural}`);
    registerBulkRoute(app, { path, plural, tags, target });
  }
}

/**
 * POST /x/bulk: an action on a selection or a whole filter, through the record type's own rules;
 * the first collection that registers one also registers /bulk-operations (progress, undo).
 */
function registerBulkRoute(
  app: FastifyInstance,
  options: { path: string; plural: string; tags: string[]; target: BulkTarget },
): void {
  const { path, plural, tags, target } = options;
  registerBulkOperationRoutes(app);
  app.withTypeProvider<ZodTypeProvider>().post(
    `${path}/bulk`,
    {
      schema: {
        operationId: `bulk${pascalCase(plural)}`,
        tags,
        summary: `Change, tag, assign, delete or restore many ${plural} at once`,
        description: bulkDescription(target),
        headers: idempotencyHeaders,
        body: bulkRequestSchema(target.collection),
        response: { 200: BulkOperationSchema, 202: BulkQueuedSchema, ...writeProblems },
      },
      onResponse: sendQueuedOperation(app),
    },
    async (request, reply) => {
      const started = await runBulkAction(contextOf(request), target, request.body as BulkRequest);
      if (!started.queued) return started.operation;
      queuedOperations.set(request, started.operationId);
      return reply.code(202).send({ operationId: started.operationId, status: "queued" as const });
    },
  );
}

/** Operations to hand to the job queue once their request has answered (and so committed). */
const queuedOperations = new WeakMap<FastifyRequest, string>();

/**
 * Sends a queued operation's job after the answer: with an Idempotency-Key the handler runs inside
 * the request's transaction, and a job sent before that commits could look for the operation too
 * early (or, on the embedded database, wait for the transaction's connection).
 */
function sendQueuedOperation(app: FastifyInstance): onResponseAsyncHookHandler {
  return async (request, reply) => {
    const operationId = queuedOperations.get(request);
    if (!operationId || reply.statusCode !== 202) return;
    const ctx = contextOf(request);
    try {
      await app.jobs.send(bulkRunQueue, { workspaceId: ctx.workspaceId, operationId });
    } catch (error) {
      request.log.error({ err: error, operationId }, "bulk operation could not be queued");
      await markFailed(ctx, operationId, "The operation could not be queued; nothing was changed.");
    }
  };
}

function bulkDescription(target: BulkTarget): string {
  const assign = target.assignField ? ` assign sets each record's ${target.assignField} to ownerId.` : "";
  return (
    "Acts on `ids` (up to 10,000) or on every record matching `filter` (the list's query parameters). Each " +
    "record passes the checks and rules of its own endpoint and emits the same events; a record the caller " +
    "may not change, or that breaks a rule, is reported in `refused` with a message and left as it is. Up to " +
    "1,000 matched records answer 200 with the finished operation; more answer 202 and run as a job (poll " +
    `GET /bulk-operations/{id}). Undo within 24 hours: POST /bulk-operations/{id}/undo.${assign}`
  );
}

/** `include` of a single-record request, validated like a list's. */
export function includeOf(spec: ListSpec, raw: string | undefined): string[] {
  const errors: { path: string; message: string }[] = [];
  const names = parseInclude(spec, raw, errors);
  if (errors.length > 0) throw new AppError("validation", "Some query parameters are invalid.", errors);
  return names;
}
