import { describe, expect, it } from "vitest";
import type { ExportColumn } from "./exports.columns.ts";
import { csvCell, neutralise } from "./exports.csv.ts";

const column = (kind: ExportColumn["kind"]): ExportColumn => ({ name: "x", kind, value: () => null });

describe("formula injection", () => {
  it.each([
    ['=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'],
    ["+1", "'+1"],
    ["-1", "'-1"],
    ["@SUM(A1:A9)", "'@SUM(A1:A9)"],
    ["\tcmd", "'\tcmd"],
    ["\rcmd", "'\rcmd"],
    ["plain", "plain"],
    ["a=b", "a=b"],
    ["", ""],
  ])("neutralises the text %j as %j", (text, expected) => {
    expect(neutralise(text)).toBe(expected);
    expect(csvCell(column("text"), text === "" ? null : text)).toBe(expected);
  });

  it("keeps negative money and numbers as numbers: only text cells are neutralised", () => {
    expect(csvCell(column("money"), "-12.50")).toBe("-12.50");
    expect(csvCell(column("integer"), -3)).toBe("-3");
    expect(csvCell(column("text"), "-12.50")).toBe("'-12.50");
    // A money cell that is not a decimal is treated as the text it is.
    expect(csvCell(column("money"), "=1+1")).toBe("'=1+1");
  });

  it("neutralises lists by their first item, writes instants in ISO 8601 and empties as nothing", () => {
    expect(csvCell(column("list"), ["=x", "y"])).toBe("'=x;y");
    expect(csvCell(column("datetime"), new Date("2026-01-02T03:04:05.006Z"))).toBe("2026-01-02T03:04:05.006Z");
    expect(csvCell(column("date"), "2026-01-02")).toBe("2026-01-02");
    expect(csvCell(column("text"), null)).toBe("");
  });
});
