import { index, integer, jsonb, pgTable, primaryKey, text, uuid } from "drizzle-orm/pg-core";
import { timestamptz } from "../../db/columns.ts";

/** The first answer to a write sent with an Idempotency-Key, replayed for 24 hours. */
export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    workspaceId: uuid().notNull(),
    actorId: uuid().notNull(),
    key: text().notNull(),
    method: text().notNull(),
    path: text().notNull(),
    requestHash: text().notNull(),
    /** Null while the first request is still running. */
    statusCode: integer(),
    responseBody: jsonb(),
    location: text(),
    /** The answer's ETag (a record's version), so a replay lets the client go on with If-Match. */
    etag: text(),
    createdAt: timestamptz().notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.actorId, t.key] }),
    index("idempotency_keys_created_at_idx").on(t.createdAt),
  ],
);
