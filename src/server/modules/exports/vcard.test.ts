import { describe, expect, it } from "vitest";
import {
  CardError,
  contactOf,
  escapeText,
  foldLine,
  parseVCards,
  splitValue,
  unescapeText,
  unfold,
  writeVCard,
  type VCardContact,
} from "./vcard.ts";

const ada: VCardContact = {
  firstName: "Ada",
  lastName: "Lovelace",
  email: "ada@example.com",
  phone: "+441234567890",
  jobTitle: "Analyst; engine, difference",
  company: "Babbage & Co",
  note: "Line one\nLine two \\ done",
  tags: ["vip", "math,s"],
  uid: "0b9f0c36-3f0e-4a55-9b9c-6d3b3f9d2a10",
  updatedAt: new Date("2026-12-04T01:51:33.123Z"),
};

describe("writing vCard 4.0", () => {
  it("writes FN, N, EMAIL, TEL, ORG, TITLE, CATEGORIES, NOTE, UID and REV with CRLF line ends", () => {
    const card = writeVCard(ada);
    expect(card.split("\r\n")).toEqual([
      "BEGIN:VCARD",
      "VERSION:4.0",
      "FN:Ada Lovelace",
      "N:Lovelace;Ada;;;",
      "EMAIL:ada@example.com",
      "TEL;VALUE=uri:tel:+441234567890",
      "ORG:Babbage & Co",
      "TITLE:Analyst\\; engine\\, difference",
      "CATEGORIES:vip,math\\,s",
      "NOTE:Line one\\nLine two \\\\ done",
      "UID:urn:uuid:0b9f0c36-3f0e-4a55-9b9c-6d3b3f9d2a10",
      "REV:20261204T015133Z",
      "END:VCARD",
      "",
    ]);
  });

  it("escapes backslash, comma, semicolon and newlines, and unescapes them back", () => {
    const text = "a\\b,c;d\ne\r\nf";
    expect(escapeText(text)).toBe("a\\\\b\\,c\\;d\\ne\\nf");
    expect(unescapeText(escapeText(text))).toBe("a\\b,c;d\ne\nf");
    expect(unescapeText("x\\Ny")).toBe("x\ny");
  });

  it("folds lines at 75 octets without splitting a UTF-8 character, and unfolding restores them", () => {
    const line = `NOTE:${"é".repeat(100)}`;
    const folded = foldLine(line);
    for (const part of folded.split("\r\n")) expect(Buffer.byteLength(part, "utf8")).toBeLessThanOrEqual(75);
    expect(
      folded
        .split("\r\n")
        .slice(1)
        .every((part) => part.startsWith(" ")),
    ).toBe(true);
    expect(unfold(folded)).toEqual([line]);
    expect(foldLine("FN:short")).toBe("FN:short");
  });

  it("reads back what it writes", () => {
    const [card] = parseVCards(writeVCard(ada) + writeVCard({ ...ada, firstName: "Grace" }));
    expect(card && contactOf(card)).toEqual({
      firstName: "Ada",
      lastName: "Lovelace",
      email: "ada@example.com",
      phone: "+441234567890",
      jobTitle: "Analyst; engine, difference",
      company: "Babbage & Co",
      note: "Line one\nLine two \\ done",
      tags: ["vip", "math,s"],
    });
  });
});

describe("reading vCards", () => {
  it("reads several cards, unfolding lines folded with a space or a tab, LF or CRLF", () => {
    const text = [
      "BEGIN:VCARD",
      "VERSION:3.0",
      "N:Hop",
      "\tper;Grace;;;",
      "EMAIL:grace@",
      " example.com",
      "END:VCARD",
      "BEGIN:VCARD",
      "VERSION:4.0",
      "FN:Alan Mathison Turing",
      "END:VCARD",
    ].join("\n");
    const cards = parseVCards(text).map(contactOf);
    expect(cards.map((c) => [c.firstName, c.lastName, c.email])).toEqual([
      ["Grace", "Hopper", "grace@example.com"],
      ["Alan", "Mathison Turing", null],
    ]);
  });

  it("reads grouped properties (item1.EMAIL), prefers PREF=1, and takes tel: URIs and spaced numbers", () => {
    const text =
      "BEGIN:VCARD\r\nVERSION:4.0\r\nN:Lovelace;Ada;;;\r\nitem1.EMAIL;TYPE=work:work@example.com\r\n" +
      'item2.EMAIL;PREF=1:home@example.com\r\nitem1.X-ABLabel:Work\r\nTEL;TYPE="voice,cell":+44 (0) 1234-567.890\r\n' +
      "ORG:Babbage & Co;Engines\r\nEND:VCARD\r\n";
    const [card] = parseVCards(text);
    expect(card?.properties[2]).toEqual({
      group: "item1",
      name: "EMAIL",
      params: { TYPE: "work" },
      value: "work@example.com",
    });
    expect(card && contactOf(card)).toMatchObject({
      email: "home@example.com",
      phone: "+4401234567890",
      company: "Babbage & Co",
    });
    const uri = parseVCards("BEGIN:VCARD\nFN:X\nTEL;VALUE=uri:tel:+15551234567;ext=5\nEND:VCARD\n");
    expect(uri[0] && contactOf(uri[0]).phone).toBe("+15551234567");
  });

  it("uses FN when N is missing or empty, and refuses a card with neither, naming it", () => {
    const [onlyFn] = parseVCards("BEGIN:VCARD\nN:;;;;\nFN:Plato\nEND:VCARD");
    expect(onlyFn && contactOf(onlyFn)).toMatchObject({ firstName: "Plato", lastName: "" });
    const cards = parseVCards("BEGIN:VCARD\nFN:A\nEND:VCARD\nBEGIN:VCARD\nEMAIL:x@example.com\nEND:VCARD");
    expect(() => cards.map(contactOf)).toThrow(CardError);
    try {
      cards.map(contactOf);
    } catch (error) {
      expect(error).toMatchObject({ card: 2, property: "FN" });
    }
  });

  it("refuses text outside a card and a card left open, naming the card", () => {
    expect(() => parseVCards("hello:world")).toThrow(CardError);
    expect(() => parseVCards("BEGIN:VCARD\nFN:A\nEND:VCARD\nBEGIN:VCARD\nFN:B\n")).toThrowError(
      expect.objectContaining({ card: 2, property: "END" }) as Error,
    );
    expect(() => parseVCards("BEGIN:VCARD\nno colon here\nEND:VCARD")).toThrow(/without a value/);
  });

  it("splits structured values on unescaped separators only", () => {
    expect(splitValue("Doe\\;Smith;John;;;", ";")).toEqual(["Doe;Smith", "John", "", "", ""]);
    expect(splitValue("a\\,b,c", ",")).toEqual(["a,b", "c"]);
    expect(parseVCards("\uFEFFBEGIN:VCARD\nFN:A\nEND:VCARD")).toHaveLength(1);
  });
});
