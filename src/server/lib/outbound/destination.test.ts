import type { LookupAddress } from "node:dns";
import { describe, expect, it } from "vitest";
import {
  DestinationRefusedError,
  checkDestination,
  checkDestinationBeforeConnect,
  guardedLookup,
  parseAllowedHosts,
  type Refusal,
  type ResolveHost,
} from "./destination.ts";

const publicAddress = "93.184.215.14";
const resolvesTo =
  (...addresses: string[]): ResolveHost =>
  async () =>
    addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));

/** What checkDestination refused `url` for. */
async function refusalOf(url: string, rules: Parameters<typeof checkDestination>[1], shouldResolve = true) {
  const error: unknown = await checkDestination(url, rules, { shouldResolve }).then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error, `${url} should be refused`).toBeInstanceOf(DestinationRefusedError);
  return (error as DestinationRefusedError).refusal;
}

describe("checkDestination", () => {
  it("names the refused address, whether the URL has it or its host resolves to it", async () => {
    expect(await refusalOf("https://10.0.0.5:8080/", { allowedHosts: [] })).toEqual<Refusal>({
      kind: "address",
      verb: "is",
      range: "private",
      address: "10.0.0.5",
    });
    expect(await refusalOf("http://[::ffff:127.0.0.1]/", { allowedHosts: [] })).toMatchObject({
      range: "loopback",
      address: "::ffff:7f00:1",
    });
    const rebound = { allowedHosts: [], resolve: resolvesTo(publicAddress, "169.254.169.254") };
    expect(await refusalOf("https://idp.example.com/", rebound)).toEqual<Refusal>({
      kind: "address",
      verb: "resolves to",
      range: "cloud metadata",
      address: "169.254.169.254",
    });
    expect(await refusalOf("https://nowhere.example.com/", { allowedHosts: [], resolve: resolvesTo() })).toEqual({
      kind: "host-not-found",
      hostname: "nowhere.example.com",
    });
  });

  it("requires https where the rules say so, except for allowed hosts", async () => {
    const rules = { allowedHosts: ["idp.campus.internal"], isHttpsRequired: true, resolve: resolvesTo(publicAddress) };
    expect(await refusalOf("http://idp.example.com/", rules)).toEqual({ kind: "plain-http" });
    await expect(checkDestination("https://idp.example.com/", rules)).resolves.toMatchObject({ isAllowed: false });
    const internal = { ...rules, resolve: resolvesTo("10.0.0.5") };
    await expect(checkDestination("http://idp.campus.internal/", internal)).resolves.toMatchObject({ isAllowed: true });
    // An internal address written in the URL is the better reason: it is said first. A name is
    // not looked up for a URL refused anyway.
    expect(await refusalOf("http://10.0.0.5/", rules)).toMatchObject({ kind: "address", range: "private" });
    expect(await refusalOf("http://intranet.example.com/", internal)).toEqual({ kind: "plain-http" });
    expect(await refusalOf("https://intranet.example.com/", internal)).toMatchObject({ kind: "address" });
  });

  it("checks what needs no lookup when told not to resolve", async () => {
    const rules = { allowedHosts: [], isHttpsRequired: true, resolve: resolvesTo("127.0.0.1") };
    await expect(checkDestination("https://idp.example.com/", rules, { shouldResolve: false })).resolves.toBeDefined();
    expect(await refusalOf("https://127.0.0.1/", rules, false)).toMatchObject({ range: "loopback" });
    expect(await refusalOf("http://idp.example.com/", rules, false)).toEqual({ kind: "plain-http" });
  });

  it("refuses other schemes and credentials, with a reason for logs", async () => {
    const rules = { allowedHosts: ["localhost"] };
    expect(await refusalOf("file:///etc/passwd", rules)).toEqual({ kind: "scheme" });
    expect(await refusalOf("gopher://localhost/", rules)).toEqual({ kind: "scheme" });
    expect(await refusalOf("https://user:secret@localhost/", rules)).toEqual({ kind: "credentials" });
    expect(await refusalOf("no url", rules)).toEqual({ kind: "invalid-url" });
    expect(() =>
      checkDestinationBeforeConnect("http://idp.example.com/", { allowedHosts: [], isHttpsRequired: true }),
    ).toThrow("destination refused: plain http to a host that is not allowed");
  });
});

describe("parseAllowedHosts", () => {
  it("reads comma-separated hosts, ignoring spaces and empty entries", () => {
    expect(parseAllowedHosts(" 127.0.0.1 , ::1,,idp.campus.internal")).toEqual([
      "127.0.0.1",
      "::1",
      "idp.campus.internal",
    ]);
    expect(parseAllowedHosts(undefined)).toEqual([]);
  });
});

describe("guardedLookup", () => {
  const lookUp = (lookup: ReturnType<typeof guardedLookup>, options: { all?: boolean; family?: number }) =>
    new Promise<{ error: Error | null; address: string | LookupAddress[]; family?: number }>((resolve) =>
      lookup("hooks.example.com", options, (error, address, family) => resolve({ error, address, family })),
    );

  it("hands the socket the addresses that passed, one or all as it asks", async () => {
    const lookup = guardedLookup({ resolve: resolvesTo(publicAddress, "2606:4700:4700::1111") });
    expect(await lookUp(lookup, {})).toEqual({ error: null, address: publicAddress, family: 4 });
    expect(await lookUp(lookup, { family: 6 })).toEqual({ error: null, address: "2606:4700:4700::1111", family: 6 });
    expect((await lookUp(lookup, { all: true })).address).toHaveLength(2);
  });

  it("fails with the refusal when the name now points inside, before any socket connects", async () => {
    const { error } = await lookUp(guardedLookup({ resolve: resolvesTo("127.0.0.1") }), { all: true });
    expect(error).toBeInstanceOf(DestinationRefusedError);
    expect(error?.message).toBe("destination refused: resolves to a loopback address");
  });

  it("resolves an allowed host without checking it", async () => {
    const lookup = guardedLookup({ resolve: resolvesTo("127.0.0.1"), shouldCheck: false });
    expect(await lookUp(lookup, {})).toEqual({ error: null, address: "127.0.0.1", family: 4 });
  });
});
