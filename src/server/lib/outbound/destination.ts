import { lookup as systemLookup } from "node:dns/promises";
import { isIP, type LookupFunction } from "node:net";
import { describeKind, refusedKindOf, type RefusedAddressKind } from "./addresses.ts";

/**
 * Where Keel's outbound requests to URLs that people typed may go (webhook receivers, SSO
 * providers): http or https, no user name or password, and only public addresses, unless the host
 * is allowed. Each feature words a refusal in its own terms (`Refusal`).
 */

/** One address a host name resolves to. */
export type ResolvedAddress = { address: string; family: number };

/** Resolves a host name to every one of its addresses. */
export type ResolveHost = (hostname: string) => Promise<ResolvedAddress[]>;

/**
 * The rules of one feature. Hosts in `allowedHosts` (WEBHOOK_ALLOWED_HOSTS, SSO_ALLOWED_HOSTS)
 * skip the address check; with `isHttpsRequired`, plain http goes to them only. `resolve` is the
 * system resolver unless given (tests).
 */
export type OutboundRules = { allowedHosts: readonly string[]; isHttpsRequired?: boolean; resolve?: ResolveHost };

/** The system resolver, the one every other connection of the process uses. */
export const resolveWithSystemDns: ResolveHost = (hostname) => systemLookup(hostname, { all: true, order: "verbatim" });

/**
 * Why a URL is refused. `address` is the first refused address: the one written in the URL
 * (`verb: "is"`) or one its host resolves to (`verb: "resolves to"`).
 */
export type Refusal =
  | { kind: "invalid-url" }
  | { kind: "scheme" }
  | { kind: "credentials" }
  | { kind: "plain-http" }
  | { kind: "host-not-found"; hostname: string }
  | { kind: "address"; verb: "is" | "resolves to"; range: RefusedAddressKind; address: string };

/** A destination Keel does not call. The message is the short form logs keep ("destination refused: …"). */
export class DestinationRefusedError extends Error {
  constructor(readonly refusal: Refusal) {
    super(`destination refused: ${reasonOf(refusal)}`);
    this.name = "DestinationRefusedError";
  }
}

function reasonOf(refusal: Refusal): string {
  switch (refusal.kind) {
    case "invalid-url":
      return "not a valid URL";
    case "scheme":
      return "only http and https URLs are allowed";
    case "credentials":
      return "the URL contains a user name or password";
    case "plain-http":
      return "plain http to a host that is not allowed";
    case "host-not-found":
      return "host not found";
    case "address":
      return `${refusal.verb} ${describeKind(refusal.range)}`;
  }
}

