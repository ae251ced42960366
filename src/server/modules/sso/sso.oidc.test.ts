import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { DestinationRefusedError, type ResolveHost } from "../../lib/outbound/destination.ts";
import { exchangeCode, newLoginSecrets, providerConfiguration } from "./sso.oidc.ts";

/**
 * Every request openid-client makes for Keel goes through the guarded fetch: the issuer's
 * discovery, and the endpoints the provider's document names, whatever host they are on.
 */

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

/** A provider that only publishes its discovery document, on loopback, naming `endpoints`. */
async function startDiscoveryOnly(endpoints: (issuer: string) => Record<string, unknown>): Promise<string> {
  let issuer = "";
  const server = createServer((_request, response) => {
    const document = {
      issuer,
      authorization_endpoint: `${issuer}/auth`,
      response_types_supported: ["code"],
      subject_types_supported: ["public"],
      id_token_signing_alg_values_supported: ["RS256"],
      ...endpoints(issuer),
    };
    response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(document));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  closers.push(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return issuer;
}

const credentialsAt = (issuer: string) => ({ issuer, clientId: "keel", clientSecret: crypto.randomUUID() });

/** Why openid-client's call failed: it wraps what the fetch threw. */
async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  const error = await promise.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(Error);
  return (error as Error).cause ?? error;
}

describe("the requests to a provider", () => {
  it("refuses the discovery of an issuer whose name resolves inside, before connecting", async () => {
    const resolve: ResolveHost = async () => [{ address: "169.254.169.254", family: 4 }];
    const discovery = providerConfiguration(credentialsAt("https://idp.example.com"), { allowedHosts: [], resolve });
    const cause = await failureOf(discovery);
    expect(cause).toBeInstanceOf(DestinationRefusedError);
    expect((cause as Error).message).toBe("destination refused: resolves to a cloud metadata address");
  });

  it.each([
    ["client_secret_basic", "https://tokens.example.com/token", "resolves to a cloud metadata address"],
    ["client_secret_post", "https://10.0.0.5/token", "is a private address"],
  ])("refuses a token endpoint the provider names inside (%s)", async (method, tokenEndpoint, reason) => {
    const issuer = await startDiscoveryOnly(() => ({
      token_endpoint: tokenEndpoint,
      jwks_uri: "https://10.0.0.5/jwks",
      token_endpoint_auth_methods_supported: [method],
    }));
    const resolve: ResolveHost = async (hostname) =>
      hostname === "tokens.example.com" ? [{ address: "169.254.169.254", family: 4 }] : [];
    const configuration = await providerConfiguration(credentialsAt(issuer), { allowedHosts: ["127.0.0.1"], resolve });
    const secrets = newLoginSecrets();
    const callback = new URL(`http://keel.test/callback?code=abc&state=${secrets.state}`);
    const cause = await failureOf(exchangeCode(configuration, callback, secrets));
    expect(cause).toBeInstanceOf(DestinationRefusedError);
    expect((cause as Error).message).toBe(`destination refused: ${reason}`);
  });
});
