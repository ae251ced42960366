import { randomBytes } from "node:crypto";
import { and, eq, gt, isNotNull, isNull, lt, or, sql } from "drizzle-orm";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Me, SignInResult } from "../../../shared/schemas/auth.ts";
import type { TwoFactorSignIn } from "../../../shared/schemas/two-factor.ts";
import { isCookieSecure } from "../../http/authentication.ts";
import { AppError } from "../../lib/errors.ts";
import { newId } from "../../lib/ids.ts";
import { users } from "../users/users.table.ts";
import { hashToken } from "./sessions.ts";
import { completeSignIn } from "./sign-in-completion.ts";
import { recordSignIn } from "./sign-ins.ts";
import { claimBackupCode, claimTotpCode } from "./two-factor.codes.ts";
import { signInChallenges } from "./two-factor.table.ts";

/**
 * The step between a right password and a session when two-factor sign-in is on. The browser holds
 * the challenge in a cookie (httpOnly, SameSite=Strict, 5 minutes; only its SHA-256 is stored);
 * POST /auth/two-factor with a right code turns it into a session.
 */
export const challengeCookieName = "keel_two_factor";
/** The Secure name: `__Host-` makes the browser refuse it unless Secure, host-only and for path `/`. */
export const secureChallengeCookieName = "__Host-keel_two_factor";
const challengeLifetimeSeconds = 5 * 60;
/** Codes tried per challenge; then it is spent and the password is needed again. */
export const codeAttemptsPerChallenge = 5;

const signInAgain = "This sign-in has expired or is no longer valid: sign in again with your password.";

/** The challenge token of the request's cookie (only the `__Host-` one where cookies are Secure), or null. */
export function challengeTokenOf(request: FastifyRequest): string | null {
  const token = request.cookies[isCookieSecure(request) ? secureChallengeCookieName : challengeCookieName];
  return token && token.length <= 100 ? token : null;
}

function clearChallengeCookie(request: FastifyRequest, reply: FastifyReply): void {
  const secure = isCookieSecure(request);
  reply.clearCookie(secure ? secureChallengeCookieName : challengeCookieName, {
    path: "/",
    httpOnly: true,
    sameSite: "strict",
    secure,
  });
}

/** The user a challenge token was issued to (expired or not), or null: what rate limits count against. */
export async function challengeUserOf(db: FastifyInstance["db"], token: string): Promise<string | null> {
  const [row] = await db
    .select({ userId: signInChallenges.userId })
    .from(signInChallenges)
    .where(eq(signInChallenges.tokenHash, hashToken(token)));
  return row?.userId ?? null;
}

/**
 * After a right password: a session at once, or, when the user has two-factor sign-in on, a
 * challenge cookie and `{ twoFactorRequired: true }` (no session yet).
 */
export async function finishPasswordSignIn(
  app: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
  user: { id: string; email: string; hasTwoFactor: boolean },
): Promise<SignInResult> {
  if (!user.hasTwoFactor) return completeSignIn(app, request, reply, user);
  await startChallenge(app, request, reply, user.id);
  return { twoFactorRequired: true };
}

async function startChallenge(
  app: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
  userId: string,
): Promise<void> {
  const token = randomBytes(32).toString("base64url");
  // The user's spent and expired challenges are of no more use.
  await app.db
    .delete(signInChallenges)
    .where(
      and(
        eq(signInChallenges.userId, userId),
        or(isNotNull(signInChallenges.usedAt), lt(signInChallenges.expiresAt, sql`now()`)),
      ),
    );
  await app.db.insert(signInChallenges).values({
    id: newId(),
    userId,
    tokenHash: hashToken(token),
    ipAddress: request.ip,
    userAgent: request.headers["user-agent"]?.slice(0, 500) ?? null,
    expiresAt: new Date(Date.now() + challengeLifetimeSeconds * 1000),
  });
  const secure = isCookieSecure(request);
  reply.setCookie(secure ? secureChallengeCookieName : challengeCookieName, token, {
    path: "/",
    httpOnly: true,
    sameSite: "strict",
    secure,
    maxAge: challengeLifetimeSeconds,
  });
}

/**
 * Answers a challenge with a code of the app or a backup code: a right one (never accepted twice)
 * creates the session; a wrong one is 401, recorded in the sign-in history and counted. Unknown,
 * forged, expired, used and spent challenges are all the same 401: sign in again.
 */
export async function answerChallenge(
  app: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
  input: TwoFactorSignIn,
): Promise<Me> {
  const expired = () => {
    clearChallengeCookie(request, reply);
    return new AppError("unauthenticated", signInAgain);
  };
  const token = challengeTokenOf(request);
  if (!token) throw expired();
  // The attempt is counted before its code is checked, in one conditional UPDATE: requests sent in
  // parallel cannot try more codes than the limit between them.
  const [challenge] = await app.db
    .update(signInChallenges)
    .set({ failedAttempts: sql`${signInChallenges.failedAttempts} + 1` })
    .where(
      and(
        eq(signInChallenges.tokenHash, hashToken(token)),
        isNull(signInChallenges.usedAt),
        gt(signInChallenges.expiresAt, sql`now()`),
        lt(signInChallenges.failedAttempts, codeAttemptsPerChallenge),
      ),
    )
    .returning({ id: signInChallenges.id, userId: signInChallenges.userId, attempts: signInChallenges.failedAttempts });
  if (!challenge) throw expired();
  const [user] = await app.db
    .select({ id: users.id, email: users.email, secret: users.twoFactorSecret, disabledAt: users.disabledAt })
    .from(users)
    .where(and(eq(users.id, challenge.userId), isNotNull(users.twoFactorEnabledAt)));
  if (!user?.secret || user.disabledAt) throw expired();

  const isRight =
    input.backupCode !== undefined
      ? await claimBackupCode(app.db, user.id, input.backupCode)
      : await claimTotpCode(app.db, user.id, app.secretBox.open(user.secret), input.code ?? "");
  if (!isRight) {
    await recordSignIn(app.db, {
      userId: user.id,
      email: user.email.toLowerCase(),
      reason: "wrong-code",
      ipAddress: request.ip,
      userAgent: request.headers["user-agent"],
      requestId: request.id,
    });
    if (challenge.attempts >= codeAttemptsPerChallenge) {
      clearChallengeCookie(request, reply);
      throw new AppError("unauthenticated", "Wrong code, too many times: sign in again with your password.");
    }
    const field = input.backupCode !== undefined ? "backupCode" : "code";
    throw new AppError("unauthenticated", "Wrong code.", [{ path: field, message: "Wrong code" }]);
  }
  const claimed = await app.db
    .update(signInChallenges)
    .set({ usedAt: sql`now()` })
    .where(and(eq(signInChallenges.id, challenge.id), isNull(signInChallenges.usedAt)))
    .returning({ id: signInChallenges.id });
  if (claimed.length === 0) throw expired();
  clearChallengeCookie(request, reply);
  return completeSignIn(app, request, reply, { id: user.id, email: user.email });
}
