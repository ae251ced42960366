import { createHash } from "node:crypto";
import * as oidc from "openid-client";
import type { OutboundRules } from "../../lib/outbound/destination.ts";
import { guardedFetch } from "../../lib/outbound/fetch.ts";

/**
 * The OpenID Connect client side of single sign-on, over openid-client: discovery (cached), the
 * authorization URL with state, nonce and PKCE (S256), and the code exchange with its checks
 * (state, nonce, PKCE, `iss`, the ID token's signature, audience and lifetime). Every request it
 * makes (discovery, token, keys, UserInfo) goes through a guarded fetch (lib/outbound): checked
 * against the SSO rules (sso.issuer.ts) as its connection opens, whatever host the provider names.
 */

/** Seconds any one request to a provider may take. */
const requestTimeoutSeconds = 10;
/** How long a discovered configuration (and the signing keys it has fetched) is reused. */
const cacheLifetimeMs = 10 * 60_000;
const cacheLimit = 500;
const scope = "openid email profile";

export type ProviderCredentials = { issuer: string; clientId: string; clientSecret: string };

/** What Keel takes from the provider about the person who signed in. */
export type ProviderClaims = { subject: string; email: unknown; emailVerified: unknown; name: unknown };

/**
 * The options of every request to the provider. openid-client refuses http:// unless allowed: it
 * is allowed for an http issuer, which the rules have let through (in production only for an
 * allowed host), and they decide again for each endpoint the provider names.
 */
function requestOptions(issuer: URL, rules: OutboundRules) {
  return {
    [oidc.customFetch]: guardedFetch(rules),
    execute: issuer.protocol === "http:" ? [oidc.allowInsecureRequests] : [],
    timeout: requestTimeoutSeconds,
  };
}

/**
 * Discovers the provider and sets up Keel's client at it. Authenticates with client_secret_basic,
 * the OpenID Connect default, unless the provider says it supports only client_secret_post.
 */
async function discover(credentials: ProviderCredentials, rules: OutboundRules): Promise<oidc.Configuration> {
  const issuer = new URL(credentials.issuer);
  const options = requestOptions(issuer, rules);
  const { clientId, clientSecret } = credentials;
  const basic = await oidc.discovery(issuer, clientId, clientSecret, oidc.ClientSecretBasic(clientSecret), options);
  const methods = basic.serverMetadata().token_endpoint_auth_methods_supported;
  if (!methods || methods.includes("client_secret_basic") || !methods.includes("client_secret_post")) return basic;
  const post = new oidc.Configuration(
    basic.serverMetadata(),
    clientId,
    clientSecret,
    oidc.ClientSecretPost(clientSecret),
  );
  post.timeout = requestTimeoutSeconds;
  post[oidc.customFetch] = options[oidc.customFetch];
  for (const apply of options.execute) apply(post);
  return post;
}

const cache = new Map<string, { configuration: Promise<oidc.Configuration>; until: number }>();

/**
 * The provider's configuration, discovered at most once per 10 minutes per issuer, client id,
 * secret (a changed secret is a new entry) and rules (its requests keep the rules it was
 * discovered with). A failed discovery is not kept: the next sign-in tries again.
 */
export function providerConfiguration(
  credentials: ProviderCredentials,
  rules: OutboundRules,
): Promise<oidc.Configuration> {
  const secretHash = createHash("sha256").update(credentials.clientSecret).digest("base64url");
  const key = JSON.stringify([
    credentials.issuer,
    credentials.clientId,
    secretHash,
    rules.allowedHosts,
    rules.isHttpsRequired ?? false,
  ]);
  const cached = cache.get(key);
  if (cached && cached.until > Date.now()) return cached.configuration;
  const entry = { configuration: discover(credentials, rules), until: Date.now() + cacheLifetimeMs };
  entry.configuration.catch(() => {
    if (cache.get(key) === entry) cache.delete(key);
  });
  cache.delete(key);
  if (cache.size >= cacheLimit) cache.delete(cache.keys().next().value ?? "");
  cache.set(key, entry);
  return entry.configuration;
}

/**
 * Why the issuer's discovery document cannot be used, or null when it can: checked when an admin
 * saves settings, so that a mistyped issuer shows then rather than at the first sign-in.
 */
export async function issuerDiscoveryProblem(issuer: string, rules: OutboundRules): Promise<string | null> {
  const url = new URL(issuer);
  try {
    await oidc.discovery(url, "keel", undefined, oidc.None(), requestOptions(url, rules));
    return null;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === "OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED") {
      return "The provider's configuration names another issuer: use the exact issuer it states (a trailing slash counts)";
    }
    return `Keel could not read ${url.href.replace(/\/$/, "")}/.well-known/openid-configuration`;
  }
}

/** A sign-in's secrets: the state and nonce the provider sends back, and the PKCE verifier. */
export type LoginSecrets = { state: string; nonce: string; codeVerifier: string };

export function newLoginSecrets(): LoginSecrets {
  return { state: oidc.randomState(), nonce: oidc.randomNonce(), codeVerifier: oidc.randomPKCECodeVerifier() };
}

/** Where to send the browser: the provider's authorization endpoint with state, nonce and PKCE. */
export async function authorizationUrl(
  configuration: oidc.Configuration,
  redirectUri: string,
  secrets: LoginSecrets,
): Promise<string> {
  const url = oidc.buildAuthorizationUrl(configuration, {
    redirect_uri: redirectUri,
    scope,
    state: secrets.state,
    nonce: secrets.nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(secrets.codeVerifier),
    code_challenge_method: "S256",
  });
  return url.href;
}

/**
 * Exchanges the code of the callback URL for tokens and answers the ID token's claims. The e-mail
 * and whether it is verified come from the ID token, or, when it carries no e-mail (providers that
 * keep scope claims for the UserInfo endpoint), both from UserInfo for the same subject.
 */
export async function exchangeCode(
  configuration: oidc.Configuration,
  callbackUrl: URL,
  secrets: LoginSecrets,
): Promise<ProviderClaims> {
  const tokens = await oidc.authorizationCodeGrant(configuration, callbackUrl, {
    expectedState: secrets.state,
    expectedNonce: secrets.nonce,
    pkceCodeVerifier: secrets.codeVerifier,
    idTokenExpected: true,
  });
  const idToken = tokens.claims();
  if (!idToken) throw new Error("the provider answered no ID token");
  const fromToken = { subject: idToken.sub, email: idToken.email, emailVerified: idToken.email_verified };
  if (typeof idToken.email === "string") return { ...fromToken, name: idToken.name };
  const info = await oidc.fetchUserInfo(configuration, tokens.access_token, idToken.sub);
  return {
    subject: idToken.sub,
    email: info.email,
    emailVerified: info.email_verified,
    name: idToken.name ?? info.name,
  };
}
