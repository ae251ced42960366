import { z } from "zod";
import { IdSchema } from "./common.ts";

/** One of the signed-in user's sessions: never its token nor the token's hash. */
export const SessionSchema = z.object({
  id: IdSchema,
  createdAt: z.date(),
  lastSeenAt: z.date().describe("Recorded at most once a minute"),
  expiresAt: z.date(),
  ipAddress: z.string().nullable().describe("Where the session signed in from"),
  userAgent: z.string().nullable(),
  current: z.boolean().describe("True for the session making this request"),
});
export type Session = z.infer<typeof SessionSchema>;

export const SessionListSchema = z.object({ data: z.array(SessionSchema) });

/** The answer to revoking the other sessions. */
export const RevokedSessionsSchema = z.object({
  revoked: z.number().int().describe("How many sessions were revoked"),
});
