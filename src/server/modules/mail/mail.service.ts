import { and, desc, eq, inArray, sql } from "drizzle-orm";
import type { FastifyBaseLogger } from "fastify";
import type { Transporter } from "nodemailer";
import type { OutboxMessage } from "../../../shared/schemas/mail.ts";
import type { Config } from "../../config.ts";
import type { Database } from "../../db/client.ts";
import { describeError } from "../../http/logging.ts";
import { newId } from "../../lib/ids.ts";
import { memberships, users } from "../users/users.table.ts";
import { mailOutbox } from "./mail.table.ts";

/** One e-mail. `text` is required: every message has a plain-text part. */
export type Mail = { to: string; subject: string; text: string; html?: string | undefined };

/** What sending needs: the database (for the outbox), the configuration and a logger. */
export type MailDeps = { db: Database; config: Pick<Config, "smtpUrl" | "mailFrom">; log: FastifyBaseLogger };

const transports = new Map<string, Transporter>();

async function transportFor(smtpUrl: string): Promise<Transporter> {
  let transport = transports.get(smtpUrl);
  if (!transport) {
    // Loaded with the first e-mail sent over SMTP, not at start: without SMTP_URL it is never needed.
    const { default: nodemailer } = await import("nodemailer");
    transport = transports.get(smtpUrl) ?? nodemailer.createTransport(smtpUrl);
    transports.set(smtpUrl, transport);
  }
  return transport;
}

/**
 * Sends an e-mail through the SMTP server of `SMTP_URL`, or, without one, keeps it in the
 * outbox that admins read. Never throws: a failure is logged (without the address, the subject
 * or the body, which may hold a link's token) and reported as `false`.
 */
export async function sendMail(deps: MailDeps, mail: Mail): Promise<boolean> {
  try {
    if (deps.config.smtpUrl) {
      const transport = await transportFor(deps.config.smtpUrl);
      await transport.sendMail({
        from: deps.config.mailFrom,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        ...(mail.html === undefined ? {} : { html: mail.html }),
      });
    } else {
      await deps.db.insert(mailOutbox).values({
        id: newId(),
        toAddress: mail.to,
        subject: mail.subject,
        textBody: mail.text,
        htmlBody: mail.html ?? null,
      });
    }
    return true;
  } catch (error) {
    // An SMTP server's reply may quote the recipient: only its codes are logged.
    const { code, responseCode } = (error ?? {}) as { code?: unknown; responseCode?: unknown };
    const err = deps.config.smtpUrl ? { type: "SmtpError", code, responseCode } : describeError(error);
    deps.log.error({ err, via: deps.config.smtpUrl ? "smtp" : "outbox" }, "e-mail not sent");
    return false;
  }
}

/**
 * The newest `limit` messages of the outbox addressed to members of a workspace, newest first.
 * Runs as the system role: the outbox is global, like sessions.
 */
export async function listOutbox(db: Database, workspaceId: string, limit: number): Promise<OutboxMessage[]> {
  const memberAddresses = db
    .select({ email: sql`lower(${users.email})` })
    .from(users)
    .innerJoin(memberships, and(eq(memberships.userId, users.id), eq(memberships.workspaceId, workspaceId)));
  const rows = await db
    .select()
    .from(mailOutbox)
    .where(inArray(sql`lower(${mailOutbox.toAddress})`, memberAddresses))
    .orderBy(desc(mailOutbox.createdAt), desc(mailOutbox.id))
    .limit(limit);
  return rows.map((row) => ({
    id: row.id,
    to: row.toAddress,
    subject: row.subject,
    text: row.textBody,
    html: row.htmlBody,
    createdAt: row.createdAt,
  }));
}
