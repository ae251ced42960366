import { BlockList, isIP } from "node:net";

/** Why an IP address is no place for Keel to call (a webhook receiver, an SSO provider). */
export type RefusedAddressKind =
  | "cloud metadata"
  | "loopback"
  | "private"
  | "link-local"
  | "unique-local"
  | "shared (carrier-grade NAT)"
  | "multicast"
  | "unspecified"
  | "broadcast"
  | "documentation"
  | "reserved";

/**
 * Every range Keel's outbound requests may not reach, checked in order so the most specific reason wins
 * (169.254.169.254 is "cloud metadata" before it is "link-local"). From the IANA IPv4 and IPv6
 * special-purpose address registries, plus the cloud metadata services.
 */
const refusedRanges: ReadonlyArray<readonly [RefusedAddressKind, string]> = [
  ["cloud metadata", "169.254.169.254/32"], // AWS, Google Cloud, Azure, OpenStack, Oracle
  ["cloud metadata", "169.254.170.2/32"], // AWS ECS task credentials
  ["cloud metadata", "169.254.170.23/32"], // AWS EKS pod identity
  ["cloud metadata", "100.100.100.200/32"], // Alibaba Cloud
  ["cloud metadata", "168.63.129.16/32"], // Azure WireServer, a public address
  ["cloud metadata", "192.0.0.192/32"], // Oracle Cloud (classic)
  ["cloud metadata", "fd00:ec2::254/128"], // AWS instance metadata over IPv6
  ["cloud metadata", "fd00:ec2::23/128"], // AWS EKS pod identity over IPv6
  ["unspecified", "0.0.0.0/8"],
  ["private", "10.0.0.0/8"],
  ["shared (carrier-grade NAT)", "100.64.0.0/10"],
  ["loopback", "127.0.0.0/8"],
  ["link-local", "169.254.0.0/16"],
  ["private", "172.16.0.0/12"],
  ["reserved", "192.0.0.0/24"], // IETF protocol assignments
  ["documentation", "192.0.2.0/24"],
  ["reserved", "192.88.99.0/24"], // 6to4 relay anycast
  ["private", "192.168.0.0/16"],
  ["reserved", "198.18.0.0/15"], // benchmarking
  ["documentation", "198.51.100.0/24"],
  ["documentation", "203.0.113.0/24"],
  ["multicast", "224.0.0.0/4"],
  ["broadcast", "255.255.255.255/32"],
  ["reserved", "240.0.0.0/4"],
  ["unspecified", "::/128"],
  ["loopback", "::1/128"],
  ["reserved", "::/96"], // IPv4-compatible, deprecated
  ["private", "64:ff9b:1::/48"], // local-use NAT64
  ["reserved", "100::/64"], // discard-only
  ["documentation", "2001:db8::/32"],
  ["reserved", "2001::/23"], // IETF protocol assignments, Teredo
  ["documentation", "3fff::/20"],
  ["reserved", "5f00::/16"], // SRv6 segment identifiers
  ["unique-local", "fc00::/7"],
  ["link-local", "fe80::/10"],
  ["private", "fec0::/10"], // site-local, deprecated
  ["multicast", "ff00::/8"],
];

const rangeLists = refusedRanges.map(([kind, cidr]) => {
  const [network = "", prefix = ""] = cidr.split("/");
  const list = new BlockList();
  list.addSubnet(network, Number(prefix), isIP(network) === 6 ? "ipv6" : "ipv4");
  return { kind, list };
});

/**
 * The kind of refused range an address falls in, or null for a public address. IPv6 forms that
 * carry an IPv4 address (IPv4-mapped `::ffff:127.0.0.1`, NAT64, 6to4) are judged by that address.
 */
export function refusedKindOf(address: string): RefusedAddressKind | null {
  const bare = address.replace(/%.*$/, ""); // a zone id (fe80::1%eth0) says nothing about the range
  const family = isIP(bare);
  if (family === 0) throw new TypeError(`Not an IP address: ${address}`);
  const type = family === 6 ? "ipv6" : "ipv4";
  const match = rangeLists.find(({ list }) => list.check(bare, type));
  if (match) return match.kind;
  const embedded = family === 6 ? embeddedIpv4(ipv6Groups(bare)) : null;
  return embedded ? refusedKindOf(embedded) : null;
}

/** The eight 16-bit groups of an IPv6 address, whatever its spelling (`::`, dotted tail). */
function ipv6Groups(address: string): number[] {
  // WHATWG URL serialises IPv6 canonically: lower-case hex groups, one "::", no dotted tail.
  const canonical = new URL(`http://[${address}]/`).hostname.slice(1, -1);
  const [head = "", tail] = canonical.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const zeros = Array<string>(8 - left.length - right.length).fill("0");
  return [...left, ...zeros, ...right].map((group) => parseInt(group, 16));
}

/** The IPv4 address an IPv6 address stands for, when it is one of the forms that embed one. */
function embeddedIpv4(groups: number[]): string | null {
  const group = (index: number) => groups[index] ?? 0;
  const zeroFrom = (start: number, end: number) => groups.slice(start, end).every((value) => value === 0);
  const low32 = ipv4Of(group(6), group(7));
  if (zeroFrom(0, 5) && group(5) === 0xffff) return low32; // ::ffff:a.b.c.d, IPv4-mapped
  if (zeroFrom(0, 4) && group(4) === 0xffff && group(5) === 0) return low32; // ::ffff:0:a.b.c.d, translated
  if (group(0) === 0x64 && group(1) === 0xff9b && zeroFrom(2, 6)) return low32; // 64:ff9b::a.b.c.d, NAT64
  if (group(0) === 0x2002) return ipv4Of(group(1), group(2)); // 2002:aabb:ccdd::, 6to4
  return null;
}

function ipv4Of(high: number, low: number): string {
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join(".");
}

/** "a loopback address", "an unspecified address": the phrase error messages use. */
export function describeKind(kind: RefusedAddressKind): string {
  return `${kind === "unspecified" ? "an" : "a"} ${kind} address`;
}
