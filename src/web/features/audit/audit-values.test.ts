import { describe, expect, it } from "vitest";
import { diffLines, formatValue } from "./audit-values.ts";

describe("audit values", () => {
  it("formats values for one line: members, money, lists, choices, empties", () => {
    const members = new Map([["0190f6c2-0000-7000-8000-0000000000e1", "Ada Lovelace"]]);
    expect(formatValue("ownerId", "0190f6c2-0000-7000-8000-0000000000e1", members)).toBe("Ada Lovelace");
    expect(formatValue("companyId", "0190f6c2-0000-7000-8000-0000000000c1")).toBe("0190f6c2…");
    expect(formatValue("value", { amount: "1250.50", currency: "EUR" })).toBe("1250.50 EUR");
    expect(formatValue("tags", ["vip", "alumni"])).toBe("vip, alumni");
    expect(formatValue("status", "closed_won")).toBe("Closed won");
    expect(formatValue("address", { city: "Berlin", postalCode: "10115", line2: "" })).toBe(
      "City: Berlin, Postal code: 10115",
    );
    expect(formatValue("isPrimary", false)).toBe("No");
    expect(formatValue("phone", null)).toBe("—");
    expect(formatValue("tags", [])).toBe("—");
    expect(formatValue("taxId", "[masked]")).toBe("(masked)");
  });

  it("marks the lines of a list that were removed and added, not the ones kept", () => {
    const diff = diffLines(JSON.stringify(["a", "b"], null, 2), JSON.stringify(["a", "b", "c"], null, 2));
    expect(diff.old.filter((l) => l.isChanged)).toEqual([]);
    expect(diff.new.filter((l) => l.isChanged).map((l) => l.text)).toEqual(['  "c"']);
    expect(diffLines("old", "new")).toEqual({
      old: [{ text: "old", isChanged: true }],
      new: [{ text: "new", isChanged: true }],
    });
    expect(diffLines(null, "new").old).toEqual([]);
  });
});
