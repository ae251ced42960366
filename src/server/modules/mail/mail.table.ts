import { sql } from "drizzle-orm";
import { index, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { timestamptz } from "../../db/columns.ts";

/**
 * E-mail kept instead of sent when no SMTP server is configured. Global like `sessions`
 * (keel_app has no grant); admins see the messages addressed to members of their workspace.
 */
export const mailOutbox = pgTable(
  "mail_outbox",
  {
    id: uuid().primaryKey(),
    toAddress: text().notNull(),
    subject: text().notNull(),
    textBody: text().notNull(),
    htmlBody: text(),
    createdAt: timestamptz().notNull().defaultNow(),
  },
  (t) => [
    index("mail_outbox_to_address_lower_idx").on(sql`lower(${t.toAddress})`),
    index("mail_outbox_created_at_id_idx").on(t.createdAt, t.id),
  ],
);
