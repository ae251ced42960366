import { lookup as systemLookup } from "node:dns/promises";
import { isIP, type LookupFunction } from "node:net";
import { invalidField } from "../../lib/errors.ts";
import { describeKind, refusedKindOf } from "./webhooks.addresses.ts";

/** One address a host name resolves to. */
export type ResolvedAddress = { address: string; family: number };

/** Resolves a host name to every one of its addresses. */
export type ResolveHost = (hostname: string) => Promise<ResolvedAddress[]>;

/** Where webhooks may go. Hosts in `allowedHosts` (WEBHOOK_ALLOWED_HOSTS) skip the address check. */
export type DestinationRules = { allowedHosts: readonly string[]; resolve?: ResolveHost };

/** The system resolver, the one every other connection of the process uses. */
export const resolveWithSystemDns: ResolveHost = (hostname) => systemLookup(hostname, { all: true, order: "verbatim" });

/**
 * A destination webhooks may not be sent to. `reason` is the short form kept in the delivery log
 * ("resolves to a loopback address"); `detail` is the sentence shown to the person who typed the URL.
 */
export class DestinationRefusedError extends Error {
  constructor(
    readonly reason: string,
    readonly detail: string,
  ) {
    super(`destination refused: ${reason}`);
    this.name = "DestinationRefusedError";
  }
}

/** Parses WEBHOOK_ALLOWED_HOSTS: comma-separated host names or IP literals (`127.0.0.1,localhost`). */
export function parseAllowedHosts(text: string | undefined): string[] {
  return (text ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
}

/**
 * Checks the URL of an endpoint being created or changed: http or https, no user name or password,
 * and every address its host resolves to is public, unless the host is allowed. Answers the parsed
 * URL; throws a `validation` AppError on the `url` field, whose message says what is wrong.
 */
export async function checkDestination(url: string, rules: DestinationRules): Promise<URL> {
  try {
    const { url: parsed, isAllowed } = checkDestinationBeforeConnect(url, rules.allowedHosts);
    const hostname = bareHostname(parsed);
    if (!isAllowed && isIP(hostname) === 0) {
      assertPublic(await resolveOrRefuse(hostname, rules.resolve ?? resolveWithSystemDns), "resolves to");
    }
    return parsed;
  } catch (error) {
    if (error instanceof DestinationRefusedError) throw invalidField("url", error.detail);
    throw error;
  }
}

/**
 * What can be checked of a delivery's URL before any connection: its form, whether its host is
 * allowed, and, for an IP address written in the URL (which Node connects to without a lookup),
 * that address. Host names are checked by `guardedLookup` as the socket connects.
 */
export function checkDestinationBeforeConnect(
  url: string,
  allowedHosts: readonly string[],
): { url: URL; isAllowed: boolean } {
  const parsed = parseDestinationUrl(url);
  const hostname = bareHostname(parsed);
  const key = hostKey(hostname);
  const isAllowed = key !== null && allowedHosts.some((entry) => hostKey(entry) === key);
  if (!isAllowed && isIP(hostname) !== 0) assertPublic([{ address: hostname, family: isIP(hostname) }], "is");
  return { url: parsed, isAllowed };
}

/**
 * The `lookup` of a delivery's socket: resolves the host as the socket connects and hands it only
 * addresses that passed the check, so a host re-pointed at an internal address after its endpoint
 * was created (DNS rebinding) is refused before any connection opens. `shouldCheck: false` (an
 * allowed host) resolves without checking.
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

function parseDestinationUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new DestinationRefusedError("not a valid URL", "Enter a full URL, such as https://example.com/webhooks.");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new DestinationRefusedError("only http and https URLs are allowed", "Use an https:// or http:// URL.");
  }
  if (url.username !== "" || url.password !== "") {
    throw new DestinationRefusedError(
      "the URL contains a user name or password",
      "Remove the user name and password from the URL: receivers check each delivery's signature instead.",
    );
  }
  return url;
}

/** Throws when any address falls in a refused range; `verb` words it for a name ("resolves to") or a literal ("is"). */
function assertPublic(addresses: readonly ResolvedAddress[], verb: "is" | "resolves to"): void {
  for (const { address } of addresses) {
    const kind = refusedKindOf(address);
    if (kind === null) continue;
    const what = `${verb} ${describeKind(kind)}`;
    throw new DestinationRefusedError(what, `The URL's host ${what}; webhooks are sent only to public addresses.`);
  }
}

async function resolveOrRefuse(hostname: string, resolve: ResolveHost): Promise<ResolvedAddress[]> {
  const addresses = await resolve(hostname).catch(() => []);
  if (addresses.length === 0) {
    throw new DestinationRefusedError("host not found", `The host ${hostname} could not be found.`);
  }
  return addresses;
}

/** The URL's host without the brackets of an IPv6 literal, as sockets and lookups take it. */
function bareHostname(url: URL): string {
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
