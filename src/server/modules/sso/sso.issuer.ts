import { issuerProblem } from "../../../shared/schemas/sso.ts";
import type { Config } from "../../config.ts";
import { invalidField } from "../../lib/errors.ts";
import { describeKind } from "../../lib/outbound/addresses.ts";
import { DestinationRefusedError, checkDestination, type OutboundRules } from "../../lib/outbound/destination.ts";

/**
 * What single sign-on may call. Every request to a provider (discovery, token, keys, UserInfo)
 * goes to public addresses only, and in production over https only, unless its host is in
 * SSO_ALLOWED_HOSTS (a company's own provider on its network, a provider run locally). Outside
 * production plain http is allowed, for a provider on a developer's network.
 */
export function ssoOutboundRules(config: Pick<Config, "env" | "ssoAllowedHosts">): OutboundRules {
  return { allowedHosts: config.ssoAllowedHosts, isHttpsRequired: config.env === "production" };
}

/**
 * Checks an issuer being saved (400 on `issuer` saying why): its form and an IP address written
 * in it always; with `shouldResolve` (settings being turned on), every address its host resolves
 * to. The connections to the provider are checked again as they open (sso.oidc.ts).
 */
export async function checkIssuer(
  issuer: string,
  rules: OutboundRules,
  options: { shouldResolve: boolean },
): Promise<void> {
  try {
    await checkDestination(issuer, rules, options);
  } catch (error) {
    if (error instanceof DestinationRefusedError) throw invalidField("issuer", issuerRefusalMessage(issuer, error));
    throw error;
  }
}

/**
 * The sentence shown to the admin. A resolved address is not named: a workspace's admin learns
 * that a name points inside, not where (the operator's network is not theirs to map).
 */
function issuerRefusalMessage(issuer: string, { refusal }: DestinationRefusedError): string {
  switch (refusal.kind) {
    case "invalid-url":
    case "scheme":
    case "credentials":
      // IssuerSchema refuses these before the check: its words, should one come here.
      return issuerProblem(issuer) ?? "Must be a URL such as https://login.example.com";
    case "plain-http":
      return "Use an https:// URL: Keel calls a provider over plain http:// only when the server allows its host.";
    case "host-not-found":
      return `The host ${refusal.hostname} could not be found.`;
    case "address":
      return refusal.verb === "is"
        ? `The issuer is ${describeKind(refusal.range)} (${refusal.address}), which Keel does not call.`
        : `The issuer's host resolves to ${describeKind(refusal.range)}, which Keel does not call.`;
  }
}
