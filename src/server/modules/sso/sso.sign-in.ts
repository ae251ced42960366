import { createHash } from "node:crypto";
import type { FastifyBaseLogger } from "fastify";
import { EmailSchema } from "../../../shared/schemas/common.ts";
import type { SsoErrorCode } from "../../../shared/schemas/sso.ts";
import type { Database } from "../../db/client.ts";
import { describeError } from "../../http/logging.ts";
import { AppError } from "../../lib/errors.ts";
import { newId } from "../../lib/ids.ts";
import type { OutboundRules } from "../../lib/outbound/destination.ts";
import type { SecretBox } from "../../lib/secret-box.ts";
import { recordSignIn } from "../auth/sign-ins.ts";
import {
  authorizationUrl,
  exchangeCode,
  newLoginSecrets,
  providerConfiguration,
  type ProviderClaims,
} from "./sso.oidc.ts";
import {
  belongsElsewhereWithoutIssuer,
  claimLoginState,
  findMembership,
  findProviderBySlug,
  findUserByEmail,
  insertLoginState,
  insertMembership,
  insertSsoUser,
  markEmailVerified,
  purgeOldLoginStates,
  type SignInProvider,
} from "./sso.repository.ts";
import { ssoLinks } from "./sso.service.ts";

/**
 * Signing in through a workspace's OpenID Connect provider. The start stores the sign-in's state
 * (its SHA-256 only), nonce and PKCE verifier for 10 minutes and sends the browser to the provider;
 * the callback uses them once, exchanges the code, and finds or creates the user. Both run as the
 * connecting role: no workspace is known before them.
 */

/** `outbound`: what the requests to providers may reach (sso.issuer.ts). */
export type SsoSignInDeps = { db: Database; secretBox: SecretBox; log: FastifyBaseLogger; outbound: OutboundRules };

/** How long a started sign-in may take at the provider. */
export const loginStateLifetimeMs = 10 * 60_000;

/** A sign-in through the provider that failed; the callback redirects to the sign-in page with `code`. */
export class SsoSignInError extends Error {
  constructor(readonly code: SsoErrorCode) {
    super(`single sign-on failed: ${code}`);
  }
}

const hashState = (state: string) => createHash("sha256").update(state).digest("hex");

function credentialsOf(deps: SsoSignInDeps, provider: SignInProvider) {
  return {
    issuer: provider.issuer,
    clientId: provider.clientId,
    clientSecret: deps.secretBox.open(provider.sealedSecret),
  };
}

/** The provider's configuration, or a `provider-error` failure (logged: an admin's mistake or an outage). */
async function configurationOf(deps: SsoSignInDeps, provider: SignInProvider) {
  try {
    return await providerConfiguration(credentialsOf(deps, provider), deps.outbound);
  } catch (error) {
    deps.log.warn({ err: describeError(error), workspaceId: provider.workspaceId }, "SSO provider discovery failed");
    throw new SsoSignInError("provider-error");
  }
}

/**
 * Starts a sign-in: 404 for an unknown slug or a workspace whose single sign-on is off. Answers
 * the provider's authorization URL, and the state the browser must bring back.
 */
export async function startSsoSignIn(
  deps: SsoSignInDeps,
  input: { slug: string; redirectTo: string | null; baseUrl: string },
): Promise<{ location: string; state: string }> {
  const provider = await findProviderBySlug(deps.db, input.slug);
  if (!provider?.enabled) throw new AppError("not-found", "No workspace with this sign-in name uses single sign-on.");
  const configuration = await configurationOf(deps, provider);
  const secrets = newLoginSecrets();
  await purgeOldLoginStates(deps.db);
  await insertLoginState(deps.db, {
    id: newId(),
    stateHash: hashState(secrets.state),
    targetWorkspaceId: provider.workspaceId,
    nonce: secrets.nonce,
    codeVerifier: secrets.codeVerifier,
    redirectTo: input.redirectTo,
    expiresAt: new Date(Date.now() + loginStateLifetimeMs),
  });
  const { redirectUri } = ssoLinks(input.baseUrl, provider.slug);
  return { location: await authorizationUrl(configuration, redirectUri, secrets), state: secrets.state };
}

export type CallbackInput = {
  slug: string;
  /** The callback's query string as received (the code exchange checks it whole). */
  rawQuery: string;
  state: string | undefined;
  /** The provider's error code, when it answered one instead of a code. */
  error: string | undefined;
  /** The state of the cookie the start set in this browser. */
  browserState: string | undefined;
  baseUrl: string;
  device: Device;
};

type Device = { ipAddress: string; userAgent: string | undefined };

export type SsoSignedIn = { user: { id: string; email: string }; workspaceId: string; redirectTo: string };

/**
 * Finishes a sign-in: the state must be this browser's, unused and unexpired; the provider's
 * answer must pass openid-client's checks; the e-mail must be verified and, when the workspace
 * lists domains, of one of them. Throws SsoSignInError otherwise.
 */
