import { describe, expect, it } from "vitest";
import { totalsByCurrency } from "./deal-totals.ts";

describe("totalsByCurrency", () => {
  it("adds values and weighted values in cents, per currency", () => {
    const totals = totalsByCurrency([
      { value: "1000.10", currency: "EUR", probability: 50 },
      { value: "0.2", currency: "EUR", probability: 100 },
      { value: "300", currency: "USD", probability: 10 },
    ]);
    expect(totals).toEqual([
      { currency: "EUR", value: "1000.30", weightedValue: "500.25" },
      { currency: "USD", value: "300.00", weightedValue: "30.00" },
    ]);
  });

  it("keeps large sums exact", () => {
    const totals = totalsByCurrency([
      { value: "999999999999.99", currency: "EUR", probability: 100 },
      { value: "999999999999.99", currency: "EUR", probability: 100 },
    ]);
    expect(totals[0]?.value).toBe("1999999999999.98");
  });

  it("answers nothing for no deals", () => {
    expect(totalsByCurrency([])).toEqual([]);
  });
});
