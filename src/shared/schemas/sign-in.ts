import { z } from "zod";
import { IdSchema, pageSizeQuery } from "./common.ts";

/** Why a sign-in failed; `wrong-code`: a wrong second-factor code (app or backup code) after a right password. */
export const signInFailureReasons = ["wrong-password", "unknown-email", "disabled", "wrong-code"] as const;
export type SignInFailureReason = (typeof signInFailureReasons)[number];

/** One sign-in attempt. Never the password tried. */
export const SignInAttemptSchema = z.object({
  id: IdSchema,
  userId: IdSchema.nullable().describe("Null when the e-mail belongs to no account"),
  email: z.string().describe("The e-mail address tried, lower-cased"),
  success: z.boolean(),
  reason: z.enum(signInFailureReasons).nullable().describe("Why it failed; null on success"),
  ipAddress: z.string().nullable(),
  userAgent: z.string().nullable(),
  at: z.date(),
});
export type SignInAttempt = z.infer<typeof SignInAttemptSchema>;

/** Paging of a sign-in history: newest first, by cursor. */
export const SignInHistoryQuerySchema = z.strictObject({
  limit: pageSizeQuery(200, 50),
  cursor: z.string().max(200).optional().describe("The nextCursor of the previous page."),
});

/** The workspace's sign-in history, optionally of one member. */
export const WorkspaceSignInsQuerySchema = SignInHistoryQuerySchema.extend({
  userId: IdSchema.optional().describe("Only this member's sign-ins"),
});