export async function finishSsoSignIn(deps: SsoSignInDeps, input: CallbackInput): Promise<SsoSignedIn> {
  // The state must come back to the browser that started: a callback link sent to someone else
  // (to sign them in as the sender) is refused.
  if (!input.state || input.state !== input.browserState) throw new SsoSignInError("invalid-state");
  const login = await claimLoginState(deps.db, hashState(input.state));
  if (!login) throw new SsoSignInError("invalid-state");
  if (login.isExpired) throw new SsoSignInError("expired-state");
  const provider = await findProviderBySlug(deps.db, input.slug);
  if (!provider || provider.workspaceId !== login.targetWorkspaceId) throw new SsoSignInError("invalid-state");
  if (!provider.enabled) throw new SsoSignInError("sso-unavailable");
  if (input.error !== undefined) {
    deps.log.info(
      { workspaceId: provider.workspaceId, providerError: input.error.slice(0, 100) },
      "SSO provider refused",
    );
    throw new SsoSignInError("provider-error");
  }

  const configuration = await configurationOf(deps, provider);
  const callbackUrl = new URL(ssoLinks(input.baseUrl, provider.slug).redirectUri);
  callbackUrl.search = input.rawQuery;
  let claims: ProviderClaims;
  try {
    claims = await exchangeCode(configuration, callbackUrl, { ...login, state: input.state });
  } catch (error) {
    deps.log.warn({ err: describeError(error), workspaceId: provider.workspaceId }, "SSO code exchange failed");
    throw new SsoSignInError("provider-error");
  }

  const email = verifiedEmailOf(claims);
  const domain = email.slice(email.lastIndexOf("@") + 1);
  if (provider.allowedDomains.length > 0 && !provider.allowedDomains.includes(domain)) {
    throw new SsoSignInError("domain-not-allowed");
  }
  const user = await memberFor(deps, provider, { email, name: nameOf(claims, email) }, input.device);
  return { user, workspaceId: provider.workspaceId, redirectTo: login.redirectTo ?? "/" };
}

/** The e-mail the provider vouches for, lower-cased. `"true"` counts: some providers send strings. */
function verifiedEmailOf(claims: ProviderClaims): string {
  if (typeof claims.email !== "string" || (claims.emailVerified !== true && claims.emailVerified !== "true")) {
    throw new SsoSignInError("email-not-verified");
  }
  const parsed = EmailSchema.safeParse(claims.email.trim().toLowerCase());
  if (!parsed.success) throw new SsoSignInError("email-not-verified");
  return parsed.data;
}

function nameOf(claims: ProviderClaims, email: string): string {
  const name = typeof claims.name === "string" ? claims.name.trim().slice(0, 100) : "";
  return name || email;
}

/**
 * The user with this e-mail, made a member of the workspace: created (no password, e-mail
 * verified) when unknown; joining with the default role when not a member yet. A disabled
 * account, a deactivated or removed member are refused, and so is an account that belongs to
 * another workspace which does not trust this issuer: a workspace's admin chooses its provider, and
 * that provider could vouch for any e-mail, so it must not open the doors of other workspaces.
 */
async function memberFor(
  deps: SsoSignInDeps,
  provider: SignInProvider,
  person: { email: string; name: string },
  device: Device,
): Promise<{ id: string; email: string }> {
  const outcome = await deps.db.transaction(async (tx) => {
    let user = await findUserByEmail(tx, person.email);
    const isNew = !user;
    user ??= (await insertSsoUser(tx, { id: newId(), ...person })) ?? (await findUserByEmail(tx, person.email));
    if (!user) throw new Error("the SSO user was neither found nor created");
    if (user.disabledAt) return { refused: "account-refused", user } as const;
    const membership = isNew ? null : await findMembership(tx, provider.workspaceId, user.id);
    if (membership && (membership.deactivatedAt || membership.removedAt)) {
      return { refused: "account-refused", user } as const;
    }
    if (!isNew && (await belongsElsewhereWithoutIssuer(tx, user.id, provider.workspaceId, provider.issuer))) {
      return { refused: "other-workspaces", user } as const;
    }
    if (!membership) {
      await insertMembership(tx, {
        workspaceId: provider.workspaceId,
        id: newId(),
        userId: user.id,
        role: provider.defaultRole,
      });
    }
    if (!user.emailVerifiedAt) await markEmailVerified(tx, user.id);
    return { refused: null, user } as const;
  });
  if (outcome.refused) {
    if (outcome.refused === "account-refused") {
      await recordSignIn(deps.db, { userId: outcome.user.id, email: person.email, reason: "disabled", ...device });
    }
    throw new SsoSignInError(outcome.refused);
  }
  return { id: outcome.user.id, email: outcome.user.email };
}
