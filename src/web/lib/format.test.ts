import { afterEach, describe, expect, it } from "vitest";
import {
  browserFormats,
  decimalFromInput,
  formatDate,
  formatDateTime,
  formatMoney,
  formatNumber,
  fromLocalInput,
  setFormatPreferences,
  toLocalInput,
  type FormatPreferences,
} from "./format.ts";

afterEach(() => setFormatPreferences(browserFormats));

describe("formatting with the workspace's preferences", () => {
  it("writes dates in the chosen pattern, instants on the workspace's clock", () => {
    setFormatPreferences({
      currency: "EUR",
      timeZone: "Europe/Berlin",
      dateFormat: "DD.MM.YYYY",
      numberFormat: "auto",
    });
    // 23:30 UTC on New Year's Eve is already the next day in Berlin.
    expect(formatDateTime("2026-12-31T23:30:00Z")).toBe("01.01.2027 00:30");
    expect(formatDate("2026-12-31T23:30:00Z")).toBe("01.01.2027");
    // A calendar date is a day, never moved by a zone.
    expect(formatDate("2026-12-31")).toBe("31.12.2026");

    setFormatPreferences({
      currency: "USD",
      timeZone: "America/New_York",
      dateFormat: "MM/DD/YYYY",
      numberFormat: "auto",
    });
    expect(formatDateTime("2026-07-04T16:05:00Z")).toBe("07/04/2026 12:05 PM");
    setFormatPreferences({ currency: "USD", timeZone: "UTC", dateFormat: "YYYY-MM-DD", numberFormat: "auto" });
    expect(formatDate("2026-03-09")).toBe("2026-03-09");
    expect(formatDateTime("2026-03-09T08:00:00Z")).toBe("2026-03-09 08:00");
  });

  it("groups numbers and money as chosen, in the workspace's currency when an amount has none", () => {
    setFormatPreferences({ currency: "EUR", timeZone: "UTC", dateFormat: "auto", numberFormat: "1.234,56" });
    expect(formatNumber(1234567.5)).toBe("1.234.567,5");
    expect(formatMoney("12500")).toBe("12.500\u00a0€");
    setFormatPreferences({ currency: "GBP", timeZone: "UTC", dateFormat: "auto", numberFormat: "1,234.56" });
    expect(formatNumber(1234567.5)).toBe("1,234,567.5");
    expect(formatMoney("12500")).toBe("£12,500");
    expect(formatMoney("12500", "USD")).toBe("$12,500");
  });

  it("reads and writes datetime inputs on the workspace's wall clock, across daylight saving", () => {
    setFormatPreferences({ currency: "EUR", timeZone: "Europe/Berlin", dateFormat: "auto", numberFormat: "auto" });
    expect(toLocalInput("2026-01-15T09:00:00Z")).toBe("2026-01-15T10:00");
    expect(toLocalInput("2026-07-15T09:00:00Z")).toBe("2026-07-15T11:00");
    expect(fromLocalInput("2026-01-15T10:00")).toBe("2026-01-15T09:00:00.000Z");
    expect(fromLocalInput("2026-07-15T11:00")).toBe("2026-07-15T09:00:00.000Z");
    // The morning the clocks go forward (02:00 → 03:00 on 29 March 2026).
    expect(fromLocalInput("2026-03-29T04:00")).toBe("2026-03-29T02:00:00.000Z");
    expect(fromLocalInput("")).toBeNull();
    expect(fromLocalInput("yesterday")).toBe("yesterday");
  });
});

describe("decimalFromInput", () => {
  const inFormat = (numberFormat: FormatPreferences["numberFormat"], typed: string) => {
    setFormatPreferences({ ...browserFormats, numberFormat });
    try {
      return decimalFromInput(typed);
    } finally {
      setFormatPreferences(browserFormats);
    }
  };

  it.each([
    ["1,234.56", "12,500.00", "12500.00"],
    ["1,234.56", "1,234,567", "1234567"],
    ["1,234.56", "12500.5", "12500.5"],
    ["1,234.56", " -3,000.25 ", "-3000.25"],
    ["1.234,56", "12.500,00", "12500.00"],
    ["1.234,56", "12,5", "12.5"],
    ["1.234,56", "12.5", "12.5"],
    ["1.234,56", "12.500", "12500"],
    ["1 234,56", "12 500,75", "12500.75"],
    ["1 234,56", "12\u202f500,75", "12500.75"],
    ["1'234.56", "12'500.00", "12500.00"],
    ["1,234.56", "012,500.50", "12500.50"],
    ["1,234.56", "0.5", "0.5"],
  ] as const)("in the %s format reads %j as %j", (format, typed, expected) => {
    expect(inFormat(format, typed)).toBe(expected);
  });

  it.each([
    ["1,234.56", "12,5"],
    ["1,234.56", "12,50,000"],
    ["1,234.56", "twelve"],
    ["1.234,56", "1.2.3"],
  ] as const)("in the %s format leaves %j as typed, for the schema to refuse", (format, typed) => {
    expect(inFormat(format, typed)).toBe(typed);
  });

  it("reads nothing typed as nothing", () => {
    expect(inFormat("1,234.56", "   ")).toBe("");
  });
});
