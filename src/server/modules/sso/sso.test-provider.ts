import { generateKeyPairSync, randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import Provider from "oidc-provider";

/**
 * A real OpenID Connect provider for the tests (oidc-provider on a loopback port): discovery,
 * dynamic client registration (each test registers the redirect URI of its own workspace), PKCE
 * required, signed ID tokens, UserInfo. Its people are `accounts`; `login` plays the browser at the
 * provider, where a minimal interaction signs in the account named and consents at once.
 */

/** The claims a test account has; leave one out to test its absence. */
export type TestAccount = { email?: string; email_verified?: boolean | string; name?: string };

export type TestProvider = {
  issuer: string;
  accounts: Map<string, TestAccount>;
  /** How many requests reached the provider, from Keel and from the test. */
  requestCount: number;
  /** Who signs in when the interaction names nobody: a real browser's trip (it adds no `?account=`). */
  signInAs: string | null;
  registerClient(redirectUri: string): Promise<{ clientId: string; clientSecret: string }>;
  /**
   * Follows an authorization URL through the provider as `accountId` (or refusing, with `deny`)
   * and answers where the provider sends the browser back: the callback URL with code and state.
   */
  login(authorizationUrl: string, accountId: string, options?: { deny?: boolean }): Promise<URL>;
  close(): Promise<void>;
};

/**
 * Starts a provider. With `idTokenClaims: false` it keeps e-mail and name for UserInfo, as the
 * specification prefers when an access token is issued (and some providers do). It listens on
 * 127.0.0.1; `hostname` names it otherwise in its issuer (`localhost`: a name for loopback).
 */
export async function startTestProvider(
  options: { idTokenClaims?: boolean; hostname?: string } = {},
): Promise<TestProvider> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://${options.hostname ?? "127.0.0.1"}:${(server.address() as AddressInfo).port}`;
  const accounts = new Map<string, TestAccount>();
  const signingKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "jwk" });

  const provider = new Provider(issuer, {
    jwks: { keys: [{ ...signingKey, kid: "test", use: "sig", alg: "RS256" }] },
    cookies: { keys: [randomBytes(32).toString("hex")] },
    features: { devInteractions: { enabled: false }, registration: { enabled: true } },
    pkce: { required: () => true },
    conformIdTokenClaims: options.idTokenClaims === false,
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    ttl: { AccessToken: 600, AuthorizationCode: 60, IdToken: 600, Interaction: 600, Session: 600, Grant: 600 },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    findAccount: (_ctx: unknown, id: string) => {
      const account = accounts.get(id);
      return account ? { accountId: id, claims: () => ({ sub: id, ...account }) } : undefined;
    },
  });
  // The interaction: `?account=<id>` (or `signInAs`) signs that account in and grants what was
  // asked at once; `?deny=1` refuses.
  provider.use(async (ctx, next) => {
    const uid = /^\/interaction\/([\w-]+)$/.exec(ctx.path)?.[1];
    if (!uid || ctx.method !== "GET") return next();
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    let result: Record<string, unknown>;
    if (ctx.query.deny) {
      result = { error: "access_denied", error_description: "The person refused" };
    } else {
      const accountId = String(ctx.query.account ?? handle.signInAs);
      const grant = new provider.Grant({ accountId, clientId: String(details.params.client_id) });
      grant.addOIDCScope(String(details.params.scope));
      result = { login: { accountId }, consent: { grantId: await grant.save() } };
    }
    ctx.status = 303;
    ctx.redirect(await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: false }));
  });
  server.on("request", provider.callback());

  const handle: TestProvider = {
    issuer,
    accounts,
    requestCount: 0,
    signInAs: null,
    async registerClient(redirectUri) {
      const response = await fetch(`${issuer}/reg`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ redirect_uris: [redirectUri], grant_types: ["authorization_code"] }),
      });
      if (response.status !== 201) throw new Error(`client registration: ${response.status} ${await response.text()}`);
      const client = (await response.json()) as { client_id: string; client_secret: string };
      return { clientId: client.client_id, clientSecret: client.client_secret };
    },
    async login(authorizationUrl, accountId, loginOptions = {}) {
      const jar = new Map<string, string>();
      const follow = async (url: URL): Promise<URL> => {
        const response = await fetch(url, {
          redirect: "manual",
          headers: { cookie: [...jar].map(([name, value]) => `${name}=${value}`).join("; ") },
        });
        for (const cookie of response.headers.getSetCookie()) {
          const [pair = ""] = cookie.split(";");
          const at = pair.indexOf("=");
          jar.set(pair.slice(0, at), pair.slice(at + 1));
        }
        const location = response.headers.get("location");
        if (response.status !== 303 && response.status !== 302)
          throw new Error(`provider: ${response.status} at ${url.pathname}`);
        if (!location) throw new Error(`provider: no Location at ${url.pathname}`);
        return new URL(location, issuer);
      };
      const interaction = await follow(new URL(authorizationUrl));
      interaction.searchParams.set(loginOptions.deny ? "deny" : "account", loginOptions.deny ? "1" : accountId);
      const resume = await follow(interaction);
      return follow(resume);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
  server.on("request", () => {
    handle.requestCount += 1;
  });
  return handle;
}
