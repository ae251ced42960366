import pg from "pg";
import { describe, expect, it } from "vitest";
import { CannotInlineError, inlineParameters } from "./inline-parameters.ts";

describe("inlining parameters into a statement", () => {
  const client = { escapeLiteral: (value: string) => pg.Client.prototype.escapeLiteral.call(null, value) };

  it("quotes each value as node-postgres would send it", () => {
    const text = "select * from t where a = $1 and b = any($2) and c > $3 and d = $4 and e = $10";
    const values = ["O'Brien \\ x", ["a", 'b"c'], 5, null, 0, 0, 0, 0, 0, new Date("2026-01-02T03:04:05.000Z")];
    const result = inlineParameters(client, text, values);
    // A backslash makes it an E'' literal, the backslash doubled.
    expect(result).toContain(`a =  E'O''Brien \\\\ x' and`);
    expect(result).toContain(`b = any( E'{"a","b\\\\"c"}') and`);
    expect(result).toContain("c > '5'");
    expect(result).toContain("d = null");
    expect(result).toMatch(/e = '2026-01-02T0\d:04:05\.000[+-]\d\d:\d\d'$/);
    expect(inlineParameters(client, "select $1::jsonb, $2", [{ a: "it's" }, true])).toBe(
      `select '{"a":"it''s"}'::jsonb, 'true'`,
    );
  });

  it("leaves $n inside literals, quoted identifiers and comments alone", () => {
    const text = `select '$1', E'it\\'s $1', "col$1", 'a''$1' /* $1 */ -- $1\n, $1`;
    expect(inlineParameters(client, text, ["x"])).toBe(
      `select '$1', E'it\\'s $1', "col$1", 'a''$1' /* $1 */ -- $1\n, 'x'`,
    );
    expect(inlineParameters(client, "select 1 -- the end", [])).toBe("select 1 -- the end");
  });

  it("refuses a placeholder without a value, and an unterminated quote or comment", () => {
    expect(() => inlineParameters(client, "select $2", ["x"])).toThrow("no value for $2");
    expect(() => inlineParameters(client, "select 'open $1", ["x"])).toThrow("unterminated quote");
    expect(() => inlineParameters(client, "select 1 /* open $1", ["x"])).toThrow("unterminated comment");
  });

  it("refuses what a literal cannot carry as a parameter would: binary values, NUL, dollar quotes", () => {
    const refusals: [string, unknown[]][] = [
      ["select $1", [Buffer.from("x")]],
      ["select $1", ["a\0b"]],
      ["select $1", [["a\0b"]]],
      ["do $$ begin perform $1; end $$", ["x"]],
      ["select $body$ $1 $body$", ["x"]],
    ];
    for (const [text, values] of refusals) {
      expect(() => inlineParameters(client, text, values), text).toThrow(CannotInlineError);
    }
  });
});
