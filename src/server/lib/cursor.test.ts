import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor, type CursorPayload } from "./cursor.ts";

const base64url = (text: string) => Buffer.from(text, "utf8").toString("base64url");

describe("encodeCursor / decodeCursor", () => {
  it.each<CursorPayload>([
    { sort: "-createdAt", values: ["2025-01-02 03:04:05.678+00", "01900000-0000-7000-8000-000000000000"] },
    { sort: "lastName,firstName", values: ["Ørsted", null, "01900000-0000-7000-8000-000000000001"] },
    { sort: "", values: [] },
    { sort: "name", values: ['quote " and \\ backslash, comma', "😀"] },
  ])("round-trips %j", (payload) => {
    expect(decodeCursor(encodeCursor(payload))).toEqual(payload);
  });

  it("produces URL-safe text that needs no escaping in a query string", () => {
    const cursor = encodeCursor({ sort: "-x", values: ["??>>~~ÿÿ", "/+=&"] });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(encodeURIComponent(cursor)).toBe(cursor);
  });

  it("gives different cursors for different positions", () => {
    const a = encodeCursor({ sort: "name", values: ["a", "01900000-0000-7000-8000-000000000000"] });
    const b = encodeCursor({ sort: "name", values: ["b", "01900000-0000-7000-8000-000000000000"] });
    expect(a).not.toBe(b);
  });
});

describe("decodeCursor", () => {
  it.each([
    ["an empty string", ""],
    ["characters outside base64url", "!!"],
    ["standard base64 padding", `${Buffer.from('["a",[]]').toString("base64")}==`],
    ["standard base64 alphabet", "ab+c/d"],
    ["whitespace", `${base64url('["a",[]]')} `],
    ["base64 of text that is not JSON", base64url("not json")],
    ["base64 of truncated JSON", base64url('["a",["b"')],
    ["random base64url bytes", "____----AAAA"],
  ])("answers null for %s", (_name, cursor) => {
    expect(decodeCursor(cursor)).toBeNull();
  });

  it.each([
    ["an object", { sort: "a", values: [] }],
    ["a bare string", "a"],
    ["null", null],
    ["an array of one", ["a"]],
    ["an array of three", ["a", [], "extra"]],
    ["a non-string sort", [1, ["x"]]],
    ["a null sort", [null, ["x"]]],
    ["values that are not an array", ["a", "x"]],
    ["values that are an object", ["a", { 0: "x" }]],
    ["a number among the values", ["a", ["x", 1]]],
    ["a boolean among the values", ["a", [true]]],
    ["an object among the values", ["a", [{ v: "x" }]]],
    ["an array among the values", ["a", [["x"]]]],
  ])("answers null for JSON of the wrong shape: %s", (_name, value) => {
    expect(decodeCursor(base64url(JSON.stringify(value)))).toBeNull();
  });

  it("keeps null values (nullable sort keys)", () => {
    expect(decodeCursor(base64url('["a",[null,"x"]]'))).toEqual({ sort: "a", values: [null, "x"] });
  });
});
