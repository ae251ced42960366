import { describe, expect, it } from "vitest";
import { decodeHead, detectDelimiter, isXlsx, looksBinary, Utf8Check } from "./imports.detect.ts";
import { checkMapping, normaliseHeader, suggestMapping } from "./imports.mapping.ts";

describe("mapping suggestions", () => {
  it("maps common header spellings of other tools to contact fields", () => {
    const headers = ["E-mail", "First Name", "last_name", "Company", "Owner", "Mobile Phone", "Notes", "Tags"];
    expect(suggestMapping("contacts", headers)).toEqual({
      "E-mail": "email",
      "First Name": "firstName",
      last_name: "lastName",
      Company: "company",
      Owner: "ownerEmail",
      "Mobile Phone": "phone",
      Notes: null,
      Tags: "tags",
    });
  });

  it("reads 'email address' and accents, and suggests a field for one column only", () => {
    expect(suggestMapping("contacts", ["Email Address", "E-Mail", "Prénom"])).toEqual({
      "Email Address": "email",
      "E-Mail": null,
      Prénom: "firstName",
    });
  });

  it("maps a deal's Stage and Pipeline, and a company's own name", () => {
    expect(suggestMapping("deals", ["Deal Name", "Stage", "Pipeline", "Amount"])).toEqual({
      "Deal Name": "name",
      Stage: "stageName",
      Pipeline: "pipelineName",
      Amount: "value",
    });
    expect(suggestMapping("companies", ["Company Name", "Website"])).toEqual({
      "Company Name": "name",
      Website: "domain",
    });
  });

  it("prefers a saved mapping over a guess, but never a field the resource lacks", () => {
    const saved = { Kürzel: "jobTitle", Company: null, Old: "nonsense" };
    expect(suggestMapping("contacts", ["Kürzel", "Company", "Old"], saved)).toEqual({
      Kürzel: "jobTitle",
      Company: null,
      Old: null,
    });
  });

  it("refuses a mapping to an unknown field, naming the header", () => {
    expect(() => checkMapping("contacts", ["Mail"], { Mail: "emailAddress" })).toThrow(/emailAddress/);
    expect(() => checkMapping("contacts", ["A", "B"], { A: "email", B: "email" })).toThrow(/already mapped/);
    expect(() => checkMapping("contacts", ["A"], { Z: "email" })).toThrow(/no column "Z"/);
  });

  it("normalises case, spaces, punctuation and accents", () => {
    expect(normaliseHeader(" E-Mail Address ")).toBe("emailaddress");
    expect(normaliseHeader("Prénom")).toBe("prenom");
  });
});

describe("file detection", () => {
  it("finds the delimiter that splits every line alike", () => {
    expect(detectDelimiter("a,b,c\n1,2,3\n")).toBe(",");
    expect(detectDelimiter("name;city;note\nAda;Köln;a, b\nBob;Bonn;x\n")).toBe(";");
    expect(detectDelimiter("a\tb\n1\t2\n")).toBe("\t");
    expect(detectDelimiter("a|b|c\n1|2|3\n")).toBe("|");
    expect(detectDelimiter('"x;y",b\n"1;2",3\n')).toBe(",");
    expect(detectDelimiter("single\nvalue\n")).toBe(",");
  });

  it("tells UTF-8 from Windows-1252, also across slice boundaries", () => {
    const utf8 = Buffer.from("Müller,Zoë\n", "utf8");
    const check = new Utf8Check();
    check.feed(utf8.subarray(0, 2)); // splits the ü in two
    check.feed(utf8.subarray(2));
    expect(check.finish()).toBe(true);
    const cp1252 = Buffer.from([0x4d, 0xfc, 0x6c, 0x6c, 0x65, 0x72]); // "Müller" in Windows-1252
    const bad = new Utf8Check();
    bad.feed(cp1252);
    expect(bad.finish()).toBe(false);
    expect(decodeHead(cp1252, "windows-1252")).toBe("Müller");
  });

  it("drops a byte order mark, and knows XLSX by its zip magic", () => {
    expect(decodeHead(Buffer.from("\ufeffa,b", "utf8"), "utf-8")).toBe("a,b");
    expect(isXlsx("people.csv", Buffer.from([0x50, 0x4b, 0x03, 0x04, 1]))).toBe(true);
    expect(isXlsx("people.xlsx", Buffer.from("a,b"))).toBe(false);
    expect(looksBinary(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00]))).toBe(true);
  });
});
