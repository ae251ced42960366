import { desc, eq, sql } from "drizzle-orm";
import type { LightMyRequestResponse } from "fastify";
import { expect } from "vitest";
import type { Role } from "../../../shared/permissions.ts";
import type { Invitation } from "../../../shared/schemas/invitation.ts";
import { newId } from "../../lib/ids.ts";
import { testDatabase, type Client } from "../../test/create-test-app.ts";
import { mailOutbox } from "../mail/mail.table.ts";
import { hashToken } from "../auth/index.ts";
import { invitations } from "./invitations.table.ts";

/** Test data and helpers of the invitation tests. */

/** An address nobody has an account with. */
export const newAddress = (label = "invitee") => `${label}-${newId()}@invitee.keel.test`;

/** Invites an address and expects 201. */
export async function invite(client: Client, email: string, role: Role = "agent"): Promise<Invitation> {
  const response = await client.post("/api/v1/invitations", { email, role });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

/** The newest e-mail to an address, waiting for it: invitations are e-mailed after the answer. */
export async function mailTo(address: string): Promise<{ subject: string; textBody: string; htmlBody: string | null }> {
  const { db } = await testDatabase();
  for (let attempt = 0; attempt < 200; attempt++) {
    const [found] = await db
      .select()
      .from(mailOutbox)
      .where(eq(sql`lower(${mailOutbox.toAddress})`, address.toLowerCase()))
      .orderBy(desc(mailOutbox.createdAt), desc(mailOutbox.id))
      .limit(1);
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no e-mail to ${address}`);
}

/** How many e-mails an address received. */
export async function mailCount(address: string): Promise<number> {
  const { db } = await testDatabase();
  const rows = await db
    .select({ id: mailOutbox.id })
    .from(mailOutbox)
    .where(eq(sql`lower(${mailOutbox.toAddress})`, address.toLowerCase()));
  return rows.length;
}

const linkPattern = /(https?:\/\/[^\s/]+)\/accept-invitation\?token=([A-Za-z0-9_-]+)/;

/** The link of an invitation e-mail: where it points and its token. */
export function linkIn(text: string): { base: string; token: string } {
  const match = linkPattern.exec(text);
  if (!match?.[1] || !match[2]) throw new Error(`no invitation link in: ${text}`);
  return { base: match[1], token: match[2] };
}

/** Invites an address and returns the token of the link e-mailed to it (the newest e-mail). */
export async function inviteWithToken(
  client: Client,
  email: string,
  role: Role = "agent",
): Promise<{ invitation: Invitation; token: string }> {
  const before = await mailCount(email);
  const invitation = await invite(client, email, role);
  for (let attempt = 0; attempt < 200 && (await mailCount(email)) === before; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { invitation, token: linkIn((await mailTo(email)).textBody).token };
}

/** Moves an invitation's expiry into the past. */
export async function expire(token: string): Promise<void> {
  const { db } = await testDatabase();
  await db
    .update(invitations)
    .set({ expiresAt: new Date(Date.now() - 1000) })
    .where(eq(invitations.tokenHash, hashToken(token)));
}

/** The field paths of a problem+json answer, sorted. */
export function pathsOf(response: LightMyRequestResponse): string[] {
  const errors = (response.json() as { errors?: { path: string }[] }).errors ?? [];
  return errors.map((e) => e.path).sort();
}
