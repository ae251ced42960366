import { and, desc, eq } from "drizzle-orm";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Me } from "../../../shared/schemas/auth.ts";
import { setSessionCookie } from "../../http/authentication.ts";
import { publicBaseUrl } from "../../http/after-response.ts";
import { AppError } from "../../lib/errors.ts";
import { sendMail } from "../mail/index.ts";
import { createSession, resolveSession, type Identity } from "./sessions.ts";
import { recordSignIn } from "./sign-ins.ts";
import { signIns } from "./sign-ins.table.ts";

/** How many earlier successful sign-ins are compared with a new one to tell a known device. */
const knownDevicesLookBack = 100;

/** The network part of an address: /24 for IPv4, /48 for IPv6 (a home or office, not one device). */
export function networkOf(ip: string | null | undefined): string {
  if (!ip) return "";
  const v4 = /^(?:::ffff:)?(\d+\.\d+\.\d+)\.\d+$/i.exec(ip);
  if (v4) return v4[1] ?? "";
  return ip.toLowerCase().split(":").slice(0, 3).join(":");
}

/**
 * A device is new when no earlier successful sign-in of the user came with the same user agent
 * from the same network. A first sign-in ever is not "new": the account itself just began.
 */
export async function isNewDevice(
  db: FastifyInstance["db"],
  userId: string,
  device: { ipAddress: string; userAgent: string | undefined },
): Promise<boolean> {
  const earlier = await db
    .select({ ipAddress: signIns.ipAddress, userAgent: signIns.userAgent })
    .from(signIns)
    .where(and(eq(signIns.userId, userId), eq(signIns.success, true)))
    .orderBy(desc(signIns.id))
    .limit(knownDevicesLookBack);
  if (earlier.length === 0) return false;
  const network = networkOf(device.ipAddress);
  const agent = device.userAgent?.slice(0, 500) ?? null;
  return !earlier.some((s) => s.userAgent === agent && networkOf(s.ipAddress) === network);
}

/** What a signed-in user sees of themselves. */
export function toMe(identity: Identity): Me {
  const active = identity.workspaces.find((w) => w.id === identity.activeWorkspaceId) ?? identity.workspaces[0] ?? null;
  return {
    user: { id: identity.userId, email: identity.email, name: identity.name, locale: identity.locale },
    workspaces: identity.workspaces,
    activeWorkspaceId: active?.id ?? null,
    role: active?.role ?? null,
  };
}

/**
 * The last step of every way in (password, password and second factor, an accepted invitation,
 * SSO): records the successful sign-in, e-mails the user when it came from a new device, creates
 * the session (in `workspaceId` when given, else the user's first workspace) and sets its cookie.
 * The alert goes out after the answer: it never delays or fails a sign-in.
 */
export async function completeSignIn(
  app: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
  user: { id: string; email: string },
  workspaceId?: string,
): Promise<Me> {
  const device = { ipAddress: request.ip, userAgent: request.headers["user-agent"] };
  const newDevice = await isNewDevice(app.db, user.id, device);
  const email = user.email.toLowerCase();
  await recordSignIn(app.db, { userId: user.id, email, reason: null, requestId: request.id, ...device });
  const session = await createSession(app.db, {
    userId: user.id,
    ...device,
    ttlHours: app.config.sessionTtlHours,
    workspaceId,
  });
  const identity = await resolveSession(app.db, session.token, app.config.sessionIdleHours);
  if (!identity) throw new AppError("internal");
  setSessionCookie(request, reply, session.token, session.expiresAt);
  if (newDevice) app.defer(() => sendNewDeviceAlert(app, identity, device, publicBaseUrl(request)));
  return toMe(identity);
}

async function sendNewDeviceAlert(
  app: FastifyInstance,
  identity: Identity,
  device: { ipAddress: string; userAgent: string | undefined },
  base: string,
): Promise<void> {
  await sendMail(
    { db: app.db, config: app.config, log: app.log },
    {
      to: identity.email,
      subject: "New sign-in to your Keel account",
      text:
        `Hello ${identity.name},\n\nYour Keel account was just signed in to from a device or network it had not ` +
        `been used from before:\n\n  Time: ${new Date().toISOString()}\n  Address: ${device.ipAddress}\n` +
        `  Browser: ${device.userAgent ?? "unknown"}\n\nIf this was you, there is nothing to do. If not, change ` +
        `your password now and end the other sessions in your profile (${base}/settings/profile), and turn on ` +
        `two-factor sign-in.\n`,
    },
  );
}
