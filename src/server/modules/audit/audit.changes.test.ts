import { describe, expect, it } from "vitest";
import { fieldChanges, masked, maskSecrets } from "./audit.changes.ts";

describe("fieldChanges", () => {
  it("lists the fields whose JSON differs, old value first", () => {
    const before = { firstName: "Ada", lastName: "Lovelace", tags: ["a", "b"], score: 1, active: true };
    const after = { firstName: "Ada", lastName: "Byron", tags: ["a", "b"], score: 2, active: false };
    expect(fieldChanges(before, after)).toEqual({
      lastName: ["Lovelace", "Byron"],
      score: [1, 2],
      active: [true, false],
    });
  });

  it("compares arrays and objects by content, in order", () => {
    const before = { tags: ["a", "b"], custom: { plan: "pro", seats: 3 } };
    expect(fieldChanges(before, { tags: ["a", "b"], custom: { plan: "pro", seats: 3 } })).toEqual({});
    expect(fieldChanges(before, { tags: ["b", "a"], custom: { plan: "pro", seats: 4 } })).toEqual({
      tags: [
        ["a", "b"],
        ["b", "a"],
      ],
      custom: [
        { plan: "pro", seats: 3 },
        { plan: "pro", seats: 4 },
      ],
    });
  });

  it("tells an empty array from null, and a string from the number it spells", () => {
    expect(fieldChanges({ tags: null, value: "1" }, { tags: [], value: 1 })).toEqual({
      tags: [null, []],
      value: ["1", 1],
    });
  });

  it("carries dates as ISO strings and compares them by instant", () => {
    const at = "2026-12-06T08:00:00.000Z";
    expect(fieldChanges({ closedAt: new Date(at) }, { closedAt: new Date(at) })).toEqual({});
    expect(fieldChanges({ closedAt: null }, { closedAt: new Date(at) })).toEqual({ closedAt: [null, at] });
  });

  it("treats undefined, missing and non-finite numbers as null", () => {
    expect(fieldChanges({ phone: undefined, amount: Number.NaN }, { phone: null, amount: null })).toEqual({});
    expect(fieldChanges({ jobTitle: "CTO" }, {})).toEqual({ jobTitle: ["CTO", null] });
    expect(fieldChanges({}, { jobTitle: "CTO" })).toEqual({ jobTitle: [null, "CTO"] });
  });

  it("leaves out bookkeeping fields, and the empty fields of a new record", () => {
    const record = { id: "x", version: 2, updatedAt: new Date(), firstName: "Ada", email: null, tags: [] };
    expect(fieldChanges(null, record)).toEqual({ firstName: [null, "Ada"], tags: [null, []] });
    expect(fieldChanges({ ...record, version: 1 }, record)).toEqual({});
  });

  it("masks secret-looking fields whatever they held", () => {
    expect(fieldChanges({ passwordHash: "a" }, { passwordHash: "b" })).toEqual({ passwordHash: [masked, masked] });
    expect(fieldChanges({ apiKeyToken: "same" }, { apiKeyToken: "same" })).toEqual({});
  });
});

describe("maskSecrets", () => {
  it("masks secret-looking keys and makes the rest plain JSON", () => {
    const at = new Date("2026-12-06T08:00:00.000Z");
    expect(maskSecrets({ clientSecret: "s3cret", at, retries: 2, note: undefined })).toEqual({
      clientSecret: masked,
      at: at.toISOString(),
      retries: 2,
      note: null,
    });
  });
});
