import { describe, expect, it } from "vitest";
import { toE164 } from "./records.phones.ts";

/** Phone numbers as people write them, to E.164. */
describe("toE164", () => {
  it.each([
    ["030 1234567", "DE", "+49301234567"],
    ["0151-12345678", "DE", "+4915112345678"],
    ["+49 (0)30 1234567", undefined, "+49301234567"],
    ["0044 20 7946 0958", "DE", "+442079460958"],
    ["(415) 555-2671", "US", "+14155552671"],
    ["+1 415.555.2671", "DE", "+14155552671"],
  ] as const)("reads %s (default country %s) as %s", (written, country, number) => {
    expect(toE164(written, country)).toEqual({ number });
  });

  it("asks for the country code when the workspace has no default country", () => {
    expect(toE164("030 1234567", undefined)).toEqual({
      error: expect.stringMatching(/^Must start with \+ and the country code, like \+49 30 1234567/),
    });
  });

  it("refuses numbers that cannot exist, with an example of the country's numbers", () => {
    expect(toE164("12345", "DE")).toEqual({ error: expect.stringMatching(/^Must be a phone number, like \+49 /) });
    expect(toE164("+1 555", undefined)).toEqual({ error: "Must be a phone number, like +49 30 1234567" });
    // An extension has no place in E.164: refused rather than silently dropped.
    expect(toE164("+1 415 555 2671 ext. 12", undefined)).toHaveProperty("error");
  });
});