/** Parses an allow-list variable: comma-separated host names or IP literals (`127.0.0.1,localhost`). */
export function parseAllowedHosts(text: string | undefined): string[] {
  return (text ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
}

/** A URL that passed, and whether its host is an allowed one (whose addresses are not checked). */
export type CheckedDestination = { url: URL; isAllowed: boolean };

/**
 * Checks a URL being saved: what `checkDestinationBeforeConnect` checks, then every address its
 * host resolves to (unless the host is allowed, or `shouldResolve` is false). Throws
 * DestinationRefusedError.
 */
export async function checkDestination(
  url: string,
  rules: OutboundRules,
  { shouldResolve = true }: { shouldResolve?: boolean } = {},
): Promise<CheckedDestination> {
  const destination = checkDestinationBeforeConnect(url, rules);
  const hostname = bareHostname(destination.url);
  if (shouldResolve && !destination.isAllowed && isIP(hostname) === 0) {
    assertPublic(await resolveOrRefuse(hostname, rules.resolve ?? resolveWithSystemDns), "resolves to");
  }
  return destination;
}

/**
 * What can be checked of a URL before any connection: its form, whether its host is allowed,
 * an IP address written in the URL (which Node connects to without a lookup), and https where the
 * rules require it. Host names are checked by `guardedLookup` as the socket connects.
 */
export function checkDestinationBeforeConnect(
  url: string,
  rules: Pick<OutboundRules, "allowedHosts" | "isHttpsRequired">,
): CheckedDestination {
  const destination = checkForm(url, rules.allowedHosts);
  assertSecureEnough(destination, rules);
  return destination;
}

/**
 * The `lookup` of an outbound socket: resolves the host as the socket connects and hands it only
 * addresses that passed the check, so a host re-pointed at an internal address after its URL was
 * saved (DNS rebinding) is refused before any connection opens. `shouldCheck: false` (an allowed
 * host) resolves without checking.
 */
export function guardedLookup({
  resolve = resolveWithSystemDns,
  shouldCheck = true,
}: { resolve?: ResolveHost; shouldCheck?: boolean } = {}): LookupFunction {
  return (hostname, options, callback) => {
    resolveForSocket(hostname, familyOf(options.family), resolve, shouldCheck).then(
      (addresses) => {
        const [first] = addresses; // resolveForSocket never answers an empty list
        if (options.all || first === undefined) callback(null, addresses);
        else callback(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, []),
    );
  };
}

async function resolveForSocket(
  hostname: string,
  family: 0 | 4 | 6,
  resolve: ResolveHost,
  shouldCheck: boolean,
): Promise<ResolvedAddress[]> {
  const addresses = await resolve(hostname);
  // Every address is checked, not only the family asked for: a name that also points inside is refused.
  if (shouldCheck) assertPublic(addresses, "resolves to");
  const usable = addresses.filter((entry) => family === 0 || entry.family === family);
  if (usable.length === 0) throw hostNotFound(hostname);
  return usable;
}

/** The URL parsed, http or https, without credentials; an IP address written in it is checked unless allowed. */
function checkForm(text: string, allowedHosts: readonly string[]): CheckedDestination {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new DestinationRefusedError({ kind: "invalid-url" });
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new DestinationRefusedError({ kind: "scheme" });
  if (url.username !== "" || url.password !== "") throw new DestinationRefusedError({ kind: "credentials" });
  const hostname = bareHostname(url);
  const key = hostKey(hostname);
  const isAllowed = key !== null && allowedHosts.some((entry) => hostKey(entry) === key);
  if (!isAllowed && isIP(hostname) !== 0) assertPublic([{ address: hostname, family: isIP(hostname) }], "is");
  return { url, isAllowed };
}

function assertSecureEnough(destination: CheckedDestination, rules: Pick<OutboundRules, "isHttpsRequired">): void {
  if (rules.isHttpsRequired && !destination.isAllowed && destination.url.protocol === "http:") {
    throw new DestinationRefusedError({ kind: "plain-http" });
  }
}

/** Throws when any address falls in a refused range; `verb` words it for a name ("resolves to") or a literal ("is"). */
function assertPublic(addresses: readonly ResolvedAddress[], verb: "is" | "resolves to"): void {
  for (const { address } of addresses) {
    const range = refusedKindOf(address);
    if (range !== null) throw new DestinationRefusedError({ kind: "address", verb, range, address });
  }
}

async function resolveOrRefuse(hostname: string, resolve: ResolveHost): Promise<ResolvedAddress[]> {
  const addresses = await resolve(hostname).catch(() => []);
  if (addresses.length === 0) throw new DestinationRefusedError({ kind: "host-not-found", hostname });
  return addresses;
}

/** The URL's host without the brackets of an IPv6 literal, as sockets and lookups take it. */
export function bareHostname(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, "$1");
}

/** One spelling per host, so `LOCALHOST`, `localhost.` and `localhost` (or `::1` and `[0::1]`) compare equal. */
function hostKey(host: string): string | null {
  const bare = host.trim().replace(/^\[(.*)\]$/, "$1");
  try {
    const { hostname } = new URL(`http://${isIP(bare) === 6 ? `[${bare}]` : bare}/`);
    return hostname.replace(/^\[(.*)\]$/, "$1").replace(/\.$/, "");
  } catch {
    return null;
  }
}

function familyOf(family: number | "IPv4" | "IPv6" | undefined): 0 | 4 | 6 {
  if (family === 4 || family === "IPv4") return 4;
  if (family === 6 || family === "IPv6") return 6;
  return 0;
}

function hostNotFound(hostname: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND", hostname });
}
