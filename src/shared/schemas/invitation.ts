import { z } from "zod";
import type { Role } from "../permissions.ts";
import { RoleSchema, NewPasswordSchema, AccountTokenSchema } from "./auth.ts";
import { EmailSchema, IdSchema, pageSizeQuery, requiredText } from "./common.ts";

/** Days an invitation link works. */
export const invitationLifetimeDays = 7;

/** Where an invitation stands: accepted, revoked (or replaced by a newer one), expired, or still pending. */
export const invitationStatuses = ["pending", "accepted", "revoked", "expired"] as const;
export type InvitationStatus = (typeof invitationStatuses)[number];
export const InvitationStatusSchema = z.enum(invitationStatuses);

/**
 * The roles a role may invite: admins any, managers agents and viewers, others none (PRODUCT.md §6).
 * The server enforces it; the web app offers only these.
 */
export function invitableRoles(role: Role | null | undefined): Role[] {
  if (role === "admin") return ["admin", "manager", "agent", "viewer"];
  if (role === "manager") return ["agent", "viewer"];
  return [];
}

/** An invitation as the workspace's admins and managers see it: never its token. */
export const InvitationSchema = z.object({
  id: IdSchema,
  email: z.string().describe("The address invited, lower-cased"),
  role: RoleSchema.describe("The role the invitee gets on accepting"),
  status: InvitationStatusSchema,
  invitedBy: z.object({ id: IdSchema, name: z.string() }).describe("Who sent the invitation"),
  expiresAt: z.date().describe(`When the link stops working: ${invitationLifetimeDays} days after it was sent`),
  acceptedAt: z.date().nullable(),
  revokedAt: z.date().nullable().describe("Set when revoked, or replaced by a newer invitation to the same address"),
  createdAt: z.date(),
});
export type Invitation = z.infer<typeof InvitationSchema>;

export const CreateInvitationSchema = z.strictObject({
  email: EmailSchema.describe("Compared without regard to case, kept lower-cased"),
  role: RoleSchema.describe("Admins invite any role; managers invite agents and viewers"),
});
export type CreateInvitation = z.infer<typeof CreateInvitationSchema>;

/** Paging of the invitation list: newest first, by cursor, optionally of one status. */
export const ListInvitationsQuerySchema = z.strictObject({
  limit: pageSizeQuery(200, 50),
  cursor: z.string().max(200).optional().describe("The nextCursor of the previous page."),
  status: InvitationStatusSchema.optional().describe("Only invitations with this status"),
});
export type ListInvitationsQuery = z.infer<typeof ListInvitationsQuerySchema>;

/** The token of an invitation link; sent in a body, never a URL, so it stays out of logs. */
export const InvitationTokenSchema = z.strictObject({ token: AccountTokenSchema });

/** What the invitation page shows before the invitee accepts. */
export const InvitationPreviewSchema = z.object({
  workspaceName: z.string(),
  email: z.string(),
  role: RoleSchema,
  accountExists: z.boolean().describe("True: accepting needs no name or password, the account joins as it is"),
});
export type InvitationPreview = z.infer<typeof InvitationPreviewSchema>;

export const AcceptInvitationSchema = z.strictObject({
  token: AccountTokenSchema,
  name: requiredText(100).optional().describe("Required when the e-mail has no account yet"),
  password: NewPasswordSchema.optional().describe("Required when the e-mail has no account yet"),
});
export type AcceptInvitation = z.infer<typeof AcceptInvitationSchema>;

export const AcceptedInvitationSchema = z.object({
  workspaceId: IdSchema,
  workspaceName: z.string(),
  accountCreated: z
    .boolean()
    .describe("True: a new account was created and signed in (the answer sets the session cookie)"),
});
export type AcceptedInvitation = z.infer<typeof AcceptedInvitationSchema>;
