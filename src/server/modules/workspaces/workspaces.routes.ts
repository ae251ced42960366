import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { CreateWorkspaceSchema, WorkspaceSchema } from "../../../shared/schemas/auth.ts";
import { ProblemSchema } from "../../../shared/schemas/problem.ts";
import { requireIdentity } from "../../http/authentication.ts";
import { createWorkspace } from "./workspaces.service.ts";

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
};
