import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { IdParamsSchema, ListQuerySchema, pageOf } from "../../../shared/schemas/common.ts";
import {
  CreateSavedViewSchema,
  ListSavedViewsQuerySchema,
  SavedViewSchema,
  UpdateSavedViewSchema,
} from "../../../shared/schemas/saved-view.ts";
import { parseListRequest } from "../../db/listing.ts";
import { contextOf } from "../../http/authentication.ts";
import { includeOf, readProblems, versionedWriteProblems, writeProblems } from "../../http/record-routes.ts";
import { expectedVersion, withETag } from "../../http/versioning.ts";
import { savedViewsListSpec } from "./saved-views.repository.ts";
import {
  createSavedView,
  deleteSavedView,
  getSavedView,
  listSavedViews,
  updateSavedView,
} from "./saved-views.service.ts";

const tags = ["Saved views"];
const versionHeaders = z.looseObject({
  "if-match": z.string().optional().describe("The version you last read; 412 when the view changed since."),
});
const IncludeQuerySchema = z.strictObject({ include: ListQuerySchema.shape.include });

/** /views: saved list views (filters, sort, columns and their widths, search), private or shared with the workspace. */
export const savedViewsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/views",
    {
      schema: {
        operationId: "listSavedViews",
        tags,
        summary: "List your own views and the workspace's shared ones",
        description:
          "Sorted by name unless `sort=-updatedAt` (or `name`, `updatedAt`). Filters: filter[visibility], " +
          "filter[ownerId] (me), filter[name]. Includes: owner.",
        querystring: ListSavedViewsQuerySchema,
        response: { 200: pageOf(SavedViewSchema), ...readProblems },
      },
    },
    async (request) => {
      const ctx = contextOf(request);
      const { resource, ...query } = request.query;
      return listSavedViews(ctx, resource, parseListRequest(savedViewsListSpec, query, ctx.actor.userId));
    },
  );

  app.post(
    "/views",
    {
      schema: {
        operationId: "createSavedView",
        tags,
        summary: "Save a view",
        body: CreateSavedViewSchema,
        response: { 201: SavedViewSchema, ...writeProblems },
      },
    },
    async (request, reply) => {
      const view = await createSavedView(contextOf(request), request.body);
      return withETag(reply.code(201).header("location", `/api/v1/views/${view.id}`), view);
    },
  );

  app.get(
    "/views/:id",
    {
      schema: {
        operationId: "getSavedView",
        tags,
        summary: "Get a view (404 for another user's private view)",
        params: IdParamsSchema,
        querystring: IncludeQuerySchema,
        response: { 200: SavedViewSchema, ...readProblems },
      },
    },
    async (request, reply) => {
      const include = includeOf(savedViewsListSpec, request.query.include);
      return withETag(reply, await getSavedView(contextOf(request), request.params.id, include));
    },
  );

  app.patch(
    "/views/:id",
    {
      schema: {
        operationId: "updateSavedView",
        tags,
        summary: "Change a view: your private one, or (admins, managers) a shared one",
        params: IdParamsSchema,
        headers: versionHeaders,
        body: UpdateSavedViewSchema,
        response: { 200: SavedViewSchema, ...versionedWriteProblems },
      },
    },
    async (request, reply) => {
      const ctx = contextOf(request);
      return withETag(reply, await updateSavedView(ctx, request.params.id, request.body, expectedVersion(request)));
    },
  );

  app.delete(
    "/views/:id",
    {
      schema: {
        operationId: "deleteSavedView",
        tags,
        summary: "Delete a view for good (no restore)",
        params: IdParamsSchema,
        headers: versionHeaders,
        response: { 204: z.null().describe("Deleted"), ...versionedWriteProblems },
      },
    },
    async (request, reply) => {
      await deleteSavedView(contextOf(request), request.params.id, expectedVersion(request));
      return reply.code(204).send(null);
    },
  );
};
