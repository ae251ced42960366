import { describe, expect, it } from "vitest";
import { describeKind, refusedKindOf, type RefusedAddressKind } from "./addresses.ts";

const cases: Array<[string, RefusedAddressKind | null]> = [
  ["8.8.8.8", null],
  ["1.1.1.1", null],
  ["93.184.215.14", null],
  ["172.32.0.1", null],
  ["100.128.0.1", null],
  ["127.0.0.1", "loopback"],
  ["127.255.255.254", "loopback"],
  ["10.1.2.3", "private"],
  ["172.16.0.1", "private"],
  ["172.31.255.255", "private"],
  ["192.168.1.1", "private"],
  ["100.64.0.1", "shared (carrier-grade NAT)"],
  ["169.254.1.1", "link-local"],
  ["169.254.169.254", "cloud metadata"],
  ["169.254.170.2", "cloud metadata"],
  ["100.100.100.200", "cloud metadata"],
  ["168.63.129.16", "cloud metadata"],
  ["0.0.0.0", "unspecified"],
  ["0.1.2.3", "unspecified"],
  ["255.255.255.255", "broadcast"],
  ["224.0.0.1", "multicast"],
  ["239.255.255.250", "multicast"],
  ["192.0.2.1", "documentation"],
  ["198.51.100.7", "documentation"],
  ["203.0.113.9", "documentation"],
  ["198.18.0.1", "reserved"],
  ["240.0.0.1", "reserved"],
  ["2606:4700:4700::1111", null],
  ["2a00:1450:4001:80b::200e", null],
  ["::1", "loopback"],
  ["0:0:0:0:0:0:0:1", "loopback"],
  ["::", "unspecified"],
  ["::ffff:127.0.0.1", "loopback"],
  ["::ffff:7f00:1", "loopback"],
  ["0:0:0:0:0:ffff:127.0.0.1", "loopback"],
  ["::ffff:169.254.169.254", "cloud metadata"],
  ["::ffff:10.0.0.1", "private"],
  ["::ffff:8.8.8.8", null],
  ["::ffff:0:10.0.0.1", "private"],
  ["64:ff9b::10.0.0.1", "private"],
  ["64:ff9b::8.8.8.8", null],
  ["64:ff9b:1::1", "private"],
  ["2002:7f00:1::", "loopback"],
  ["2002:808:808::1", null],
  ["::127.0.0.1", "reserved"],
  ["2001::1", "reserved"],
  ["2001:db8::1", "documentation"],
  ["fe80::1", "link-local"],
  ["fe80::1%eth0", "link-local"],
  ["fc00::1", "unique-local"],
  ["fd12:3456::1", "unique-local"],
  ["fd00:ec2::254", "cloud metadata"],
  ["fec0::1", "private"],
  ["ff02::1", "multicast"],
];

describe("refused address ranges", () => {
  it.each(cases)("classifies %s as %s", (address, kind) => {
    expect(refusedKindOf(address)).toBe(kind);
  });

  it("takes IP addresses only", () => {
    expect(() => refusedKindOf("example.com")).toThrow(TypeError);
  });

  it("words each kind for an error message", () => {
    expect(describeKind("loopback")).toBe("a loopback address");
    expect(describeKind("unspecified")).toBe("an unspecified address");
  });
});
