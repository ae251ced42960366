import { describe, expect, it } from "vitest";
import { AppError } from "../../lib/errors.ts";
import type { OutboundRules, ResolveHost } from "../../lib/outbound/destination.ts";
import { checkIssuer, ssoOutboundRules } from "./sso.issuer.ts";

const resolvesTo =
  (...addresses: string[]): ResolveHost =>
  async () =>
    addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));

const production = ssoOutboundRules({ env: "production", ssoAllowedHosts: ["idp.campus.internal"] });
const development = ssoOutboundRules({ env: "development", ssoAllowedHosts: [] });

/** The message of the 400 on `issuer` that checkIssuer throws. */
async function refusalOf(issuer: string, rules: OutboundRules, shouldResolve = true): Promise<string> {
  const error: unknown = await checkIssuer(issuer, rules, { shouldResolve }).then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error, `${issuer} should be refused`).toBeInstanceOf(AppError);
  const appError = error as AppError;
  expect(appError.status).toBe(400);
  expect(appError.errors?.map((field) => field.path)).toEqual(["issuer"]);
  expect(appError.message).toBe(appError.errors?.[0]?.message);
  return appError.errors?.[0]?.message ?? "";
}

describe("checkIssuer", () => {
  it("refuses plain http in production unless the host is allowed, and allows it elsewhere", async () => {
    expect(await refusalOf("http://login.example.com", production)).toBe(
      "Use an https:// URL: Keel calls a provider over plain http:// only when the server allows its host.",
    );
    await expect(checkIssuer("http://idp.campus.internal:8080", production, { shouldResolve: true })).resolves.toBe(
      undefined,
    );
    const publicName = { ...development, resolve: resolvesTo("93.184.215.14") };
    await expect(checkIssuer("http://login.example.com", publicName, { shouldResolve: true })).resolves.toBe(undefined);
  });

  it("names an internal address written in the issuer, in every environment", async () => {
    for (const rules of [production, development]) {
      expect(await refusalOf("https://10.0.0.5:8443", rules, false)).toBe(
        "The issuer is a private address (10.0.0.5), which Keel does not call.",
      );
      expect(await refusalOf("http://169.254.169.254/latest", rules, false)).toBe(
        "The issuer is a cloud metadata address (169.254.169.254), which Keel does not call.",
      );
    }
  });

  it("refuses a name that resolves inside without saying where, when it resolves the name", async () => {
    const inside = { ...production, resolve: resolvesTo("2606:4700:4700::1111", "10.0.0.5") };
    expect(await refusalOf("https://login.example.com", inside)).toBe(
      "The issuer's host resolves to a private address, which Keel does not call.",
    );
    await expect(checkIssuer("https://login.example.com", inside, { shouldResolve: false })).resolves.toBe(undefined);
    expect(await refusalOf("https://nowhere.example.com", { ...production, resolve: resolvesTo() })).toBe(
      "The host nowhere.example.com could not be found.",
    );
  });
});
