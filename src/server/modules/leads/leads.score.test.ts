import { describe, expect, it } from "vitest";
import { computeLeadScore, type LeadScoreInput } from "./leads.score.ts";

const base: LeadScoreInput = { priority: "medium", estimatedValue: null, hasPrimaryContact: false, status: "new" };

describe("computeLeadScore", () => {
  it("scores a bare new lead by its priority only", () => {
    expect(computeLeadScore({ ...base, priority: "low" })).toBe(5);
    expect(computeLeadScore(base)).toBe(15);
    expect(computeLeadScore({ ...base, priority: "high" })).toBe(30);
  });

  it("adds points by estimated value tier, tier bounds included", () => {
    const withValue = (estimatedValue: string) => computeLeadScore({ ...base, estimatedValue }) - 15;
    expect(withValue("0")).toBe(5);
    expect(withValue("999.99")).toBe(5);
    expect(withValue("1000.00")).toBe(15);
    expect(withValue("9999.99")).toBe(15);
    expect(withValue("10000")).toBe(25);
    expect(withValue("99999.99")).toBe(25);
    expect(withValue("100000.00")).toBe(35);
    expect(withValue("999999999999.99")).toBe(35);
  });

  it("adds 15 for a primary contact and points for progress", () => {
    expect(computeLeadScore({ ...base, hasPrimaryContact: true })).toBe(30);
    expect(computeLeadScore({ ...base, status: "contacted" })).toBe(25);
    expect(computeLeadScore({ ...base, status: "qualified" })).toBe(35);
    expect(computeLeadScore({ ...base, status: "converted" })).toBe(35);
  });

  it("reaches 100 at most and 0 for a lost lead", () => {
    const best: LeadScoreInput = {
      priority: "high",
      estimatedValue: "250000.00",
      hasPrimaryContact: true,
      status: "qualified",
    };
    expect(computeLeadScore(best)).toBe(100);
    expect(computeLeadScore({ ...best, status: "lost" })).toBe(0);
  });
});
