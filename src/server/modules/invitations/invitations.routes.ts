import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { IdParamsSchema, pageOf } from "../../../shared/schemas/common.ts";
import { ProblemSchema } from "../../../shared/schemas/problem.ts";
import {
  AcceptInvitationSchema,
  AcceptedInvitationSchema,
  CreateInvitationSchema,
  InvitationPreviewSchema,
  InvitationSchema,
  InvitationTokenSchema,
  ListInvitationsQuerySchema,
} from "../../../shared/schemas/invitation.ts";
import { contextOf } from "../../http/authentication.ts";
import { publicBaseUrl } from "../../http/after-response.ts";
import { problemResponses, readProblems } from "../../http/record-routes.ts";
import { setActiveWorkspace } from "../auth/sessions.ts";
import { completeSignIn } from "../auth/sign-in-completion.ts";
import { acceptInvitation, inspectInvitation } from "./invitations.accept.ts";
import { createInvitation, listInvitations, revokeInvitation, type InvitationDeps } from "./invitations.service.ts";

const tags = ["Users"];
/** For people only: an API key cannot invite, list or revoke invitations. */
const security = [{ session: [] }];
/** Following a link: no session needed (one is used when it is the invitee's). */
const publicSecurity: { session: string[] }[] = [];

/** Invitations to join a workspace: create, list, revoke; inspect and accept a link. */
export const invitationsRoutes: FastifyPluginAsyncZod = async (app) => {
  // The e-mail goes out after the answer (app.defer).
  const deps: InvitationDeps = { db: app.db, config: app.config, log: app.log, defer: app.defer };

  app.post(
    "/invitations",
    {
      schema: {
        operationId: "createInvitation",
        tags,
        security,
        summary: "Invite someone to the workspace by e-mail (admins any role; managers agents and viewers)",
        description:
          "E-mails a link valid 7 days. A pending invitation to the same address is replaced: its link stops " +
          "working. 409 naming `email` when the address already belongs to a member (active or deactivated); " +
          "403 naming `role` when the caller's role may not invite that role.",
        body: CreateInvitationSchema,
        response: {
          201: InvitationSchema.describe("Invited: the e-mail is on its way"),
          ...problemResponses(400, 401, 403, 404, 409),
        },
      },
    },
    async (request, reply) => {
      const invitation = await createInvitation(contextOf(request), deps, request.body, publicBaseUrl(request));
      // No Location: an invitation is not read on its own, only listed.
      return reply.code(201).send(invitation);
    },
  );

  app.get(
    "/invitations",
    {
      schema: {
        operationId: "listInvitations",
        tags,
        security,
        summary: "List the workspace's invitations, newest first (admins and managers)",
        querystring: ListInvitationsQuerySchema,
        response: { 200: pageOf(InvitationSchema), ...readProblems },
      },
    },
    async (request) => listInvitations(contextOf(request), request.query),
  );

  app.delete(
    "/invitations/:id",
    {
      schema: {
        operationId: "revokeInvitation",
        tags,
        security,
        summary: "Revoke an invitation: its link stops working at once",
        description: "Revoking twice is harmless. 409 when the invitation was already accepted.",
        params: IdParamsSchema,
        response: { 204: z.null().describe("Revoked"), ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      // UUIDs are case-insensitive; the database answers them in lower case.
      await revokeInvitation(contextOf(request), request.params.id.toLowerCase());
      return reply.code(204).send(null);
    },
  );

  app.post(
    "/invitations/inspect",
    {
      schema: {
        operationId: "inspectInvitation",
        tags,
        security: publicSecurity,
        summary: "What an invitation link offers: the workspace, the role, and whether the e-mail has an account",
        description:
          "The token travels in the body, so it stays out of URLs and logs. A forged, used, revoked or " +
          "expired token answers 400 naming `token`, all alike.",
        body: InvitationTokenSchema,
        response: { 200: InvitationPreviewSchema, ...problemResponses(400, 403) },
      },
    },
    async (request) => inspectInvitation(app.db, request.body.token),
  );

  app.post(
    "/invitations/accept",
    {
      schema: {
        operationId: "acceptInvitation",
        tags,
        security: publicSecurity,
        summary: "Accept an invitation: an existing account joins, or a new one is created and signed in",
        description:
          "An existing account joins with the invited role, without its password (the link proves the " +
          "mailbox); when the request carries that user's session, the session switches to the workspace. " +
          "Without an account, `name` and `password` are required (400 naming them; passwords as for " +
          "sign-up): the account is created with its e-mail verified, joins, and is signed in (the answer " +
          "sets the session cookie). A forged, used, revoked or expired token answers 400 naming `token`; " +
          "a disabled account 403; 409 when the account is a member already.",
        body: AcceptInvitationSchema,
        response: { 200: AcceptedInvitationSchema, ...problemResponses(400, 403, 409), 429: ProblemSchema },
      },
    },
    async (request, reply) => {
      const accepted = await acceptInvitation(app.db, request.body, request.id);
      if (accepted.accountCreated) {
        await completeSignIn(app, request, reply, { id: accepted.userId, email: accepted.email }, accepted.workspaceId);
      } else if (request.sessionToken && request.identity?.userId === accepted.userId) {
        await setActiveWorkspace(app.db, request.sessionToken, accepted.workspaceId);
      }
      return {
        workspaceId: accepted.workspaceId,
        workspaceName: accepted.workspaceName,
        accountCreated: accepted.accountCreated,
      };
    },
  );
};
