import { z } from "zod";
import { IdSchema, pageSizeQuery } from "./common.ts";

/** An e-mail kept in the outbox because no SMTP server is configured. */
export const OutboxMessageSchema = z.object({
  id: IdSchema,
  to: z.string(),
  subject: z.string(),
  text: z.string(),
  html: z.string().nullable(),
  createdAt: z.date(),
});
export type OutboxMessage = z.infer<typeof OutboxMessageSchema>;

export const ListOutboxQuerySchema = z.object({
  limit: pageSizeQuery(100, 50),
});

/** The newest messages first, at most `limit` of them (no further pages). */
export const OutboxSchema = z.object({ data: z.array(OutboxMessageSchema) });
