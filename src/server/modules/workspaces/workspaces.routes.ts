import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { CreateWorkspaceSchema, WorkspaceSchema } from "../../../shared/schemas/auth.ts";
import { ProblemSchema } from "../../../shared/schemas/problem.ts";
import { UpdateWorkspaceSettingsSchema, WorkspaceSettingsSchema } from "../../../shared/schemas/workspace-settings.ts";
import { contextOf, requireIdentity } from "../../http/authentication.ts";
import { readProblems, versionedWriteProblems } from "../../http/record-routes.ts";
import { expectedVersion, withETag } from "../../http/versioning.ts";
import { createWorkspace } from "./workspaces.service.ts";
import { getWorkspaceSettings, updateWorkspaceSettings } from "./workspaces.settings.ts";

const settingsHeaders = z.looseObject({
  "if-match": z.string().optional().describe("The settings' version you last read; 412 when they changed since."),
  "idempotency-key": z.string().optional().describe("Replays the first answer for 24 hours."),
});

export const workspacesRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    "/workspaces",
    {
      schema: {
        operationId: "createWorkspace",
        tags: ["Workspaces"],
        // Signed-in people only: API keys cannot create workspaces.
        security: [{ session: [] }],
        summary: "Create a workspace with the caller as its admin",
        body: CreateWorkspaceSchema,
        description: "Each user may create up to WORKSPACES_PER_USER workspaces (default 5); beyond that, 422.",
        response: {
          201: WorkspaceSchema,
          400: ProblemSchema,
          401: ProblemSchema,
          403: ProblemSchema,
          422: ProblemSchema,
        },
      },
    },
    async (request, reply) => {
      const identity = requireIdentity(request);
      const workspace = await createWorkspace(app.db, {
        ...request.body,
        adminUserId: identity.userId,
        limitPerUser: app.config.workspacesPerUser,
        requestId: request.id,
        client: { ipAddress: request.ip, userAgent: request.headers["user-agent"]?.slice(0, 500) ?? null },
      });
      return reply.code(201).header("location", `/api/v1/workspaces/${workspace.id}`).send(workspace);
    },
  );

  app.get(
    "/workspace",
    {
      schema: {
        operationId: "getWorkspace",
        tags: ["Workspaces"],
        summary: "The request's workspace and its settings",
        description:
          "Every member reads them (API keys with `workspace:read`): the currency, time zone and formats " +
          "to show values in, and the activity types and lost reasons writes are checked against.",
        response: { 200: WorkspaceSettingsSchema, ...readProblems },
      },
    },
    async (request, reply) => withETag(reply, await getWorkspaceSettings(contextOf(request))),
  );

  app.patch(
    "/workspace",
    {
      schema: {
        operationId: "updateWorkspace",
        tags: ["Workspaces"],
        summary: "Change some of the workspace's settings (admins)",
        description:
          "Only the fields sent change; lists are sent whole. With `If-Match`, 412 when the settings changed " +
          "since. Audited as `workspace.updated`, with the `workspace.updated` event. An activity type left out " +
          "of `activityTypes` is no longer offered; activities of that type keep it.",
        headers: settingsHeaders,
        body: UpdateWorkspaceSettingsSchema,
        response: { 200: WorkspaceSettingsSchema, ...versionedWriteProblems },
      },
    },
    async (request, reply) =>
      withETag(reply, await updateWorkspaceSettings(contextOf(request), request.body, expectedVersion(request))),
  );
};
