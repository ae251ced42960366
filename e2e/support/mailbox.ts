/**
 * A real SMTP server for the browser journeys: Keel sends its e-mail there (SMTP_URL), each
 * message lands as a file in a folder, and journeys read links out of them as a person would
 * out of their inbox.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SMTPServer } from "smtp-server";
import { inject } from "vitest";
import { freePort } from "../../src/server/test/ports.ts";

export type ReceivedMail = { to: string[]; subject: string; text: string; at: number };

/** Undoes quoted-printable (soft line breaks and =XX bytes) of a text part. */
function decodeQuotedPrintable(text: string): string {
  const bytes = text
    .replace(/=\r?\n/g, "")
    .replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return Buffer.from(bytes, "latin1").toString("utf8");
}

/** Decodes RFC 2047 encoded words in a header (`=?UTF-8?Q?…?=`, `=?UTF-8?B?…?=`). */
function decodeHeader(value: string): string {
  return value.replace(/=\?[^?]+\?([QB])\?([^?]*)\?=\s*/gi, (_, kind: string, data: string) =>
    kind.toUpperCase() === "B"
      ? Buffer.from(data, "base64").toString("utf8")
      : decodeQuotedPrintable(data.replace(/_/g, " ")),
  );
}

/** The subject and the plain-text part of a raw message (Keel's e-mails are text, maybe with HTML). */
export function parseMessage(raw: string): { subject: string; text: string } {
  const [head = "", ...rest] = raw.split(/\r?\n\r?\n/);
  const body = rest.join("\n\n");
  const unfolded = head.replace(/\r?\n[ \t]+/g, " ");
  const subject = decodeHeader(/^subject: (.*)$/im.exec(unfolded)?.[1] ?? "");
  const boundary = /boundary="?([^";\r\n]+)"?/i.exec(unfolded)?.[1];
  let part = { headers: unfolded, body };
  if (boundary) {
    const textPart = body
      .split(`--${boundary}`)
      .map((p) => {
        const [h = "", ...b] = p.replace(/^\r?\n/, "").split(/\r?\n\r?\n/);
        return { headers: h.replace(/\r?\n[ \t]+/g, " "), body: b.join("\n\n") };
      })
      .find((p) => /content-type: text\/plain/i.test(p.headers));
    if (textPart) part = textPart;
  }
  const encoding = /content-transfer-encoding: ([\w-]+)/i.exec(part.headers)?.[1]?.toLowerCase();
  const text =
    encoding === "quoted-printable"
      ? decodeQuotedPrintable(part.body)
      : encoding === "base64"
        ? Buffer.from(part.body.replace(/\s+/g, ""), "base64").toString("utf8")
        : part.body;
  return { subject, text: text.replace(/\r\n/g, "\n") };
}

/** Starts the SMTP server; every message is written to `dir` as JSON. */
export async function startMailbox(dir: string): Promise<{ smtpUrl: string; stop: () => Promise<void> }> {
  mkdirSync(dir, { recursive: true });
  let count = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const { subject, text } = parseMessage(Buffer.concat(chunks).toString("latin1"));
        const to = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
        const mail: ReceivedMail = { to, subject, text, at: Date.now() };
        // Written under another name and renamed, so a journey polling the folder never reads half a file.
        const file = join(dir, `${Date.now()}-${++count}.json`);
        writeFileSync(`${file}.partial`, JSON.stringify(mail));
        renameSync(`${file}.partial`, file);
        callback();
      });
    },
  });
  const port = await freePort();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  return {
    smtpUrl: `smtp://127.0.0.1:${port}`,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Every message received so far, oldest first. */
function readMailbox(): ReceivedMail[] {
  const dir = inject("mailDir");
  return readdirSync(dir)
    .filter((file) => file.endsWith(".json"))
    .sort((a, b) => a.localeCompare(b, "en", { numeric: true }))
    .map((file) => JSON.parse(readFileSync(join(dir, file), "utf8")) as ReceivedMail);
}

/** Waits (up to 20 s) for the newest message to `to` whose subject contains `subject`. */
export async function waitForMail(to: string, subject = ""): Promise<ReceivedMail> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const found = readMailbox()
      .filter((m) => m.to.includes(to.toLowerCase()) && m.subject.includes(subject))
      .at(-1);
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`No e-mail to ${to} with "${subject}" in its subject arrived within 20 s`);
}

/** The first link in a message to a path of Keel (e.g. "/verify-email"), as a path with its query. */
export function linkIn(mail: ReceivedMail, path: string): string {
  const match = new RegExp(`https?://[^\\s/]+(${path.replace(/[/]/g, "\\/")}\\?[^\\s]+)`).exec(mail.text);
  if (!match?.[1]) throw new Error(`No ${path} link in the e-mail "${mail.subject}":\n${mail.text}`);
  return match[1];
}
