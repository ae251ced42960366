import { describe, expect, it } from "vitest";
import { AppError } from "../../lib/errors.ts";
import { parseAllowedHosts, type ResolveHost } from "../../lib/outbound/destination.ts";
import { checkWebhookUrl } from "./webhooks.destination.ts";

const publicAddress = "93.184.215.14";
const resolvesTo =
  (...addresses: string[]): ResolveHost =>
  async () =>
    addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
const noAllowedHosts = { allowedHosts: [] };

/** The message of the 400 on `url` that checkWebhookUrl throws. */
async function refusalOf(url: string, rules: Parameters<typeof checkWebhookUrl>[1] = noAllowedHosts) {
  const error: unknown = await checkWebhookUrl(url, rules).then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error, `${url} should be refused`).toBeInstanceOf(AppError);
  const appError = error as AppError;
  expect(appError.status).toBe(400);
  expect(appError.errors?.map((field) => field.path)).toEqual(["url"]);
  return appError.errors?.[0]?.message ?? "";
}

describe("checkWebhookUrl", () => {
  it("accepts a public address and a name resolving only to public addresses", async () => {
    expect((await checkWebhookUrl(`https://${publicAddress}/hooks`, noAllowedHosts)).href).toBe(
      `https://${publicAddress}/hooks`,
    );
    const url = await checkWebhookUrl("https://hooks.example.com/keel", {
      allowedHosts: [],
      resolve: resolvesTo(publicAddress, "2606:4700:4700::1111"),
    });
    expect(url.hostname).toBe("hooks.example.com");
  });

  it.each([
    ["http://127.0.0.1/", "is a loopback address"],
    ["http://10.0.0.8:8080/hook", "is a private address"],
    ["http://192.168.1.20/", "is a private address"],
    ["http://100.64.1.1/", "is a shared (carrier-grade NAT) address"],
    ["http://169.254.169.254/latest/meta-data/", "is a cloud metadata address"],
    ["http://[fd00:ec2::254]/latest/meta-data/", "is a cloud metadata address"],
    ["http://0.0.0.0/", "is an unspecified address"],
    ["http://255.255.255.255/", "is a broadcast address"],
    ["http://224.0.0.251/", "is a multicast address"],
    ["http://192.0.2.10/", "is a documentation address"],
    ["http://[::1]/", "is a loopback address"],
    ["http://[::]/", "is an unspecified address"],
    ["http://[fe80::1]/", "is a link-local address"],
    ["http://[fd12:3456::1]/", "is a unique-local address"],
    ["http://[::ffff:127.0.0.1]/", "is a loopback address"],
    ["http://[::ffff:a9fe:a9fe]/", "is a cloud metadata address"],
    ["http://2130706433/", "is a loopback address"],
    ["http://0x7f.1/", "is a loopback address"],
    ["http://127.1/", "is a loopback address"],
    ["http://0177.0.0.1/", "is a loopback address"],
    ["http://0/", "is an unspecified address"],
    ["http://0x7f000001/", "is a loopback address"],
    ["http://127.0.0.1./", "is a loopback address"],
    ["http://%31%32%37.0.0.1/", "is a loopback address"],
    ["http://１２７．０．０．１/", "is a loopback address"],
  ])("refuses %s: the host %s", async (url, reason) => {
    expect(await refusalOf(url)).toBe(`The URL's host ${reason}; webhooks are sent only to public addresses.`);
  });

  it("refuses other schemes, and user names or passwords in the URL", async () => {
    expect(await refusalOf("ftp://example.com/")).toBe("Use an https:// or http:// URL.");
    expect(await refusalOf("file:///etc/passwd")).toBe("Use an https:// or http:// URL.");
    expect(await refusalOf("javascript:alert(1)")).toBe("Use an https:// or http:// URL.");
    expect(await refusalOf("https://user:secret@example.com/")).toMatch(/Remove the user name and password/);
    expect(await refusalOf("https://user@example.com/")).toMatch(/Remove the user name and password/);
    expect(await refusalOf("not a url")).toBe("Enter a full URL, such as https://example.com/webhooks.");
  });

  it("refuses a name when any of its addresses is internal, and a name that does not resolve", async () => {
    const mixed = { allowedHosts: [], resolve: resolvesTo(publicAddress, "10.0.0.5") };
    expect(await refusalOf("https://hooks.example.com/", mixed)).toMatch(/resolves to a private address/);
    const metadata = { allowedHosts: [], resolve: resolvesTo("169.254.169.254") };
    expect(await refusalOf("http://metadata.google.internal/", metadata)).toMatch(
      /resolves to a cloud metadata address/,
    );
    const nowhere = { allowedHosts: [], resolve: resolvesTo() };
    expect(await refusalOf("https://nowhere.example.com/", nowhere)).toBe(
      "The host nowhere.example.com could not be found.",
    );
  });

  it("refuses localhost through the system resolver unless it is an allowed host", async () => {
    expect(await refusalOf("http://localhost:3000/hooks")).toMatch(/resolves to a loopback address/);
    for (const allowed of ["localhost", "LOCALHOST", "localhost."]) {
      const url = await checkWebhookUrl("http://localhost:3000/hooks", { allowedHosts: [allowed] });
      expect(url.port).toBe("3000");
    }
  });

  it("lets allowed IP literals through in any of their spellings", async () => {
    const allowedHosts = parseAllowedHosts(" 127.0.0.1 , ::1,");
    expect(allowedHosts).toEqual(["127.0.0.1", "::1"]);
    await expect(checkWebhookUrl("http://127.0.0.1:8080/", { allowedHosts })).resolves.toBeInstanceOf(URL);
    await expect(checkWebhookUrl("http://127.1:8080/", { allowedHosts })).resolves.toBeInstanceOf(URL);
    await expect(checkWebhookUrl("http://[0:0::1]:8080/", { allowedHosts })).resolves.toBeInstanceOf(URL);
    expect(await refusalOf("http://127.0.0.2/", { allowedHosts })).toMatch(/loopback/);
  });
});
